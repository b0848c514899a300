"""
****
HTML
****
Write the knowledge graph as one self-contained, interactive HTML page.

The page is built with pyvis (:class:`pyvis.network.Network` and its ``from_nx``) and shows
the graph with vis-network. It is a single file that works with no network at all: the
vis-network script and stylesheet that the pyvis package ships (``pyvis/templates/lib/
vis-9.1.2``) are copied into it, and it links nothing (no CDN, no Bootstrap, no fonts).

What the page offers:

- nodes coloured by entity type (``color``) with a legend, sized by ``mentions``; edge labels
  are the relation names, with an arrow for a directed relation and none for a symmetric one
  (``symmetric``), dashed when the relation is only reported (``certainty == "reported"``);
- a switch between Chinese and English labels (``name_zh`` / ``name_en``, else ``label``);
- a search box that finds a node by any alias, Chinese or English, ignoring case, spaces and
  ``- · _``; filters by entity type and by relation type;
- a click on a node opens a side panel that lists its relations with their evidence
  sentences and documents; hovering shows a tooltip (type and aliases, or an edge's evidence);
- the layout settles and then stops. Up to ``PHYSICS_MAX_NODES`` nodes, vis-network's physics
  lays the graph out (forceAtlas2Based, no improvedLayout, straight edges, bounded
  stabilisation, fixed seed) and is switched off once stabilised. Bigger graphs are laid out
  by the page's own script before drawing (ForceAtlas2-like forces from a spiral start, a
  bounded number of steps, no randomness), and vis-network only draws them, physics off: a
  graph of 2,000 nodes and 5,000 edges settles in a few seconds in headless Chromium
  (benchmarks/bench_page.py), where vis-network's physics needs tens of milliseconds a step.
- ``max_nodes=N`` keeps the N heaviest nodes (by ``mentions``, then degree, then id) and the
  page says how many it left out.

The page keeps pyvis's page globals ``network`` (the ``vis.Network``), ``nodes`` and ``edges``
(``vis.DataSet``). It also sets ``window.kgSettled = true`` once the layout has stopped, and
offers ``window.kg.search(text)``, ``window.kg.selectNode(id)`` and
``window.kg.setLanguage("zh" | "en")`` to scripts.

Format
======
One UTF-8 HTML5 file (whatever the platform's locale). The graph is embedded as JSON in a
``<script type="application/json">`` block. The same graph gives the same bytes.

Not supported
=============
- Attributes that are not in docs/graph-spec.md are shown as plain facts in the side panel,
  but kept under ``extra`` in the data: vis-network never reads them (names such as
  ``title``, ``image`` or ``hidden`` have a meaning there).
- Positions are not stored in the file: the browser computes them, the same every time.
- Very large graphs are slow in any browser (the page's layout visits every pair of nodes,
  with fewer steps as the graph grows, so quality drops past a few thousand nodes); use
  ``max_nodes``.

Security
========
Names, aliases and evidence come from untrusted articles. The page treats every one of them
as text: the data is embedded as JSON with ``<``, ``>``, ``&``, U+2028 and U+2029 written as
``\\u003c``-style escapes (so no ``</script>`` can close the block), and the page's script
renders it with ``textContent`` only (never ``innerHTML``, and no vis ``title`` strings, which
some vis-network versions render as HTML). Colours that are not ``#rrggbb`` are replaced. A
Content-Security-Policy meta (``default-src 'none'``) forbids every network request as a
second line of defence.

Examples
========
>>> from kg.export.html import write_html
>>> stats = write_html(G, "graph.html", max_nodes=500)  # doctest: +SKIP
>>> stats["nodes_shown"], stats["nodes_left_out"], stats["edges_shown"]  # doctest: +SKIP
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
from pathlib import Path

import networkx as nx
import pyvis
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from pyvis.network import Network

from kg.fileio import atomic_write_text

__all__ = ["render_html", "write_html", "select_nodes", "TYPE_COLORS", "CSP"]

from kg.graph import TYPE_COLORS  # noqa: E402  (colours by entity type, one definition)
_OTHER_COLOR = "#8c8c8c"
_TYPE_ORDER = ("PERSON", "ORG", "PRODUCT", "LOCATION", "PROJECT")

#: The page's Content-Security-Policy: no network at all, inline script and style only.
CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"

_VIS_VERSION = "9.1.2"
_TEMPLATES = Path(__file__).resolve().parent / "templates"

_NODE_FIELDS = {  # spec attribute -> default
    "label": "",
    "type": "",
    "aliases": "",
    "name_zh": "",
    "name_en": "",
    "wikidata": "",
    "mentions": 0,
    "color": "",
    "source": "",
}
_EDGE_FIELDS = {
    "id": "",
    "relation": "",
    "label": "",
    "symmetric": False,
    "weight": 1,
    "evidence": "",
    "doc": "",
    "docs": "",
    "start": 0,
    "end": 0,
    "rule": "",
    "confidence": 0.0,
    "certainty": "",
    "qualifier": "",
}

_COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
_SURROGATES = re.compile("[\ud800-\udfff]")


# --------------------------------------------------------------------------- helpers


def _text(value) -> str:
    """Any value as a string that can be encoded as UTF-8 (lone surrogates replaced)."""
    if value is None:
        return ""
    s = value if isinstance(value, str) else str(value)
    return _SURROGATES.sub("\ufffd", s)


def _scalar(value, default):
    """A JSON-safe flat scalar of the default's kind."""
    if value is None:
        return default
    if isinstance(default, bool):
        if isinstance(value, str):
            return value.strip().lower() in {"true", "1", "yes"}
        return bool(value)
    if isinstance(default, int):
        try:
            return int(value)
        except (TypeError, ValueError):
            return default
    if isinstance(default, float):
        try:
            f = float(value)
        except (TypeError, ValueError):
            return default
        return f if math.isfinite(f) else default
    return _text(value)


def _extra(d: dict, known: dict) -> dict:
    """Attributes outside the spec, kept apart (under ``extra``) so vis-network never reads
    them as its own options; shown as plain facts in the side panel."""
    out = {}
    for k, v in d.items():
        if k in known or v is None or v == "":
            continue
        if isinstance(v, bool) or isinstance(v, int):
            out[_text(k)] = v
        elif isinstance(v, float):
            out[_text(k)] = v if math.isfinite(v) else _text(v)
        else:
            out[_text(k)] = _text(v)
    return dict(sorted(out.items()))


def _node_key(n) -> str:
    return _text(n)


def select_nodes(G: nx.MultiDiGraph, max_nodes: int | None = None) -> list:
    """The nodes the page shows: all of them, or the ``max_nodes`` heaviest ones.

    Heaviest means most ``mentions``, then highest degree (in + out, parallel edges count),
    ties broken by node id, so the choice is deterministic. Returned in that order.
    """
    order = sorted(
        G.nodes,
        key=lambda n: (-_scalar(G.nodes[n].get("mentions"), 0), -G.degree(n), _node_key(n)),
    )
    if max_nodes is None:
        return order
    if max_nodes < 0:
        raise ValueError(f"max_nodes must be >= 0, not {max_nodes}")
    return order[:max_nodes]


def _json_for_script(obj) -> str:
    """JSON that is safe inside a <script> element: no ``<``, ``>``, ``&``, U+2028/2029."""
    s = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                   allow_nan=False)
    return (
        s.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _node_size(mentions: int) -> int:
    return int(round(min(48.0, 9.0 + 5.0 * math.sqrt(max(0, mentions)))))


def _edge_width(weight: int) -> float:
    return round(min(6.0, 1.0 + math.log2(max(1, weight))), 2)


# --------------------------------------------------------------------------- the view


def _view_graph(G: nx.MultiDiGraph, keep: list) -> nx.MultiDiGraph:
    """A new graph with the shown nodes and the display attributes pyvis passes on.

    ``from_nx`` writes into the graph it is given (``size``, ``width``, pops ``weight``), so it
    gets this throw-away graph, never ``G``. Nodes and edges are sorted by id so that the same
    graph gives the same page whatever order it was built in.
    """
    H = nx.MultiDiGraph()
    ids = {n: _node_key(n) for n in keep}
    for n in sorted(keep, key=_node_key):
        d = G.nodes[n]
        attrs = {k: _scalar(d.get(k), dflt) for k, dflt in _NODE_FIELDS.items()}
        ntype = attrs["type"] or "OTHER"
        color = attrs["color"] if _COLOR_RE.match(attrs["color"]) else ""
        color = (color or TYPE_COLORS.get(ntype, _OTHER_COLOR)).lower()
        attrs["color"] = color
        attrs["type"] = ntype
        attrs["kg_label"] = attrs["label"] or ids[n]
        # The label vis draws: English mode by default (name_en, else the canonical label).
        attrs["label"] = attrs["name_en"] or attrs["kg_label"]
        attrs["shape"] = "dot"
        attrs["size"] = _node_size(attrs["mentions"])
        attrs["extra"] = _extra(d, _NODE_FIELDS)
        H.add_node(ids[n], **attrs)

    kept = set(keep)
    raw = []
    triples = (G.edges(keys=True, data=True) if G.is_multigraph()
               else ((u, v, "", d) for u, v, d in G.edges(data=True)))
    for u, v, k, d in triples:
        if u in kept and v in kept:
            attrs = {f: _scalar(d.get(f), dflt) for f, dflt in _EDGE_FIELDS.items()}
            attrs["extra"] = _extra(d, _EDGE_FIELDS)
            raw.append((attrs["id"] or _text(k), ids[u], ids[v], attrs))
    raw.sort(key=lambda t: (t[0], t[1], t[2]))

    # Parallel edges (either direction) between the same pair are bent apart.
    pair_count: dict[tuple[str, str], int] = {}
    for _, u, v, _a in raw:
        pair = (u, v) if u <= v else (v, u)
        pair_count[pair] = pair_count.get(pair, 0) + 1

    seen_ids: set[str] = set()
    pair_index: dict[tuple[str, str], int] = {}
    for eid, u, v, attrs in raw:
        # vis.DataSet refuses duplicate ids: make every id unique, deterministically.
        base, i = eid or "e", 1
        while eid in seen_ids or not eid:
            i += 1
            eid = f"{base}~{i}"
        seen_ids.add(eid)
        attrs["id"] = eid
        attrs["kg_label"] = attrs["label"]
        attrs["label"] = attrs["label"] or attrs["relation"]
        attrs["arrows"] = {"to": {"enabled": not attrs["symmetric"]}}
        attrs["dashes"] = attrs["certainty"] == "reported"
        # With both value and width set, from_nx leaves ``weight`` alone (else it pops it).
        attrs["value"] = attrs["weight"]
        attrs["width"] = _edge_width(attrs["weight"])
        pair = (u, v) if u <= v else (v, u)
        if pair_count[pair] > 1 and u != v:
            k = pair_index.get(pair, 0)
            pair_index[pair] = k + 1
            if k:
                side = (k % 2 == 1) != (u != pair[0])
                attrs["smooth"] = {
                    "enabled": True,
                    "type": "curvedCW" if side else "curvedCCW",
                    "roundness": round(min(0.8, 0.2 * ((k + 1) // 2)), 2),
                }
        H.add_edge(u, v, key=eid, **attrs)
    return H


#: Above this many nodes the page lays the graph out itself (vis-network's physics is too slow
#: there) and vis-network only draws it, with physics off.
PHYSICS_MAX_NODES = 150


def _layout_spec(n_nodes: int, n_edges: int) -> dict:
    """How the page lays the graph out: vis-network's physics, or its own quicker layout."""
    if n_nodes <= PHYSICS_MAX_NODES:
        return {"kind": "physics"}
    return {
        "kind": "kg",
        "distance": 70,  # px between linked nodes at rest
        "gravity": 1.0,  # 1: the pull to the centre balances the push of the whole graph
        "startMove": 3.0,  # the most a node moves in the first step, in ``distance``s
        "budget": 3.0e8,  # node pairs visited in all (bounds the time on big graphs)
        "minSteps": 25,
        "maxSteps": 300,
    }


def _vis_options(n_nodes: int, n_edges: int) -> dict:
    """vis-network options: a layout that settles fast and then stops."""
    big = n_nodes > PHYSICS_MAX_NODES
    return {
        "autoResize": True,
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "physics": {
            "enabled": not big,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -110,
                "centralGravity": 0.01,
                "springLength": 160,
                "springConstant": 0.06,
                "damping": 0.5,
                "avoidOverlap": 0.2,
            },
            "maxVelocity": 60,
            "minVelocity": 1.5,
            "timestep": 0.5,
            "stabilization": {
                "enabled": True,
                "iterations": 1000,
                "updateInterval": 25,
                "fit": True,
            },
        },
        "nodes": {
            "shape": "dot",
            "borderWidth": 1.5,
            "borderWidthSelected": 3,
            "font": {
                "size": 15,
                "face": "system-ui, 'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', "
                "'Microsoft YaHei', sans-serif",
                "color": "#1f2328",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
        },
        "edges": {
            "smooth": False,
            "color": {"color": "#9aa4b1", "highlight": "#1f6feb", "hover": "#57606a",
                      "inherit": False},
            "font": {
                "size": 11,
                "color": "#57606a",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
                "align": "horizontal",
            },
            "arrows": {"to": {"enabled": False, "scaleFactor": 0.6}},
            "selectionWidth": 1.5,
            "hoverWidth": 1,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": n_edges > 1500,
            "hideEdgesOnZoom": n_edges > 1500,
            "navigationButtons": False,
            "keyboard": False,
            "multiselect": False,
        },
    }


# --------------------------------------------------------------------------- assets


def _vis_dir() -> Path:
    base = Path(pyvis.__file__).resolve().parent
    for cand in (base / "templates" / "lib" / f"vis-{_VIS_VERSION}",
                 base / "lib" / f"vis-{_VIS_VERSION}"):
        if (cand / "vis-network.min.js").is_file():
            return cand
    raise FileNotFoundError(f"pyvis does not ship vis-network {_VIS_VERSION} in {base}")


def _inline_safe(code: str, tag: str) -> str:
    """Code that cannot end its own <script>/<style> element early."""
    code = re.sub(rf"</(?={tag})", r"<\\/", code, flags=re.I)
    if tag == "script":
        code = code.replace("<!--", "<\\!--")
    if re.search(rf"</{tag}", code, flags=re.I):  # pragma: no cover - defensive
        raise ValueError(f"cannot inline code containing </{tag}")
    return code


@functools.lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    vis = _vis_dir()
    read = lambda p: p.read_text(encoding="utf-8")  # noqa: E731
    css = read(vis / "vis-network.css")
    # The stylesheet may only use data: URLs (anything else would be a request).
    for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css):
        if not url.startswith("data:"):
            raise ValueError(f"vis-network.css refers to {url!r}")
    return {
        "vis_js": _inline_safe(read(vis / "vis-network.min.js"), "script"),
        "vis_css": _inline_safe(css, "style"),
        "page_js": _inline_safe(read(_TEMPLATES / "graph.js"), "script"),
        "page_css": _inline_safe(read(_TEMPLATES / "graph.css"), "style"),
    }


@functools.lru_cache(maxsize=1)
def _template():
    env = Environment(
        loader=FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template("graph.html.j2")


# --------------------------------------------------------------------------- rendering


def _type_order(t: str):
    return (_TYPE_ORDER.index(t) if t in _TYPE_ORDER else len(_TYPE_ORDER), t)


def _render(G: nx.MultiDiGraph, max_nodes: int | None, title: str) -> tuple[str, dict]:
    if not isinstance(G, nx.Graph):
        raise TypeError("render_html needs a networkx graph")
    keep = select_nodes(G, max_nodes)
    H = _view_graph(G, keep)

    net = Network(directed=True, cdn_resources="in_line", heading="")
    net.from_nx(H, default_node_size=10, show_edge_weights=False)
    node_items = sorted(net.nodes, key=lambda d: d["id"])
    edge_items = sorted(net.edges, key=lambda d: d["id"])
    for e in edge_items:
        # ``value`` was only there to keep from_nx off ``weight``; vis would rescale widths
        # from it relative to the heaviest edge, and ``width`` already says it.
        e.pop("value", None)
    del H, net

    types: dict[str, dict] = {}
    for n in node_items:
        t = types.setdefault(n["type"], {"type": n["type"], "color": n["color"], "count": 0})
        t["count"] += 1
    relations: dict[str, dict] = {}
    for e in edge_items:
        r = relations.setdefault(e["relation"], {"relation": e["relation"],
                                                 "label": e["kg_label"] or e["relation"],
                                                 "count": 0, "symmetric": e["symmetric"]})
        r["count"] += 1

    title = _text(title)
    total_nodes = G.number_of_nodes()
    stats = {
        "nodes_shown": len(node_items),
        "nodes_left_out": total_nodes - len(node_items),
        "edges_shown": len(edge_items),
        "edges_left_out": G.number_of_edges() - len(edge_items),
    }
    meta = {
        "title": title,
        "total_nodes": total_nodes,
        "total_edges": G.number_of_edges(),
        "max_nodes": max_nodes,
        "docs": _scalar(G.graph.get("docs"), 0),
        "kg_version": _scalar(G.graph.get("kg_version"), ""),
        "types": sorted(types.values(), key=lambda t: _type_order(t["type"])),
        "relations": sorted(relations.values(), key=lambda r: (-r["count"], r["relation"])),
        **stats,
    }
    data = {
        "meta": meta,
        "nodes": node_items,
        "edges": edge_items,
        "options": _vis_options(len(node_items), len(edge_items)),
        "layout": _layout_spec(len(node_items), len(edge_items)),
    }
    assets = _assets()
    page = _template().render(
        title=title,
        csp=Markup(CSP),  # our constant; its quotes must stay quotes
        summary=_summary(meta),
        left_out=_left_out_text(meta),
        data_json=Markup(_json_for_script(data)),
        vis_js=Markup(assets["vis_js"]),
        vis_css=Markup(assets["vis_css"]),
        page_js=Markup(assets["page_js"]),
        page_css=Markup(assets["page_css"]),
    )
    return page, stats


def _summary(meta: dict) -> str:
    s = f"{meta['nodes_shown']:,} entities · {meta['edges_shown']:,} relations"
    if meta["docs"]:
        s += f" · {meta['docs']:,} document{'s' if meta['docs'] != 1 else ''}"
    return s


def _left_out_text(meta: dict) -> str:
    if not meta["nodes_left_out"]:
        return ""
    return (
        f"Showing the {meta['nodes_shown']:,} heaviest of {meta['total_nodes']:,} entities: "
        f"{meta['nodes_left_out']:,} left out (max_nodes={meta['max_nodes']}), "
        f"with {meta['edges_left_out']:,} of their relations."
    )


def render_html(G: nx.MultiDiGraph, *, max_nodes: int | None = None,
                title: str = "kg graph") -> str:
    """The page for ``G`` as a string (see the module docstring). ``G`` is not changed."""
    return _render(G, max_nodes, title)[0]


def write_html(G: nx.MultiDiGraph, path: str | os.PathLike, *, max_nodes: int | None = None,
               title: str = "kg graph") -> dict:
    """Write the page for ``G`` to ``path`` (UTF-8, atomically) and return its stats.

    Returns ``{"nodes_shown", "nodes_left_out", "edges_shown", "edges_left_out"}``.
    """
    page, stats = _render(G, max_nodes, title)
    atomic_write_text(path, page)
    return stats

