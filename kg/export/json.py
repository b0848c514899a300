"""Node-link JSON: kg's graph for programs (networkx ``node_link_data`` layout, ``edges`` key).

``to_data(G) -> dict`` and ``from_data(dict) -> G`` keep data separate from I/O; ``write_json``
writes UTF-8 with sorted keys, so the same graph gives the same bytes.
"""

from __future__ import annotations

import json

import networkx as nx

from ..fileio import atomic_write_bytes

__all__ = ["to_data", "from_data", "write_json", "read_json", "generate_json"]


def to_data(G: nx.MultiDiGraph) -> dict:
    return nx.node_link_data(G, edges="edges")


def from_data(data: dict) -> nx.MultiDiGraph:
    key = "edges" if "edges" in data else "links"
    G = nx.node_link_graph(data, directed=True, multigraph=True, edges=key)
    return G


def generate_json(G: nx.MultiDiGraph) -> bytes:
    data = to_data(G)
    try:
        return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: escape them, still valid JSON
        return (json.dumps(data, ensure_ascii=True, indent=1, sort_keys=True) + "\n").encode("ascii")


def write_json(G: nx.MultiDiGraph, path) -> None:
    atomic_write_bytes(path, generate_json(G))


def read_json(path) -> nx.MultiDiGraph:
    with open(path, encoding="utf-8") as fh:
        return from_data(json.load(fh))
