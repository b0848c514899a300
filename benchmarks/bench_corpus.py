"""Corpus throughput: `kg extract` end to end over a Chinese corpus, against spaCy and a bare scan.

Builds a JSON Lines corpus of at least ``--mb`` MB (UTF-8 bytes of text) in a temporary folder
from the bundled Chinese text (kg/data/*.txt and the Chinese articles of tests/data/dev/*.txt,
repeated; each line one document with a unique id and a date), then measures:

- kg: ``kg extract corpus.jsonl`` as a subprocess, once per ``--jobs`` value (default 1 and 2),
  wall time from start to exit (Python start-up, rule loading, reading, extracting, writing all
  four files), and the peak resident memory of the run (sum over the process tree, polled every
  50 ms with psutil, and of the largest single process);
- (a) spaCy: blank ``zh`` pipeline (character segmentation) + sentencizer, ``nlp.pipe``;
- (b) spaCy: blank ``zh`` + EntityRuler with one phrase pattern per gazetteer alias
  (kg.rules.load_rules().gazetteer), ``nlp.pipe``;
- (c) pyahocorasick: one automaton of every gazetteer alias, ``iter`` over every document,
  counting hits (the floor: what a scan that finds names and nothing else costs).

(a) and (b) are timed on the first ``--sample-mb`` MB of the corpus (default 5) and reported in
MB/s, which the output says; (c) runs over the whole corpus. It prints MB/s for each, the ratios
kg/a, kg/b, c/kg and jobs2/jobs1, with the targets (kg >= 2x a, >= 3x b, within 20x of c,
jobs2 >= 1.7x jobs1, peak memory < 1.5 GB for a 200 MB corpus: ``--mb 200``).

    python benchmarks/bench_corpus.py [--mb 50] [--jobs 1 2] [--sample-mb 5] [--keep DIR]

The figures depend on the machine (``os.cpu_count()`` is printed: jobs2/jobs1 needs two idle
cores) and on the extractor of the day; this is a script, not a timed test.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MB = 1_000_000
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


def chinese_texts() -> list[tuple[str, str]]:
    out = []
    for p in sorted((ROOT / "kg" / "data").glob("*.txt")) + sorted((ROOT / "tests" / "data" / "dev").glob("*.txt")):
        t = p.read_text(encoding="utf-8")
        if len(CJK.findall(t)) >= len(LATIN.findall(t)):  # Chinese articles only (the dev set has English ones)
            out.append((p.stem, t))
    if not out:
        sys.exit("bench_corpus: no Chinese text found under kg/data and tests/data/dev")
    return out


def build_corpus(path: Path, mb: float) -> tuple[int, int]:
    """Write the JSON Lines corpus; returns (documents, bytes of text)."""
    texts = chinese_texts()
    target = int(mb * MB)
    n = size = 0
    with open(path, "w", encoding="utf-8") as fh:
        while size < target:
            stem, t = texts[n % len(texts)]
            day = n % 28 + 1
            month = (n // 28) % 12 + 1
            fh.write(json.dumps({"id": f"{n:07d}-{stem}", "text": t, "date": f"2024-{month:02d}-{day:02d}"},
                                ensure_ascii=False) + "\n")
            size += len(t.encode("utf-8"))
            n += 1
    return n, size


def iter_texts(path: Path, limit_bytes: int | None = None):
    seen = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            t = json.loads(line)["text"]
            yield t
            seen += len(t.encode("utf-8"))
            if limit_bytes is not None and seen >= limit_bytes:
                return


def run_kg(corpus: Path, out: Path, jobs: int) -> dict:
    import psutil

    kg = shutil.which("kg", path=str(Path(sys.executable).parent)) or shutil.which("kg")
    cmd = [kg, "extract", str(corpus), "-o", str(out), "--jobs", str(jobs)] if kg else \
          [sys.executable, "-m", "kg", "extract", str(corpus), "-o", str(out), "--jobs", str(jobs)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ps = psutil.Process(proc.pid)
    peak_tree = peak_one = 0
    while proc.poll() is None:
        try:
            rss = [ps.memory_info().rss]
            for c in ps.children(recursive=True):
                try:
                    rss.append(c.memory_info().rss)
                except psutil.Error:
                    pass
            peak_tree, peak_one = max(peak_tree, sum(rss)), max(peak_one, max(rss))
        except psutil.Error:
            pass
        time.sleep(0.05)
    wall = time.perf_counter() - t0
    err = proc.stderr.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        sys.exit(f"bench_corpus: kg extract --jobs {jobs} failed ({proc.returncode}):\n{err}")
    summary = err.strip().splitlines()[-1] if err.strip() else ""
    return {"wall": wall, "peak_tree": peak_tree, "peak_one": peak_one, "summary": summary}


def bench_spacy_sentencizer(corpus: Path, sample: int) -> tuple[float, int]:
    import spacy

    nlp = spacy.blank("zh")
    nlp.add_pipe("sentencizer")
    texts = list(iter_texts(corpus, sample))
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    t0 = time.perf_counter()
    sents = 0
    for doc in nlp.pipe(texts, batch_size=64):
        sents += sum(1 for _ in doc.sents)
    return time.perf_counter() - t0, nbytes


def bench_spacy_ruler(corpus: Path, sample: int) -> tuple[float, int, int]:
    import spacy

    from kg.rules import load_rules

    rs = load_rules()
    nlp = spacy.blank("zh")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    patterns = [{"label": e.type, "pattern": a, "id": e.id} for e in rs.gazetteer.values() for a in e.names() if a]
    ruler.add_patterns(patterns)
    texts = list(iter_texts(corpus, sample))
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    t0 = time.perf_counter()
    ents = 0
    for doc in nlp.pipe(texts, batch_size=64):
        ents += len(doc.ents)
    return time.perf_counter() - t0, nbytes, len(patterns)


def bench_ahocorasick(corpus: Path) -> tuple[float, int, int]:
    import ahocorasick

    from kg.rules import load_rules

    rs = load_rules()
    A = ahocorasick.Automaton()
    for e in rs.gazetteer.values():
        for a in e.names():
            if a:
                A.add_word(a.lower(), e.id)
    A.make_automaton()
    texts = list(iter_texts(corpus))
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    t0 = time.perf_counter()
    hits = 0
    for t in texts:
        for _ in A.iter(t.lower()):
            hits += 1
    return time.perf_counter() - t0, nbytes, hits


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=50, help="corpus size in MB of UTF-8 text (default 50)")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="--jobs values for kg (default: 1 2)")
    ap.add_argument("--sample-mb", type=float, default=5, help="MB of the corpus timed for spaCy (a, b); default 5")
    ap.add_argument("--keep", type=Path, help="build the corpus and outputs here and keep them")
    ap.add_argument("--skip-baselines", action="store_true", help="time kg only")
    args = ap.parse_args(argv)

    work = args.keep or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        corpus = work / "corpus.jsonl"
        t0 = time.perf_counter()
        ndocs, nbytes = build_corpus(corpus, args.mb)
        mb = nbytes / MB
        print(f"corpus: {ndocs} documents, {mb:.1f} MB of Chinese text ({corpus.stat().st_size / MB:.1f} MB JSONL), "
              f"built in {time.perf_counter() - t0:.1f} s; {os.cpu_count()} CPU(s)", flush=True)

        kg = {}
        for j in args.jobs:
            r = run_kg(corpus, work / f"out-jobs{j}", j)
            kg[j] = r
            print(f"kg --jobs {j}: {r['wall']:.1f} s wall, {mb / r['wall']:.2f} MB/s end to end; "
                  f"peak RSS {r['peak_tree'] / MB:.0f} MB (process tree), {r['peak_one'] / MB:.0f} MB "
                  f"(largest process)\n    kg says: {r['summary']}", flush=True)
        base_j = min(kg)
        kg_rate = mb / kg[base_j]["wall"]

        if not args.skip_baselines:
            sample = int(args.sample_mb * MB)
            sa, sb = bench_spacy_sentencizer(corpus, sample)
            a_rate = sb / MB / sa
            print(f"(a) spaCy blank zh + sentencizer: {a_rate:.2f} MB/s (timed on the first {sb / MB:.1f} MB)", flush=True)
            tb, bb, npat = bench_spacy_ruler(corpus, sample)
            b_rate = bb / MB / tb
            print(f"(b) spaCy blank zh + EntityRuler ({npat} phrase patterns): {b_rate:.2f} MB/s "
                  f"(timed on the first {bb / MB:.1f} MB)", flush=True)
            tc, cb, hits = bench_ahocorasick(corpus)
            c_rate = cb / MB / tc
            print(f"(c) pyahocorasick, every gazetteer alias: {c_rate:.2f} MB/s over all {cb / MB:.1f} MB "
                  f"({hits} hits)", flush=True)

        print(f"\nratios (kg = --jobs {base_j}, end to end):")
        if not args.skip_baselines:
            print(f"  kg/a  = {kg_rate / a_rate:6.2f}   target >= 2     {verdict(kg_rate / a_rate >= 2)}")
            print(f"  kg/b  = {kg_rate / b_rate:6.2f}   target >= 3     {verdict(kg_rate / b_rate >= 3)}")
            print(f"  c/kg  = {c_rate / kg_rate:6.2f}   target <= 20    {verdict(c_rate / kg_rate <= 20)}")
        if 1 in kg and 2 in kg:
            sp = kg[1]["wall"] / kg[2]["wall"]
            print(f"  jobs2/jobs1 = {sp:.2f}   target >= 1.7   {verdict(sp >= 1.7)}"
                  + ("" if (os.cpu_count() or 1) > 2 else "  (2 CPUs: the main process shares them with the workers)"))
        peak = max(r["peak_tree"] for r in kg.values())
        if mb >= 200:
            print(f"  peak memory = {peak / 1e9:.2f} GB for {mb:.0f} MB   target < 1.5 GB   {verdict(peak < 1.5e9)}")
        else:
            print(f"  peak memory = {peak / 1e9:.2f} GB for {mb:.0f} MB   (the 1.5 GB target is for --mb 200)")
        if 1 in kg and 2 in kg:
            same = all((work / "out-jobs1" / n).read_bytes() == (work / "out-jobs2" / n).read_bytes()
                       for n in ("graph.graphml", "graph.json"))
            print(f"  --jobs 1 and --jobs 2 outputs byte-identical: {same}")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
