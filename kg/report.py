"""Score the extractor on gold-annotated texts: a per-file and per-relation P/R/F1 table.

A folder holds ``NAME.txt`` and ``NAME.gold.yaml`` pairs (tests/data/dev/); the bundled sample
(kg/data/*.txt with tests/data/*.gold.yaml) is scored the same way. Each text is extracted on its
own, built into a graph and scored with :func:`kg.eval.evaluate`, so the numbers are the ones
``kg extract FILE`` followed by ``kg eval`` would print.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["FileScore", "gold_pairs", "score_pairs", "dev_report", "format_report"]


@dataclass
class FileScore:
    name: str
    language: str
    score: object  # kg.eval.Score


def gold_pairs(dirs) -> list[tuple[Path, Path]]:
    """(text, gold) pairs found in the given folders or files; a folder's NAME.txt pairs with
    NAME.gold.yaml beside it, a gold file with no text beside it is looked up in kg/data/."""
    from . import sample_path

    pairs: list[tuple[Path, Path]] = []
    for d in dirs:
        d = Path(d)
        golds = sorted(d.glob("*.gold.yaml")) if d.is_dir() else [d]
        for g in golds:
            stem = g.name[: -len(".gold.yaml")]
            txt = g.with_name(stem + ".txt")
            if not txt.is_file():
                cand = Path(sample_path()).with_name(stem + ".txt")
                if cand.is_file():
                    txt = cand
                else:
                    continue
            pairs.append((txt, g))
    return pairs


def score_pairs(pairs, rules=None) -> list[FileScore]:
    from .eval import evaluate, load_gold
    from .extractor import Extractor, merge
    from .graph import build_graph
    from .rules import load_rules

    rs = rules or load_rules()
    ex = Extractor(rs)
    out = []
    for txt, gold in pairs:
        text = txt.read_text(encoding="utf-8")
        doc = ex.extract_doc(text, doc_id=txt.name)
        G = build_graph(merge([doc], rs), rs)
        out.append(FileScore(txt.stem, doc.language, evaluate(G, load_gold(gold), text)))
    return out


def _f(x: float) -> str:
    return f"{x:.3f}"


def format_report(scores: list[FileScore], *, details: bool = False) -> str:
    from .eval import Score

    lines = [f"{'file':<40} {'lang':<4} {'ent P':>6} {'ent R':>6} {'ent F1':>6}   "
             f"{'rel P':>6} {'rel R':>6} {'rel F1':>6} {'core R':>6}  {'pred':>4} {'gold':>4}"]
    totals: dict[str, Score] = {}
    for fs in scores:
        sc = fs.score
        ep, er, ef = sc.entity_prf
        rp, rr, rf = sc.relation_prf
        lines.append(f"{fs.name[:40]:<40} {fs.language:<4} {_f(ep):>6} {_f(er):>6} {_f(ef):>6}   "
                     f"{_f(rp):>6} {_f(rr):>6} {_f(rf):>6} {_f(sc.core_recall):>6}  "
                     f"{sc.rel_tp + sc.rel_fp:>4} {sc.rel_gold:>4}")
        for key in ("all", fs.language):
            totals.setdefault(key, Score()).add(sc)
    lines.append("-" * len(lines[0]))
    for key in ["all"] + sorted(k for k in totals if k != "all"):
        sc = totals[key]
        ep, er, ef = sc.entity_prf
        rp, rr, rf = sc.relation_prf
        lines.append(f"{'TOTAL ' + key:<40} {'':<4} {_f(ep):>6} {_f(er):>6} {_f(ef):>6}   "
                     f"{_f(rp):>6} {_f(rr):>6} {_f(rf):>6} {_f(sc.core_recall):>6}  "
                     f"{sc.rel_tp + sc.rel_fp:>4} {sc.rel_gold:>4}")
    if "all" in totals:
        lines.append("")
        lines.append(f"{'relation':<22} {'P':>6} {'R':>6} {'F1':>6}  {'right':>5} {'wrong':>5} {'found':>5} {'gold':>5}")
        for rel, (tp, fp, gold, found) in sorted(totals["all"].per_relation.items()):
            if not (tp or fp or gold):
                continue
            p, r, f = Score.prf(tp, fp, gold, found)
            lines.append(f"{rel:<22} {_f(p):>6} {_f(r):>6} {_f(f):>6}  {tp:>5} {fp:>5} {found:>5} {gold:>5}")
    if details:
        for fs in scores:
            sc = fs.score
            lines.append("")
            lines.append(f"== {fs.name}")
            if sc.fp_nodes:
                lines.append("  false nodes: " + ", ".join(sc.fp_nodes))
            if sc.split:
                lines.append("  split: " + "; ".join(sc.split))
            if sc.missed_entities:
                lines.append("  missed entities: " + ", ".join(sc.missed_entities))
            for m in sc.fp_relations:
                lines.append(f"  WRONG  {m}")
            for m in sc.missed_relations:
                lines.append(f"  missed {m}")
    return "\n".join(lines)


def dev_report(dirs, *, details: bool = False, rules=None) -> str:
    """The table for every gold-annotated text in ``dirs`` (folders or gold files)."""
    return format_report(score_pairs(gold_pairs(dirs), rules), details=details)


if __name__ == "__main__":  # python -m kg.report [DIR ...] [--details]
    import sys

    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    root = Path(__file__).resolve().parent.parent
    dirs = args or [root / "tests" / "data", root / "tests" / "data" / "dev"]
    print(dev_report(dirs, details="--details" in sys.argv))
