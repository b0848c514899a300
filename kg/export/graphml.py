"""GraphML (http://graphml.graphdrawing.org/): what Gephi, yEd, igraph and networkx read.

Written by networkx with edge ids taken from the ``id`` attribute, so every edge id is unique.
Does not support: list or None values (kg's graph holds flat scalars only). Characters XML 1.0
forbids (control characters, lone surrogates) are removed from every string on the way out.
Security: kg's writer escapes all text; readers of untrusted GraphML should still use a parser
that does not resolve external entities.
"""

from __future__ import annotations

import io
import re

import networkx as nx

from ..fileio import atomic_write_bytes

__all__ = ["write_graphml", "generate_graphml", "read_graphml", "xml_safe", "xml_safe_graph"]

_XML_BAD = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(s: str) -> str:
    return _XML_BAD.sub("", s)


def xml_safe_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of G whose string values (and node ids) XML can carry."""
    H = nx.MultiDiGraph()
    H.graph.update({k: xml_safe(v) if isinstance(v, str) else v for k, v in G.graph.items()})
    for n, d in G.nodes(data=True):
        H.add_node(xml_safe(n), **{k: xml_safe(v) if isinstance(v, str) else v for k, v in d.items()})
    for u, v, k, d in G.edges(keys=True, data=True):
        H.add_edge(xml_safe(u), xml_safe(v), key=k,
                   **{a: xml_safe(x) if isinstance(x, str) else x for a, x in d.items()})
    return H


def generate_graphml(G: nx.MultiDiGraph) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml(xml_safe_graph(G), buf, encoding="utf-8", prettyprint=True,
                     edge_id_from_attribute="id")
    return buf.getvalue()


def write_graphml(G: nx.MultiDiGraph, path) -> None:
    atomic_write_bytes(path, generate_graphml(G))


def read_graphml(path) -> nx.MultiDiGraph:
    G = nx.read_graphml(path, force_multigraph=True)
    if not G.is_directed():
        G = nx.MultiDiGraph(G)
    return G
