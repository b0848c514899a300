"""output/ holds the sample's outputs; this fails when they are stale (re-run `kg extract`)."""

from kg.export.graphml import generate_graphml
from kg.export.json import generate_json

from conftest import ROOT


def test_output_is_fresh(extractor, sample_text):
    from kg import sample_path
    from kg.graph import build_graph

    G = build_graph(extractor.extract(sample_text, doc_id=sample_path().name), extractor.rules)
    out = ROOT / "output"
    assert (out / "graph.graphml").read_bytes() == generate_graphml(G), "output/ is stale: run `kg extract`"
    assert (out / "graph.json").read_bytes() == generate_json(G), "output/ is stale: run `kg extract`"
