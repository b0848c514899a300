"""Exporters: one module per format, each reading one networkx graph (docs/graph-spec.md)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["write_outputs", "OUTPUT_NAMES", "PAGE_MAX_NODES"]

#: the page keeps this many of the heaviest nodes unless told otherwise: a browser lays out and
#: draws a few thousand nodes in seconds, not a year of news
PAGE_MAX_NODES = 2000
OUTPUT_NAMES = {"graphml": "graph.graphml", "json": "graph.json", "gexf": "graph.gexf", "html": "graph.html"}


def write_outputs(G, out: Path, *, formats=("graphml", "json", "gexf", "html"), max_nodes=None) -> list[Path]:
    """Write the graph in every format into ``out`` (each file atomically); returns the paths."""
    written = []
    for fmt in formats:
        path = out / OUTPUT_NAMES[fmt]
        if fmt == "graphml":
            from .graphml import write_graphml

            write_graphml(G, path)
        elif fmt == "json":
            from .json import write_json

            write_json(G, path)
        elif fmt == "gexf":
            try:
                from .gexf import write_gexf
            except ImportError:
                continue
            write_gexf(G, path)
        elif fmt == "html":
            try:
                from .html import write_html
            except ImportError:
                continue
            if max_nodes is None and G.number_of_nodes() > PAGE_MAX_NODES:
                max_nodes = PAGE_MAX_NODES
            write_html(G, path, max_nodes=max_nodes)
        written.append(path)
    return written
