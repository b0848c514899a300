"""Node-link JSON: kg's graph for programs (networkx ``node_link_data`` layout, ``edges`` key).

``to_data(G) -> dict`` and ``from_data(dict) -> G`` keep data separate from I/O; ``write_json``
writes UTF-8 with sorted keys, so the same graph gives the same bytes.
"""

from __future__ import annotations

import json
import math
import re

import networkx as nx

from ..fileio import atomic_write_bytes

__all__ = ["to_data", "from_data", "write_json", "read_json", "generate_json"]


def to_data(G: nx.MultiDiGraph) -> dict:
    return nx.node_link_data(G, edges="edges")


def from_data(data: dict) -> nx.MultiDiGraph:
    key = "edges" if "edges" in data else "links"
    G = nx.node_link_graph(data, directed=True, multigraph=True, edges=key)
    return G


_SURROGATE = re.compile("[\ud800-\udfff]")


def _finite(v):
    """NaN and infinities are not JSON: write them as strings (they never occur in kg's graphs)."""
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    if isinstance(v, dict):
        return {k: _finite(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_finite(x) for x in v]
    return v


def generate_json(G: nx.MultiDiGraph) -> bytes:
    """UTF-8 JSON, sorted keys. Control characters are escaped by ``json``; a lone surrogate
    (which UTF-8 cannot carry) is written as its ``\\uXXXX`` escape, so the text reads back
    exactly and the rest of the file stays readable UTF-8."""
    try:
        text = json.dumps(to_data(G), ensure_ascii=False, indent=1, sort_keys=True, allow_nan=False)
    except ValueError:
        text = json.dumps(_finite(to_data(G)), ensure_ascii=False, indent=1, sort_keys=True, allow_nan=False)
    # unescaped, a surrogate can only sit inside a JSON string: its escape is the same string
    text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return (text + "\n").encode("utf-8")


def write_json(G: nx.MultiDiGraph, path) -> None:
    atomic_write_bytes(path, generate_json(G))


def read_json(path) -> nx.MultiDiGraph:
    with open(path, encoding="utf-8") as fh:
        return from_data(json.load(fh))
