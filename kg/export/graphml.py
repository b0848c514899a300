"""GraphML (http://graphml.graphdrawing.org/): what Gephi, yEd, igraph and networkx read.

Written by networkx with edge ids taken from the ``id`` attribute, so every edge id is unique.
Does not support: list or None values (kg's graph holds flat scalars only). Characters XML 1.0
forbids (control characters, lone surrogates, U+FFFE/U+FFFF) become U+FFFD in every string on the
way out (as in the GEXF export), so lengths, and so evidence offsets, are kept; graph.json keeps
the text exactly. Non-finite floats (NaN, inf) are written as strings XML Schema accepts.
Security: kg's writer escapes all text; readers of untrusted GraphML should still use a parser
that does not resolve external entities.
"""

from __future__ import annotations

import io
import re

import networkx as nx

from ..fileio import atomic_write_bytes

__all__ = ["write_graphml", "generate_graphml", "read_graphml", "xml_safe", "xml_safe_graph", "xml_id"]

_XML_BAD = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(s: str) -> str:
    """``s`` with every character XML 1.0 cannot carry replaced by U+FFFD (same length)."""
    return _XML_BAD.sub("\ufffd", s)


# GraphML types node and edge ids as xs:NMTOKEN: XML name characters only (the BMP ones: the
# schema validators in use reject names beyond U+FFFF)
_NAME_CHARS = ("\\-.0-9:A-Z_a-z\u00b7\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u037d\u037f-\u167f\u1681-\u1fff"
               "\u200c\u200d\u203f\u2040\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd")
_NOT_NAME = re.compile(f"[^{_NAME_CHARS}]")


def xml_id(s) -> str:
    """A node or edge id as a valid NMTOKEN: kg's slugs pass unchanged; any other character is
    written ``_xHHHH_`` (its code point), as in XML name escaping, so distinct ids stay distinct."""
    s = str(s)
    if not s:
        return "_"
    return _NOT_NAME.sub(lambda m: f"_x{ord(m.group()):04X}_", s)


def _safe_value(v):
    if isinstance(v, str):
        return xml_safe(v)
    if isinstance(v, float) and v != v:
        return "NaN"
    if isinstance(v, float) and v in (float("inf"), float("-inf")):
        return "INF" if v > 0 else "-INF"
    return v


def xml_safe_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of G whose string values XML can carry and whose node and edge ids are NMTOKENs."""
    H = nx.MultiDiGraph()
    H.graph.update({xml_safe(str(k)): _safe_value(v) for k, v in G.graph.items()})
    ids: dict = {}
    taken: set[str] = set()
    for n in G.nodes:
        i = xml_id(n)
        while i in taken:  # only if an escaped id equals another id as written
            i += "_"
        ids[n] = i
        taken.add(i)
    for n, d in G.nodes(data=True):
        attrs = {xml_safe(str(k)): _safe_value(v) for k, v in d.items()}
        attrs.update(_rgb(d.get("color")))
        H.add_node(ids[n], **attrs)
    for u, v, k, d in G.edges(keys=True, data=True):
        attrs = {xml_safe(str(a)): _safe_value(x) for a, x in d.items()}
        if "id" in attrs:
            attrs["id"] = xml_id(attrs["id"])
        H.add_edge(ids[u], ids[v], key=xml_id(k), **attrs)
    return H


_RGB_KEYS = ("r", "g", "b")


def _rgb(color) -> dict:
    """Gephi's GraphML importer colours nodes from integer r, g, b attributes."""
    if isinstance(color, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", color):
        return {k: int(color[1 + 2 * i:3 + 2 * i], 16) for i, k in enumerate(_RGB_KEYS)}
    return {}


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
    for _, d in G.nodes(data=True):  # r, g, b only restate `color` for Gephi
        if "color" in d and all(k in d for k in _RGB_KEYS):
            for k in _RGB_KEYS:
                del d[k]
    return G
