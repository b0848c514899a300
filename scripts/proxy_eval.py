#!/usr/bin/env python3
"""Two proxies for news no rule or gazetteer entry was written for, measured on the opened sets.

The blind held-out sets are read only as totals, a few times a session; a change is first judged
here, on text whose golds may be read:

- ``--mode norules``: every wording rule removed (``relation_rules = {}``), so only the generic
  tiers read the text (the fallback tier, prefix rules, makers): what they do where no rule has
  seen the wording. Prints relation P/R/F1 and right/wrong/neutral edges per rule family.
- ``--mode unseen``: for each set, the gazetteer entries only that set names (among the opened sets
  and the sample) are removed before it is scored: news whose names the gazetteer has never seen.
  Prints entity and relation P/R/F1 per set; ``--misses`` lists the removed entities not found
  again (with a little context), ``--false`` the wrong entities.

    python scripts/proxy_eval.py --mode unseen [--misses] [--false] [SET ...]
    python scripts/proxy_eval.py --mode norules [SET ...]

SETs are folders of tests/data; by default the opened ones (never the blind sets: their texts
stay unread). Session 10's figures: norules recall 0.185 -> 0.239 (P 0.89-0.90); unseen entity
recall 0.848 -> 0.865, relation F1 0.618 -> 0.642. Session 11's: norules recall 0.240 -> 0.259
(P 0.907); unseen entity P 0.934 -> 0.943, R 0.865 -> 0.883, relation F1 0.642 -> 0.662. Session 12's:
norules recall 0.259 -> 0.264 (P 0.910); unseen relation F1 0.662 -> 0.668 (entity P 0.943, R 0.883).
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kg.eval import SYMMETRIC, evaluate, load_gold, name_key  # noqa: E402
from kg.extractor import Extractor  # noqa: E402
from kg.graph import build_graph  # noqa: E402
from kg.normalize import normalize  # noqa: E402
from kg.rules import load_rules  # noqa: E402

OPENED = ["dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout6", "heldout7", "heldout11"]
DATA = ROOT / "tests" / "data"


def _pairs(folder: str):
    for g in sorted((DATA / folder).glob("*.gold.yaml")):
        yield g, g.with_name(g.name.replace(".gold.yaml", ".txt"))


def _texts(folder: str) -> str:
    return "\n".join(t.read_text(encoding="utf-8") for _, t in _pairs(folder))


def _prf(tp, fp, found, gold):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = found / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _rule_family(rule: str) -> str:
    return rule if rule.startswith("fallback_") else rule.split("_")[0]


def norules(sets: list[str]) -> None:
    x = Extractor(dataclasses.replace(load_rules(), relation_rules={}))
    tot = collections.Counter()
    per = collections.defaultdict(lambda: [0, 0, 0])  # right, wrong, neutral
    for s in sets:
        for g, t in _pairs(s):
            gold, text = load_gold(str(g)), t.read_text(encoding="utf-8")
            ex = x.extract(text, doc_id=g.stem)
            graph = build_graph(ex)
            sc = evaluate(graph, gold, text)
            for f in ("rel_tp", "rel_fp", "rel_gold", "rel_found"):
                tot[f] += getattr(sc, f)
            n2e = {name_key(n): eid for eid, spec in gold["entities"].items() for n in spec.get("names", [])}
            node = {}
            for nd in graph.nodes:
                d = graph.nodes[nd]
                names = [d.get("label", "")] + [a for a in str(d.get("aliases", "")).split("|") if a]
                node[nd] = next((n2e[name_key(n)] for n in names if n and name_key(n) in n2e), None)
            tier = {}
            for kind, key in (("gold", "relations"), ("neutral", "neutral_relations")):
                for r in gold.get(key) or []:
                    for rel in r[1].split("|"):
                        tier.setdefault((r[0], rel, r[2]), kind)
                        if rel in SYMMETRIC:
                            tier.setdefault((r[2], rel, r[0]), kind)
            seen = set()
            for r in ex.relations:
                key = ((node.get(r.subject), r.relation, node.get(r.object)), _rule_family(r.rule))
                if key in seen:
                    continue
                seen.add(key)
                k = tier.get(key[0])
                per[key[1]][0 if k == "gold" else 2 if k == "neutral" else 1] += 1
    p, r, f = _prf(tot["rel_tp"], tot["rel_fp"], tot["rel_found"], tot["rel_gold"])
    print(f"no wording rules: {tot['rel_gold']} gold relations  P {p:.3f} R {r:.3f} F1 {f:.3f}")
    for fam, (ri, wr, ne) in sorted(per.items(), key=lambda kv: -sum(kv[1])):
        print(f"  {fam:28s} right {ri:4d} wrong {wr:4d} neutral {ne:4d}")


def unseen(sets: list[str], misses: bool, false: bool) -> None:
    rules = load_rules()
    sample = (ROOT / "kg" / "data" / "000_43f3dd9206b315b4.txt").read_text(encoding="utf-8")
    tot = collections.Counter()
    for s in sets:
        mine = normalize(_texts(s)).lower
        others = normalize("\n".join(_texts(o) for o in OPENED if o != s) + sample).lower
        drop = set()
        for e in rules.gazetteer.values():
            ns = [normalize(n).lower for n in e.names() if len(n) >= 2]
            if any(n in mine for n in ns) and not any(n in others for n in ns):
                drop.add(e.id)
        x = Extractor(dataclasses.replace(rules, gazetteer={k: v for k, v in rules.gazetteer.items() if k not in drop}))
        c = collections.Counter()
        for g, t in _pairs(s):
            gold, text = load_gold(str(g)), t.read_text(encoding="utf-8")
            sc = evaluate(build_graph(x.extract(text, doc_id=g.stem)), gold, text)
            for f in ("entity_tp", "entity_fp", "entity_gold", "rel_tp", "rel_fp", "rel_gold", "rel_found"):
                c[f] += getattr(sc, f)
            for m in sc.fp_nodes if false else ():
                print(f"  FALSE {g.stem[:24]} {m}")
            for m in sc.missed_entities if misses else ():
                eid = m.split()[0]
                if eid in drop:
                    e = rules.gazetteer[eid]
                    at = next((text.find(n) for n in e.names() if text.find(n) >= 0), -1)
                    ctx = text[max(0, at - 20):at + 30].replace("\n", " ") if at >= 0 else ""
                    print(f"  MISS {g.stem[:24]} {e.type} {eid} | {ctx}")
        tot.update(c)
        ep, er, ef = _prf(c["entity_tp"], c["entity_fp"], c["entity_tp"], c["entity_gold"])
        rp, rr, rf = _prf(c["rel_tp"], c["rel_fp"], c["rel_found"], c["rel_gold"])
        print(f"{s:10s} removed {len(drop):3d}  entities P {ep:.3f} R {er:.3f}  relations P {rp:.3f} R {rr:.3f} F1 {rf:.3f}",
              flush=True)
    ep, er, ef = _prf(tot["entity_tp"], tot["entity_fp"], tot["entity_tp"], tot["entity_gold"])
    rp, rr, rf = _prf(tot["rel_tp"], tot["rel_fp"], tot["rel_found"], tot["rel_gold"])
    print(f"all        entities P {ep:.3f} R {er:.3f} F1 {ef:.3f}  relations P {rp:.3f} R {rr:.3f} F1 {rf:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", choices=["unseen", "norules"], required=True)
    ap.add_argument("--misses", action="store_true", help="unseen: list the removed entities not found again")
    ap.add_argument("--false", action="store_true", help="unseen: list the wrong entities")
    ap.add_argument("sets", nargs="*", default=OPENED, help="folders of tests/data (default: the opened sets)")
    a = ap.parse_args()
    missing = [s for s in a.sets if not (DATA / s).is_dir()]
    if missing:
        sys.exit(f"proxy_eval: no such set under tests/data: {', '.join(missing)}")
    if a.mode == "norules":
        norules(a.sets)
    else:
        unseen(a.sets, a.misses, a.false)


if __name__ == "__main__":
    main()
