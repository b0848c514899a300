"""Extraction -> networkx MultiDiGraph: one node per entity, one edge per (subject, relation, object).

The attribute contract every exporter reads is in docs/graph-spec.md. Values are flat scalars
(no None, no lists) so GraphML, GEXF and JSON all carry them as they are.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from .model import Extraction, Relation

__all__ = ["build_graph", "new_graph", "add_entity", "add_edge", "symmetric_relations", "TYPE_COLORS",
           "EVIDENCE_CAP", "DOCS_CAP", "relation_label"]

TYPE_COLORS = {
    "PERSON": "#e15759",
    "ORG": "#4e79a7",
    "PRODUCT": "#59a14f",
    "LOCATION": "#f28e2b",
    "PROJECT": "#b07aa1",
}
EVIDENCE_CAP = 5  # sentences kept per edge, so the graph does not grow with the corpus
DOCS_CAP = 20  # document ids listed per edge (doc_count has them all)
SEP = " | "


def relation_label(name: str) -> str:
    words = name.lower().split("_")
    return " ".join(words)


def _clean(s: str) -> str:
    return s.replace("|", "¦")


def symmetric_relations(rules=None) -> set[str]:
    if rules is None:
        return {"ALLY_OF", "RIVAL_OF", "COMPETES_WITH", "PARTNER_OF"}
    return {n for n, rt in rules.relation_types.items() if rt.symmetric}


def new_graph(n_docs: int) -> nx.MultiDiGraph:
    from . import __version__

    return nx.MultiDiGraph(name="kg", kg_version=__version__, docs=int(n_docs))


def add_entity(G: nx.MultiDiGraph, e) -> None:
    """One node with the attributes of docs/graph-spec.md."""
    G.add_node(e.id, label=e.label, type=e.type, aliases="|".join(_clean(a) for a in e.aliases),
               name_zh=e.name_zh, name_en=e.name_en, wikidata=e.wikidata, mentions=int(e.mentions),
               color=TYPE_COLORS.get(e.type, "#999999"), source=e.source)


def add_edge(G: nx.MultiDiGraph, n: int, key: tuple[str, str, str], *, symmetric: bool, weight: int,
             evidence: list[str], doc: str, docs: list[str], doc_count: int, start: int, end: int,
             rule: str, confidence: float, asserted: bool, qualifiers, first_date: str,
             last_date: str) -> None:
    """The ``n``-th edge (id ``e00001``…) with the attributes of docs/graph-spec.md."""
    eid = f"e{n:05d}"
    G.add_edge(key[0], key[2], key=eid, id=eid, relation=key[1], label=relation_label(key[1]),
               symmetric=symmetric, weight=int(weight), evidence=SEP.join(evidence[:EVIDENCE_CAP]),
               doc=doc, docs="|".join(docs[:DOCS_CAP]), doc_count=int(doc_count), start=int(start),
               end=int(end), rule=rule, confidence=round(confidence, 3),
               certainty="asserted" if asserted else "reported", qualifier=",".join(sorted(qualifiers)),
               first_date=first_date, last_date=last_date)


def build_graph(ex: Extraction, rules=None) -> nx.MultiDiGraph:
    """Build the graph; deterministic: nodes sorted by id, edges by (subject, relation, object)."""
    symmetric = symmetric_relations(rules)
    G = new_graph(len(ex.docs))
    for eid in sorted(ex.entities):
        add_entity(G, ex.entities[eid])
    groups: dict[tuple[str, str, str], list[Relation]] = defaultdict(list)
    for r in ex.relations:
        groups[(r.subject, r.relation, r.object)].append(r)
    for n, key in enumerate(sorted(groups), 1):
        rels = sorted(groups[key], key=lambda r: (ex.docs.index(r.doc) if r.doc in ex.docs else 0, r.start, r.rule))
        first = rels[0]
        support: dict[tuple[str, int], Relation] = {}
        for r in rels:
            support.setdefault((r.doc, r.start), r)
        evidence: list[str] = []
        for r in support.values():
            if r.evidence not in evidence:
                evidence.append(r.evidence)
            if len(evidence) >= EVIDENCE_CAP:
                break
        docs: list[str] = []
        for r in rels:
            if r.doc not in docs:
                docs.append(r.doc)
        dates = sorted(r.date for r in rels if r.date)
        add_edge(G, n, key, symmetric=key[1] in symmetric, weight=len(support), evidence=evidence,
                 doc=first.doc, docs=docs, doc_count=len(docs), start=first.start, end=first.end,
                 rule=first.rule, confidence=max(r.confidence for r in rels),
                 asserted=any(r.certainty == "asserted" for r in rels),
                 qualifiers={r.qualifier for r in rels if r.qualifier},
                 first_date=dates[0] if dates else "", last_date=dates[-1] if dates else "")
    return G
