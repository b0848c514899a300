"""
****
GEXF
****
Write the knowledge graph in GEXF 1.2 (the ``1.2draft`` namespace, with ``viz``) so that it
opens in Gephi coloured by entity type and sized by mentions.

Format
======
GEXF is the XML format of Gephi (https://gexf.net). The file is written by networkx's GEXF
writer (``networkx.readwrite.gexf``) with these choices:

- nodes: the node id is the GEXF id, ``label`` the GEXF label; ``viz:color`` comes from
  ``color`` (``#rrggbb``, else the colour of the type) and ``viz:size`` from ``mentions``;
  every other attribute of docs/graph-spec.md is a GEXF attribute (``type``, ``aliases``,
  ``name_zh``, ``name_en``, ``wikidata``, ``mentions``, ``color``, ``source``);
- edges: directed (``defaultedgetype="directed"``); the edge ``id`` is the GEXF id, the
  readable ``label`` the GEXF label, ``weight`` the GEXF weight. The relation is the GEXF
  attribute ``relation`` (GEXF's own edge ``type`` means directed/undirected, so it is not
  used for it); ``symmetric`` says whether the direction carries meaning;
- the spec's ``start`` and ``end`` (character offsets of the first evidence) are written as
  ``evidence_start`` and ``evidence_end``: in GEXF, ``start`` and ``end`` are times, and
  would make the graph dynamic;
- no ``lastmodifieddate``, nodes sorted by id and edges by id, attributes by name: the same
  graph gives the same bytes.

``networkx.read_gexf`` reads the file back as a ``MultiDiGraph`` (a ``DiGraph`` when there
are no parallel edges) with the same nodes, edges and attributes (``weight`` as a float).

Not supported
=============
- Graph attributes other than ``name``, ``docs`` and ``kg_version`` (those go into the
  ``<meta>`` description); dynamic (time) attributes; node positions (Gephi lays out).
- Values that are not str, int, float or bool are written as strings.
- Characters that XML 1.0 cannot carry (control characters other than tab and newline,
  lone surrogates, U+FFFE/U+FFFF) are replaced by U+FFFD.

Security
========
All text comes from untrusted articles. It is written through ElementTree, which escapes
``<``, ``&``, quotes and line breaks, so no value can add elements or attributes. The file
names no external resource. Reading GEXF from elsewhere with ``networkx.read_gexf`` parses
XML with ElementTree: use defusedxml for files you do not trust.
"""

from __future__ import annotations

import io
import math
import os
import re
from xml.etree.ElementTree import ElementTree

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from kg.fileio import atomic_write_bytes

__all__ = ["generate_gexf", "write_gexf", "TYPE_COLORS"]

from kg.graph import TYPE_COLORS  # noqa: E402  (colours by entity type, one definition)
_OTHER_COLOR = "#8c8c8c"

_GEXF_VERSION = "1.2draft"
_COLOR_RE = re.compile(r"^#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})$")
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Attribute names networkx's GEXF writer takes for itself, and the names they are written as.
_NODE_RENAME = {
    "id": "kg_id", "pid": "kg_pid", "start": "kg_start", "end": "kg_end", "viz": "kg_viz",
    "parents": "kg_parents", "spells": "kg_spells", "slices": "kg_slices",
    "key": "kg_key", "networkx_key": "kg_networkx_key",
}
_EDGE_RENAME = {
    "start": "evidence_start", "end": "evidence_end", "type": "kg_type", "viz": "kg_viz",
    "spells": "kg_spells", "slices": "kg_slices", "key": "kg_key",
    "networkx_key": "kg_networkx_key",
}


def _xml_text(value) -> str:
    s = value if isinstance(value, str) else str(value)
    return _XML_BAD.sub("\ufffd", s)


def _value(value):
    """A value networkx's writer accepts and XML can carry."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else _xml_text(value)
    if value is None:
        return ""
    return _xml_text(value)


def _node_size(mentions) -> float:
    try:
        m = max(0, int(mentions))
    except (TypeError, ValueError):
        m = 0
    return float(round(min(48.0, 9.0 + 5.0 * math.sqrt(m)), 1))


def _rgb(color, ntype) -> dict:
    m = _COLOR_RE.match(color) if isinstance(color, str) else None
    if not m:
        m = _COLOR_RE.match(TYPE_COLORS.get(str(ntype), _OTHER_COLOR))
    r, g, b = (int(x, 16) for x in m.groups())
    return {"r": r, "g": g, "b": b, "a": 1.0}


def _export_graph(G: nx.Graph) -> nx.MultiDiGraph:
    """A copy of ``G`` shaped for networkx's GEXF writer (``G`` itself is not changed)."""
    H = nx.MultiDiGraph(name=_xml_text(G.graph.get("name", "kg")))
    ids = {n: _xml_text(n) for n in G.nodes}
    for n in sorted(G.nodes, key=lambda n: ids[n]):
        d = G.nodes[n]
        attrs = {}
        for k in d:
            if k != "label":
                attrs[_NODE_RENAME.get(k, _xml_text(k))] = _value(d[k])
        attrs = dict(sorted(attrs.items()))
        label = d.get("label")
        attrs["label"] = _xml_text(label if label not in (None, "") else ids[n])
        attrs["viz"] = {"color": _rgb(d.get("color"), d.get("type")),
                        "size": _node_size(d.get("mentions", 0))}
        H.add_node(ids[n], **attrs)

    edges = []
    for u, v, k, d in (G.edges(keys=True, data=True) if G.is_multigraph()
                       else ((u, v, None, d) for u, v, d in G.edges(data=True))):
        eid = d.get("id")
        eid = _xml_text(eid if eid not in (None, "") else (k if k is not None else ""))
        edges.append((eid, ids[u], ids[v], d))
    edges.sort(key=lambda t: (t[0], t[1], t[2]))
    seen: set[str] = set()
    for eid, u, v, d in edges:
        base, i = eid or "e", 1
        while eid in seen or not eid:  # GEXF ids must be unique
            i += 1
            eid = f"{base}~{i}"
        seen.add(eid)
        attrs = {}
        for k in d:
            if k not in ("id", "label", "weight"):
                attrs[_EDGE_RENAME.get(k, _xml_text(k))] = _value(d[k])
        attrs = dict(sorted(attrs.items()))
        if d.get("label") not in (None, ""):
            attrs["label"] = _xml_text(d["label"])
        if "weight" in d:
            w = _value(d["weight"])
            if isinstance(w, (int, float)) and not isinstance(w, bool):
                attrs["weight"] = w
        attrs["id"] = eid
        H.add_edge(u, v, key=eid, **attrs)
    return H


def _description(G) -> str:
    bits = ["kg knowledge graph"]
    docs = G.graph.get("docs")
    if isinstance(docs, int) and not isinstance(docs, bool):
        bits.append(f"{docs} document{'s' if docs != 1 else ''}")
    version = G.graph.get("kg_version")
    if version:
        bits.append(f"kg {version}")
    return _xml_text("; ".join(bits))


def generate_gexf(G: nx.Graph) -> bytes:
    """The GEXF 1.2 document for ``G`` as UTF-8 bytes (see the module docstring)."""
    H = _export_graph(G)
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version=_GEXF_VERSION)
    meta = writer.xml.find("meta")
    meta.attrib.pop("lastmodifieddate", None)  # changes every day: no deterministic bytes
    meta.find("creator").text = "kg"
    desc = meta.makeelement("description", {})
    desc.text = _description(G)
    meta.append(desc)
    writer.add_graph(H)
    _drop_networkx_key(writer)
    writer.indent(writer.xml)
    buf = io.BytesIO()
    ElementTree(writer.xml).write(buf, encoding="utf-8", xml_declaration=True)
    out = buf.getvalue()
    return out if out.endswith(b"\n") else out + b"\n"


def _drop_networkx_key(writer: GEXFWriter) -> None:
    """networkx writes each multigraph key as an attribute ``networkx_key``; ours equal the
    edge ids, which read_gexf uses as keys anyway, so the extra column is left out."""
    graph = writer.graph_element
    drop = set()
    for attrs in graph.findall("attributes"):
        if attrs.get("class") != "edge":
            continue
        for a in list(attrs.findall("attribute")):
            if a.get("title") == "networkx_key":
                drop.add(a.get("id"))
                attrs.remove(a)
    if not drop:
        return
    edges = graph.find("edges")
    for e in edges.findall("edge") if edges is not None else ():
        vals = e.find("attvalues")
        if vals is None:
            continue
        for av in list(vals.findall("attvalue")):
            if av.get("for") in drop:
                vals.remove(av)
        if not len(vals):
            e.remove(vals)


def write_gexf(G: nx.Graph, path: str | os.PathLike) -> None:
    """Write ``G`` as GEXF 1.2 to ``path`` (UTF-8, atomically). ``G`` is not changed."""
    atomic_write_bytes(path, generate_gexf(G))
