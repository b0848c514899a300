"""Score a graph against a gold file (the format of tests/data/*.gold.yaml).

The matching rules are the gold header's: a predicted node matches a gold entity when its label
or any alias equals one of the entity's names, compared case-blind ignoring spaces, '-', '·', '_'.
Extra nodes of one entity are false positives (a split entity); nodes matching a ``neutral`` name
count neither way. A predicted edge is right when its triple is a gold relation of any tier
(``A|B`` accepts either relation; symmetric relations match either way round); ``neutral_relations``
count neither way; CO_OCCURS and RELATED_TO are not scored; an edge whose evidence is not in the
input text (when the text is given) is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import InputError

__all__ = ["Score", "evaluate", "load_gold", "load_graph", "format_score"]

SYMMETRIC = {"ALLY_OF", "RIVAL_OF", "COMPETES_WITH", "PARTNER_OF"}
UNSCORED = {"CO_OCCURS", "RELATED_TO"}


def name_key(s: str) -> str:
    return re.sub(r"[\s\-·_]", "", str(s)).casefold()


@dataclass
class Score:
    entity_tp: int = 0
    entity_fp: int = 0
    entity_gold: int = 0
    type_ok: int = 0
    split: list[str] = field(default_factory=list)
    missed_entities: list[str] = field(default_factory=list)
    fp_nodes: list[str] = field(default_factory=list)
    rel_tp: int = 0
    rel_fp: int = 0
    rel_gold: int = 0
    rel_found: int = 0
    core_gold: int = 0
    core_found: int = 0
    missed_relations: list[str] = field(default_factory=list)
    fp_relations: list[str] = field(default_factory=list)
    per_relation: dict = field(default_factory=dict)  # REL -> [tp, fp, gold, found]

    @staticmethod
    def prf(tp, fp, gold, found):
        p = tp / (tp + fp) if tp + fp else (1.0 if not gold else 0.0)
        r = found / gold if gold else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    @property
    def entity_prf(self):
        return self.prf(self.entity_tp, self.entity_fp, self.entity_gold, self.entity_tp)

    @property
    def type_accuracy(self):
        return self.type_ok / self.entity_tp if self.entity_tp else 0.0

    @property
    def relation_prf(self):
        return self.prf(self.rel_tp, self.rel_fp, self.rel_gold, self.rel_found)

    @property
    def core_recall(self):
        return self.core_found / self.core_gold if self.core_gold else 1.0

    def add(self, other: "Score") -> "Score":
        for f in ("entity_tp", "entity_fp", "entity_gold", "type_ok", "rel_tp", "rel_fp", "rel_gold",
                  "rel_found", "core_gold", "core_found"):
            setattr(self, f, getattr(self, f) + getattr(other, f))
        for f in ("split", "missed_entities", "fp_nodes", "missed_relations", "fp_relations"):
            getattr(self, f).extend(getattr(other, f))
        for k, v in other.per_relation.items():
            acc = self.per_relation.setdefault(k, [0, 0, 0, 0])
            for i in range(4):
                acc[i] += v[i]
        return self


def load_gold(path) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: gold file not found") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise InputError(f"{path}: cannot read gold file ({e.__class__.__name__})") from None
    if not isinstance(data, dict) or "entities" not in data:
        raise InputError(f"{path}: not a gold file (no 'entities')")
    return data


def load_graph(path):
    from .export.graphml import read_graphml
    from .export.json import read_json

    p = Path(path)
    if not p.is_file():
        raise InputError(f"{path}: graph file not found")
    try:
        if p.suffix.lower() == ".json":
            return read_json(p)
        return read_graphml(p)
    except Exception as e:  # a corrupt file of either format
        raise InputError(f"{path}: cannot read graph ({e.__class__.__name__}: {str(e)[:80]})") from None


def evaluate(G, gold: dict, text: str | None = None) -> Score:
    sc = Score()
    ents = gold.get("entities") or {}
    name_to_ent: dict[str, str] = {}
    for eid, spec in ents.items():
        for n in spec.get("names", []):
            name_to_ent.setdefault(name_key(n), eid)
    neutral = {name_key(n) for n in gold.get("neutral") or []}
    node_ent: dict[str, str] = {}
    first_node: dict[str, str] = {}
    for node in sorted(G.nodes):
        d = G.nodes[node]
        names = [d.get("label", "")] + [a for a in str(d.get("aliases", "")).split("|") if a]
        keys = [name_key(n) for n in names if n]
        match = next((name_to_ent[k] for k in keys if k in name_to_ent), None)
        if match is None:
            if any(k in neutral for k in keys):
                continue
            sc.entity_fp += 1
            sc.fp_nodes.append(f"{d.get('label', node)} ({d.get('type', '?')})")
            continue
        node_ent[node] = match
        if match in first_node:
            sc.entity_fp += 1
            sc.split.append(f"{match}: {first_node[match]} + {node}")
        else:
            first_node[match] = node
    sc.entity_gold = len(ents)
    sc.entity_tp = len(first_node)
    for eid, node in first_node.items():
        if G.nodes[node].get("type") in (ents[eid].get("types") or []):
            sc.type_ok += 1
    sc.missed_entities = [e for e in ents if e not in first_node]

    gold_rels = []
    for r in gold.get("relations") or []:
        s, rel, o, tier = r[0], r[1], r[2], (r[3] if len(r) > 3 else "core")
        gold_rels.append((s, set(rel.split("|")), o, tier))
    neutral_rels = [(r[0], set(r[1].split("|")), r[2]) for r in gold.get("neutral_relations") or []]

    def hits(s, rel, o, pool):
        for i, g in enumerate(pool):
            gs, grels, go = g[0], g[1], g[2]
            if rel in grels and ((gs, go) == (s, o) or (rel in SYMMETRIC and (go, gs) == (s, o))):
                yield i

    found = set()
    seen_triples = set()
    for u, v, d in G.edges(data=True):
        rel = d.get("relation", "")
        if rel in UNSCORED:
            continue
        s, o = node_ent.get(u), node_ent.get(v)
        triple = (s or f"?{u}", rel, o or f"?{v}")
        if rel in SYMMETRIC and triple[0] > triple[2]:
            triple = (triple[2], rel, triple[0])
        if triple in seen_triples:
            continue
        seen_triples.add(triple)
        acc = sc.per_relation.setdefault(rel, [0, 0, 0, 0])
        evidence_ok = True
        if text is not None:
            evidence_ok = all(part in text for part in str(d.get("evidence", "")).split(" | ") if part)
        idx = list(hits(s, rel, o, gold_rels)) if s and o else []
        if idx and evidence_ok:
            sc.rel_tp += 1
            acc[0] += 1
            found.update(idx)
        elif s and o and list(hits(s, rel, o, neutral_rels)) and evidence_ok:
            continue
        else:
            sc.rel_fp += 1
            acc[1] += 1
            sc.fp_relations.append(f"{triple[0]} {rel} {triple[2]}" + ("" if evidence_ok else " (evidence not in text)"))
    sc.rel_gold = len(gold_rels)
    sc.rel_found = len(found)
    for i, g in enumerate(gold_rels):
        for rel in g[1]:
            acc = sc.per_relation.setdefault(rel, [0, 0, 0, 0])
        key = sorted(g[1])[0]
        sc.per_relation[key][2] += 1
        if i in found:
            sc.per_relation[key][3] += 1
        if g[3] == "core":
            sc.core_gold += 1
            sc.core_found += i in found
        if i not in found:
            sc.missed_relations.append(f"{g[0]} {'|'.join(sorted(g[1]))} {g[2]} [{g[3]}]")
    return sc


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def format_score(sc: Score, *, details: bool = True) -> str:
    ep, er, ef = sc.entity_prf
    rp, rr, rf = sc.relation_prf
    core_p = rp  # precision is over all predicted edges whatever their tier
    lines = []
    if details:
        if sc.missed_entities:
            lines.append("missed entities: " + ", ".join(sc.missed_entities))
        if sc.fp_nodes:
            lines.append("false-positive nodes: " + ", ".join(sc.fp_nodes))
        if sc.missed_relations:
            lines.append("missed relations:")
            lines += [f"  - {m}" for m in sc.missed_relations]
        if sc.fp_relations:
            lines.append("false-positive relations:")
            lines += [f"  - {m}" for m in sc.fp_relations]
    lines += [
        f"entities: P={ep:.3f} R={er:.3f} F1={ef:.3f} (gold {sc.entity_gold}, matched {sc.entity_tp}, false {sc.entity_fp})",
        f"entity types: accuracy={sc.type_accuracy:.3f}",
        f"split entities: {len(sc.split)}" + (f" ({'; '.join(sc.split)})" if sc.split else ""),
        f"relations core: P={core_p:.3f} R={sc.core_recall:.3f} F1={_f1(core_p, sc.core_recall):.3f} "
        f"(gold {sc.core_gold}, found {sc.core_found}; P is over all predicted edges)",
        f"relations all: P={rp:.3f} R={rr:.3f} F1={rf:.3f} (gold {sc.rel_gold}, found {sc.rel_found}, predicted {sc.rel_tp + sc.rel_fp})",
    ]
    return "\n".join(lines)
