"""kg: a rule-based knowledge-graph extractor for technology news (Chinese and English).

>>> import kg
>>> ex = kg.extract("OpenAI CEO Sam Altman 被董事会解雇。")
>>> G = kg.build_graph(ex)
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["extract", "build_graph", "load_rules", "Extractor", "Extraction", "__version__", "sample_path"]


def __getattr__(name):  # lazy: `kg --help` must not import spaCy
    if name in ("extract", "Extractor"):
        from . import extractor as _x

        return getattr(_x, name)
    if name == "build_graph":
        from .graph import build_graph

        return build_graph
    if name == "load_rules":
        from .rules import load_rules

        return load_rules
    if name == "Extraction":
        from .model import Extraction

        return Extraction
    raise AttributeError(name)


def sample_path():
    """The bundled sample article."""
    from pathlib import Path

    return Path(__file__).resolve().parent / "data" / "000_43f3dd9206b315b4.txt"
