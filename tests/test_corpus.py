"""Corpus mode: many documents into one graph (inputs, streaming merge, --merge, engines, bad input)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.export.json import read_json

from conftest import DATA, SAMPLE

runner = CliRunner()
DEV = sorted((DATA / "dev").glob("*.txt"))
HUANG = "第{i}天，英伟达CEO黄仁勋表示，公司将继续投资{i}亿美元。"


def kg(*args, input=None):
    r = runner.invoke(app, ["extract", *map(str, args)], input=input)
    return r


def ok(*args, input=None):
    r = kg(*args, input=input)
    assert r.exit_code == 0, r.output
    return r


def edges(G) -> dict:
    return {(u, d["relation"], v): d for u, v, d in G.edges(data=True)}


def write_jsonl(path: Path, rows, gz=False):
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


# ------------------------------------------------------------------ the accumulator is merge() + build_graph()

def test_accumulator_gives_the_graph_merge_gives(extractor):
    from kg.corpus import Accumulator, summarize
    from kg.export.graphml import generate_graphml
    from kg.export.json import generate_json
    from kg.extractor import merge
    from kg.graph import build_graph

    rs = extractor.rules
    texts = [p.read_text(encoding="utf-8") for p in [*DEV, SAMPLE]] * 2
    texts += [HUANG.format(i=i) for i in range(8)]
    res = [extractor.extract_doc(t, doc_id=f"d{i}", date=f"2024-{i % 12 + 1:02d}-01") for i, t in enumerate(texts)]
    want = build_graph(merge(res, rs), rs)
    acc = Accumulator(rs)
    for r in res:
        acc.add(summarize(r))
    got = acc.graph()
    assert got.number_of_edges() > 50
    assert generate_graphml(got) == generate_graphml(want)
    assert generate_json(got) == generate_json(want)


# ------------------------------------------------------------------ inputs

def test_folder_is_read_recursively_hidden_files_skipped(tmp_path):
    src = tmp_path / "in"
    (src / "sub" / "deeper").mkdir(parents=True)
    (src / "a.txt").write_text(HUANG.format(i=1), encoding="utf-8")
    (src / "sub" / "deeper" / "b.txt").write_text(HUANG.format(i=2), encoding="utf-8")
    (src / ".hidden.txt").write_text("OpenAI CEO Sam Altman 被董事会解雇。", encoding="utf-8")
    r = ok(src, "-o", tmp_path / "out")
    G = read_json(tmp_path / "out" / "graph.json")
    assert G.graph["docs"] == 2
    e = edges(G)[("jensen_huang", "CEO_OF", "nvidia")]
    assert e["docs"] == "a.txt|sub/deeper/b.txt" and e["weight"] == 2
    assert "sam_altman" not in G
    assert "2 document(s)" in r.output


def test_glob_is_expanded(tmp_path):
    for i in range(3):
        (tmp_path / f"n{i}.txt").write_text(HUANG.format(i=i), encoding="utf-8")
    (tmp_path / "skip.md").write_text("OpenAI CEO Sam Altman 被董事会解雇。", encoding="utf-8")
    ok(str(tmp_path / "*.txt"), "-o", tmp_path / "out")
    G = read_json(tmp_path / "out" / "graph.json")
    assert G.graph["docs"] == 3 and "sam_altman" not in G
    r = kg(str(tmp_path / "*.nothing"), "-o", tmp_path / "out")
    assert r.exit_code == 2 and "no file matches" in r.output


def test_stdin_text_and_jsonl(tmp_path):
    ok("-", "-o", tmp_path / "t", input=HUANG.format(i=1).encode())
    G = read_json(tmp_path / "t" / "graph.json")
    assert edges(G)[("jensen_huang", "CEO_OF", "nvidia")]["docs"] == "stdin"
    rows = "".join(json.dumps({"id": f"s{i}", "text": HUANG.format(i=i)}, ensure_ascii=False) + "\n" for i in range(3))
    ok("-", "-o", tmp_path / "j", input=rows.encode())
    G = read_json(tmp_path / "j" / "graph.json")
    assert edges(G)[("jensen_huang", "CEO_OF", "nvidia")]["docs"] == "s0|s1|s2"
    ok("-", "-o", tmp_path / "z", input=gzip.compress(rows.encode()))
    assert (tmp_path / "z" / "graph.json").read_bytes() == (tmp_path / "j" / "graph.json").read_bytes()


def test_jsonl_ids_and_dates_travel_into_provenance(tmp_path):
    rows = [
        {"id": "reuters-1", "text": HUANG.format(i=1), "date": "2024-03-05", "source": "Reuters", "url": "https://x/1"},
        {"id": "caixin-2", "text": HUANG.format(i=2), "date": "2023-11-20"},
        {"text": HUANG.format(i=3)},  # no id: file name and line number
        {"id": "late", "text": "OpenAI CEO Sam Altman 被董事会解雇。", "date": "2025-01-01"},
    ]
    f = write_jsonl(tmp_path / "news.jsonl", rows)
    ok(f, "-o", tmp_path / "out")
    e = edges(read_json(tmp_path / "out" / "graph.json"))
    huang = e[("jensen_huang", "CEO_OF", "nvidia")]
    assert huang["docs"] == "reuters-1|caixin-2|news:3"
    assert (huang["first_date"], huang["last_date"]) == ("2023-11-20", "2024-03-05")
    assert huang["doc"] == "reuters-1" and huang["weight"] == 3
    assert e[("sam_altman", "CEO_OF", "openai")]["first_date"] == "2025-01-01"


def test_gzip_of_text_and_of_jsonl(tmp_path):
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "a.txt").write_text(HUANG.format(i=1), encoding="utf-8")
    (tmp_path / "gz").mkdir()
    (tmp_path / "gz" / "a.txt.gz").write_bytes(gzip.compress(HUANG.format(i=1).encode("utf-8")))
    ok(tmp_path / "plain", "-o", tmp_path / "o1")
    ok(tmp_path / "gz", "-o", tmp_path / "o2")
    assert (tmp_path / "o1" / "graph.json").read_bytes() == (tmp_path / "o2" / "graph.json").read_bytes()
    rows = [{"id": f"g{i}", "text": HUANG.format(i=i), "date": f"2024-01-0{i + 1}"} for i in range(3)]
    f = write_jsonl(tmp_path / "c.jsonl.gz", rows, gz=True)
    ok(f, "-o", tmp_path / "o3")
    e = edges(read_json(tmp_path / "o3" / "graph.json"))[("jensen_huang", "CEO_OF", "nvidia")]
    assert e["docs"] == "g0|g1|g2" and e["last_date"] == "2024-01-03"


def test_repeated_ids_are_renamed_not_merged(tmp_path):
    f = write_jsonl(tmp_path / "d.jsonl", [{"id": "x", "text": HUANG.format(i=i)} for i in range(2)])
    r = ok(f, "-o", tmp_path / "out")
    e = edges(read_json(tmp_path / "out" / "graph.json"))[("jensen_huang", "CEO_OF", "nvidia")]
    assert e["docs"] == "x|x#2" and e["weight"] == 2
    assert "renamed" in r.output


# ------------------------------------------------------------------ --merge

def test_merge_adds_a_batch_and_loses_nothing(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    for p in DEV[:3]:
        (a / p.name).write_bytes(p.read_bytes())
    for p in DEV[3:]:
        (b / p.name).write_bytes(p.read_bytes())
    (b / "huang.txt").write_text(HUANG.format(i=9), encoding="utf-8")
    ok(a, "-o", tmp_path / "oa")
    ok(b, "-o", tmp_path / "ob")
    ok(b, "--merge", tmp_path / "oa" / "graph.json", "-o", tmp_path / "oa")  # in place, atomically
    A = read_json(tmp_path / "oa" / "graph.json")
    ok(a, b, "-o", tmp_path / "oab")
    AB = read_json(tmp_path / "oab" / "graph.json")
    B = read_json(tmp_path / "ob" / "graph.json")
    assert A.graph["docs"] == AB.graph["docs"] == len(DEV) + 1
    assert set(A.nodes) == set(AB.nodes)
    for n in AB.nodes:
        assert A.nodes[n]["mentions"] == AB.nodes[n]["mentions"], n
        assert set(A.nodes[n]["aliases"].split("|")) == set(AB.nodes[n]["aliases"].split("|")), n
    ea, eab, eb = edges(A), edges(AB), edges(B)
    assert set(ea) == set(eab)
    for k in eab:
        assert ea[k]["weight"] == eab[k]["weight"], k
        assert set(ea[k]["docs"].split("|")) == set(eab[k]["docs"].split("|")), k
        assert ea[k]["evidence"] == eab[k]["evidence"], k
    assert sum(d["weight"] for d in ea.values()) > sum(d["weight"] for d in eb.values())


def test_merge_of_a_missing_or_broken_graph_is_an_error(tmp_path):
    r = kg(SAMPLE, "--merge", tmp_path / "nope.json", "-o", tmp_path / "o")
    assert r.exit_code == 2 and "nope.json" in r.output
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    r = kg(SAMPLE, "--merge", tmp_path / "bad.json", "-o", tmp_path / "o")
    assert r.exit_code == 2 and "bad.json" in r.output and "Traceback" not in r.output


# ------------------------------------------------------------------ evidence cap

def test_evidence_is_capped_over_many_documents(tmp_path):
    from kg.graph import DOCS_CAP, EVIDENCE_CAP, SEP

    n = 40
    f = write_jsonl(tmp_path / "many.jsonl", [{"id": f"d{i:02d}", "text": HUANG.format(i=i)} for i in range(n)])
    ok(f, "-o", tmp_path / "out")
    e = edges(read_json(tmp_path / "out" / "graph.json"))[("jensen_huang", "CEO_OF", "nvidia")]
    assert e["weight"] == n and e["doc_count"] == n
    assert len(e["docs"].split("|")) == min(n, DOCS_CAP)  # ids are capped too: the graph does not grow
    ev = e["evidence"].split(SEP)
    assert len(ev) == EVIDENCE_CAP and ev[0] == HUANG.format(i=0)


# ------------------------------------------------------------------ engines give the same bytes

@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("corpus")
    rows = []
    for k in range(3):
        for i, p in enumerate([*DEV, SAMPLE]):
            rows.append({"id": f"{k}-{p.stem}", "text": p.read_text(encoding="utf-8"), "date": f"202{k}-0{i % 9 + 1}-15"})
    return write_jsonl(d / "corpus.jsonl", rows)


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip("dask.distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    yield cluster
    cluster.close()


def test_serial_jobs_and_dask_write_the_same_bytes(tmp_path, corpus, dask_cluster):
    ok(corpus, "-o", tmp_path / "serial")
    ok(corpus, "--jobs", 2, "-o", tmp_path / "jobs")
    r = ok(corpus, "--engine", "dask", "--scheduler", dask_cluster.scheduler_address, "-o", tmp_path / "dask")
    assert "document(s)" in r.output
    for name in ("graph.graphml", "graph.json", "graph.gexf"):
        s = (tmp_path / "serial" / name).read_bytes()
        assert s == (tmp_path / "jobs" / name).read_bytes(), name
        assert s == (tmp_path / "dask" / name).read_bytes(), name
    G = read_json(tmp_path / "serial" / "graph.json")
    assert G.graph["docs"] == 3 * (len(DEV) + 1) and G.number_of_edges() > 50


def test_jobs_process_many_chunks_in_order(tmp_path, monkeypatch):
    import kg.corpus

    monkeypatch.setattr(kg.corpus, "CHUNK_DOCS", 3)  # many chunks, a full window in flight
    f = write_jsonl(tmp_path / "m.jsonl", [{"id": f"d{i:02d}", "text": HUANG.format(i=i)} for i in range(30)])
    ok(f, "-o", tmp_path / "a")
    ok(f, "-j", 3, "-o", tmp_path / "b")
    assert (tmp_path / "a" / "graph.json").read_bytes() == (tmp_path / "b" / "graph.json").read_bytes()


def test_unreachable_scheduler_is_one_line_error(tmp_path):
    r = subprocess.run([sys.executable, "-m", "kg", "extract", str(SAMPLE), "-o", str(tmp_path), "--engine", "dask",
                        "--scheduler", "tcp://127.0.0.1:9"], capture_output=True, text=True, timeout=120,
                       env={**os.environ, "KG_DASK_TIMEOUT": "3s"})
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("kg: error:") and "Traceback" not in r.stderr and "127.0.0.1:9" in r.stderr


# ------------------------------------------------------------------ bad input

def run_cli(*args, input=None):
    return subprocess.run([sys.executable, "-m", "kg", "extract", *map(str, args)], capture_output=True,
                          input=input, timeout=120)


class Run:
    """A CliRunner result seen like a process: returncode and stderr bytes (the CLI writes there)."""

    def __init__(self, *args):
        r = kg(*args)
        assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
        self.returncode = r.exit_code
        self.stderr = r.stderr.encode()


def test_missing_path_is_one_line_error(tmp_path):
    r = run_cli(SAMPLE, tmp_path / "missing.txt", "-o", tmp_path / "o")
    err = r.stderr.decode()
    assert r.returncode == 2 and err.strip().count("\n") == 0 and "missing.txt" in err and "Traceback" not in err
    assert not (tmp_path / "o" / "graph.json").exists()


def test_folder_without_files_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    r = kg(tmp_path / "empty", "-o", tmp_path / "o")
    assert r.exit_code == 2 and "empty" in r.output and "kg: error:" in r.output


def test_binary_among_text_is_skipped_with_a_warning(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(HUANG.format(i=1), encoding="utf-8")
    (d / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    r = Run(d, "-o", tmp_path / "o")
    err = r.stderr.decode()
    assert r.returncode == 0, err
    assert "logo.png" in err and "warning" in err and "Traceback" not in err
    assert read_json(tmp_path / "o" / "graph.json").graph["docs"] == 1


def test_binary_only_input_is_an_error(tmp_path):
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    r = Run(tmp_path / "logo.png", "-o", tmp_path / "o")
    err = r.stderr.decode()
    assert r.returncode == 2 and "logo.png" in err and "kg: error:" in err and "Traceback" not in err
    assert not (tmp_path / "o" / "graph.json").exists()


@pytest.mark.parametrize("content", [b"", b"  \n\t \r\n"])
def test_empty_file_writes_an_empty_graph(tmp_path, content):
    (tmp_path / "empty.txt").write_bytes(content)
    r = Run(tmp_path / "empty.txt", "-o", tmp_path / "o")
    err = r.stderr.decode()
    assert r.returncode == 0, err
    assert "no entities found" in err and "Traceback" not in err
    G = read_json(tmp_path / "o" / "graph.json")
    assert G.number_of_nodes() == 0 and G.graph["docs"] == 1
    assert (tmp_path / "o" / "graph.graphml").is_file()


def test_bad_jsonl_lines_are_skipped_with_a_warning(tmp_path):
    f = tmp_path / "x.jsonl"
    f.write_text(json.dumps({"id": "a", "text": HUANG.format(i=1)}, ensure_ascii=False) + "\n{broken\n[1]\n",
                 encoding="utf-8")
    r = kg(f, "-o", tmp_path / "o")
    assert r.exit_code == 0 and "x.jsonl:2" in r.output and "x.jsonl:3" in r.output
    (tmp_path / "y.jsonl").write_text("{broken\n", encoding="utf-8")
    r = kg(tmp_path / "y.jsonl", "-o", tmp_path / "o")
    assert r.exit_code == 2 and "y.jsonl" in r.output


def test_corrupt_gzip_is_one_line_error(tmp_path):
    (tmp_path / "t.txt.gz").write_bytes(gzip.compress(HUANG.format(i=1).encode())[:-12])
    r = Run(tmp_path / "t.txt.gz", "-o", tmp_path / "o")
    err = r.stderr.decode()
    assert r.returncode == 2 and "t.txt.gz" in err and "Traceback" not in err


def test_summary_line_always_printed(tmp_path):
    r = Run(SAMPLE, "-o", tmp_path / "o")
    last = r.stderr.decode().strip().splitlines()[-1]
    assert r.returncode == 0
    for part in ("1 document(s)", " MB in ", " s (", "MB/s)", " entities", " relations"):
        assert part in last, last
    assert "\r" not in r.stderr.decode()  # no progress bar when stderr is not a terminal
