"""GraphML and JSON: schema-valid, round-trip in networkx and igraph, deterministic bytes."""

import io
import json

import networkx as nx
import pytest

from kg.export.graphml import generate_graphml, read_graphml
from kg.export.json import from_data, generate_json, to_data

from conftest import shared_or_skip


def test_graphml_validates_against_xsd(sample_graph, tmp_path):
    import xmlschema

    xsd = shared_or_skip("schemas", "graphml", "graphml.xsd")
    schema = xmlschema.XMLSchema(str(xsd))
    p = tmp_path / "g.graphml"
    p.write_bytes(generate_graphml(sample_graph))
    schema.validate(str(p))


def test_graphml_round_trip_networkx(sample_graph):
    G = read_graphml(io.BytesIO(generate_graphml(sample_graph)))
    assert G.number_of_nodes() == sample_graph.number_of_nodes()
    assert G.number_of_edges() == sample_graph.number_of_edges()
    assert sorted(G.nodes(data=True)) == sorted(sample_graph.nodes(data=True))
    a = sorted((u, v, d["id"], d["relation"], d["weight"]) for u, v, d in G.edges(data=True))
    b = sorted((u, v, d["id"], d["relation"], d["weight"]) for u, v, d in sample_graph.edges(data=True))
    assert a == b


def test_graphml_round_trip_igraph(sample_graph, tmp_path):
    igraph = pytest.importorskip("igraph")
    p = tmp_path / "g.graphml"
    p.write_bytes(generate_graphml(sample_graph))
    g = igraph.Graph.Read_GraphML(str(p))
    assert g.vcount() == sample_graph.number_of_nodes()
    assert g.ecount() == sample_graph.number_of_edges()
    assert set(g.vs["label"]) == {d["label"] for _, d in sample_graph.nodes(data=True)}


def test_graph_attributes_are_flat_and_complete(sample_graph):
    ids = [d["id"] for _, _, d in sample_graph.edges(data=True)]
    assert len(ids) == len(set(ids))
    for _, d in sample_graph.nodes(data=True):
        assert set(d) >= {"label", "type", "aliases", "name_zh", "name_en", "wikidata", "mentions", "color"}
        assert d["color"].startswith("#") and len(d["color"]) == 7
        assert all(isinstance(v, (str, int, float, bool)) for v in d.values())
    for _, _, d in sample_graph.edges(data=True):
        assert set(d) >= {"id", "relation", "label", "weight", "evidence", "doc", "start", "end", "rule", "confidence"}
        assert all(v is not None and not isinstance(v, (list, dict)) for v in d.values())
        assert d["evidence"]


def test_symmetric_relations_stored_once(sample_graph):
    seen = set()
    for u, v, d in sample_graph.edges(data=True):
        if d["symmetric"]:
            key = (frozenset((u, v)), d["relation"])
            assert key not in seen
            seen.add(key)


def test_json_round_trip(sample_graph):
    data = json.loads(generate_json(sample_graph))
    G = from_data(data)
    assert G.number_of_edges() == sample_graph.number_of_edges()
    assert to_data(G) == to_data(sample_graph)


def test_same_input_same_bytes(extractor, sample_text):
    from kg.graph import build_graph

    a = build_graph(extractor.extract(sample_text, doc_id="x"), extractor.rules)
    b = build_graph(extractor.extract(sample_text, doc_id="x"), extractor.rules)
    assert generate_graphml(a) == generate_graphml(b)
    assert generate_json(a) == generate_json(b)


def test_no_edge_without_evidence_in_text(sample_graph, sample_text):
    for _, _, d in sample_graph.edges(data=True):
        for part in d["evidence"].split(" | "):
            assert part in sample_text
        assert sample_text[d["start"]:d["end"]] == d["evidence"].split(" | ")[0]
