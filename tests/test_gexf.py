"""The Gephi export: GEXF 1.2 with viz colours and sizes, read back by networkx, same bytes."""

from __future__ import annotations

import io
import random
import re
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.export.gexf import generate_gexf, write_gexf

try:
    from graphs import HOSTILE_PAYLOADS, add_entity, add_relation, hostile_graph, random_graph
    from graphs import sample_graph, snapshot
except ImportError:  # tests/ imported as a package
    from tests.graphs import HOSTILE_PAYLOADS, add_entity, add_relation, hostile_graph
    from tests.graphs import random_graph, sample_graph, snapshot

NS = {"g": "http://www.gexf.net/1.2draft", "viz": "http://www.gexf.net/1.2draft/viz"}
RENAMED = {"start": "evidence_start", "end": "evidence_end"}
XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(s: str) -> str:
    return XML_BAD.sub("\ufffd", s)


def read_back(data: bytes) -> nx.MultiDiGraph:
    H = nx.read_gexf(io.BytesIO(data))
    return H if H.is_multigraph() else nx.MultiDiGraph(H)


def assert_same_graph(G, H, *, cleaned=False):
    c = clean if cleaned else (lambda s: s)
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()
    assert H.is_directed()
    for n, d in G.nodes(data=True):
        h = H.nodes[c(n)]
        for key, value in d.items():
            assert h[key] == (c(value) if isinstance(value, str) else value), (n, key)
    by_id = {d["id"]: (u, v, d) for u, v, d in H.edges(data=True)}
    assert len(by_id) == G.number_of_edges()
    for u, v, d in G.edges(data=True):
        hu, hv, h = by_id[c(d["id"])]
        assert (hu, hv) == (c(u), c(v))
        for key, value in d.items():
            got = h[RENAMED.get(key, key)]
            assert got == (c(value) if isinstance(value, str) else value), (d["id"], key)
        assert "start" not in h and "end" not in h


def test_read_back_with_the_same_nodes_edges_and_attributes():
    G = sample_graph()
    H = read_back(generate_gexf(G))
    assert_same_graph(G, H)
    assert H.is_multigraph()  # sega_cheng -> ikala twice
    # edge keys are the edge ids
    assert {k for _, _, k in H.edges(keys=True)} == {d["id"] for *_, d in G.edges(data=True)}


def test_gexf_12_with_viz_namespace():
    data = generate_gexf(sample_graph())
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = ET.fromstring(data)
    assert root.tag == "{%s}gexf" % NS["g"]
    assert root.get("version") == "1.2"
    assert b'xmlns:viz="http://www.gexf.net/1.2draft/viz"' in data
    graph = root.find("g:graph", NS)
    assert graph.get("defaultedgetype") == "directed"
    assert graph.get("mode") == "static"


def test_viz_colour_from_color_and_size_from_mentions():
    G = sample_graph()
    root = ET.fromstring(generate_gexf(G))
    sizes = []
    for node in root.iterfind(".//g:node", NS):
        d = G.nodes[node.get("id")]
        assert node.get("label") == d["label"]
        col = node.find("viz:color", NS)
        assert "#%02x%02x%02x" % (int(col.get("r")), int(col.get("g")), int(col.get("b"))) == d["color"]
        sizes.append((d["mentions"], float(node.find("viz:size", NS).get("value"))))
    sizes.sort()
    assert [s for _, s in sizes] == sorted(s for _, s in sizes)
    assert sizes[0][1] < sizes[-1][1]


def test_relation_is_an_attribute_not_the_edge_type():
    root = ET.fromstring(generate_gexf(sample_graph()))
    titles = {a.get("title"): a.get("id")
              for a in root.iterfind(".//g:attributes[@class='edge']/g:attribute", NS)}
    assert "relation" in titles and "symmetric" in titles
    assert "networkx_key" not in titles
    for edge in root.iterfind(".//g:edge", NS):
        assert edge.get("type") is None
        assert edge.get("start") is None and edge.get("end") is None  # no time attributes
        assert edge.get("label")
        values = {a.get("for"): a.get("value") for a in edge.iterfind(".//g:attvalue", NS)}
        assert re.fullmatch(r"[A-Z_]+", values[titles["relation"]])


def test_no_lastmodifieddate_and_same_bytes(tmp_path):
    G = sample_graph()
    data = generate_gexf(G)
    assert b"lastmodifieddate" not in data
    assert generate_gexf(G) == data
    write_gexf(G, tmp_path / "graph.gexf")
    write_gexf(G, tmp_path / "again.gexf")
    assert (tmp_path / "graph.gexf").read_bytes() == data
    assert (tmp_path / "again.gexf").read_bytes() == data


def test_same_bytes_whatever_the_insertion_order():
    G = sample_graph()
    nodes = list(G.nodes(data=True))
    edges = list(G.edges(keys=True, data=True))
    rng = random.Random(5)
    rng.shuffle(nodes)
    rng.shuffle(edges)
    H = nx.MultiDiGraph(**G.graph)
    for n, d in nodes:
        H.add_node(n, **dict(reversed(list(d.items()))))
    for u, v, k, d in edges:
        H.add_edge(u, v, key=k, **d)
    assert generate_gexf(H) == generate_gexf(G)


def test_graph_unchanged():
    for G in (sample_graph(), hostile_graph()):
        before = snapshot(G)
        generate_gexf(G)
        assert snapshot(G) == before


def test_hostile_text_is_data():
    G = hostile_graph()
    data = generate_gexf(G)
    ET.fromstring(data)  # well-formed despite control characters and surrogates
    for payload in HOSTILE_PAYLOADS:
        if "<" in payload:
            assert payload.encode("utf-8", "replace") not in data
    assert_same_graph(G, read_back(data), cleaned=True)


def test_bad_colour_falls_back_to_the_type_colour():
    root = ET.fromstring(generate_gexf(hostile_graph()))
    node = root.find(".//g:node[@id='evil_svg']", NS)
    col = node.find("viz:color", NS)
    assert (col.get("r"), col.get("g"), col.get("b")) == ("89", "161", "79")  # PRODUCT


def test_big_graph_round_trip():
    G = random_graph(300, 900)
    assert_same_graph(G, read_back(generate_gexf(G)))


def test_graph_outside_the_spec():
    G = nx.DiGraph(name="x")
    G.add_edge("a", "b", type="PARTNER_OF", start=3, viz="no", weight=2)
    G.add_edge("b", "c")
    G.add_node("d", start=1, color="blue", mentions=None)
    root = ET.fromstring(generate_gexf(G))
    edges = root.findall(".//g:edge", NS)
    assert len(edges) == 2 and len({e.get("id") for e in edges}) == 2
    assert all(e.get("type") is None for e in edges)
    H = read_back(generate_gexf(G))
    assert H.number_of_nodes() == 4 and H.number_of_edges() == 2
    ab = next(d for u, v, d in H.edges(data=True) if (u, v) == ("a", "b"))
    assert ab["kg_type"] == "PARTNER_OF" and ab["evidence_start"] == 3 and ab["weight"] == 2
    assert H.nodes["d"]["kg_start"] == 1 and H.graph.get("mode") == "static"


_text = st.text(st.characters(codec="utf-8"), max_size=30) | st.sampled_from(HOSTILE_PAYLOADS)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(label=_text.filter(bool), alias=_text.filter(bool), evidence=_text, qualifier=_text)
def test_any_text_round_trips(label, alias, evidence, qualifier):
    G = nx.MultiDiGraph(name="kg", kg_version="t", docs=1)
    add_entity(G, "a", label, "PERSON", aliases=[alias])
    add_entity(G, "b", alias, "ORG", aliases=[label])
    add_relation(G, "a", "b", "CEO_OF", [evidence, label], qualifier=qualifier, doc=alias)
    data = generate_gexf(G)
    H = read_back(data)
    assert_same_graph(G, H, cleaned=True)


@pytest.mark.parametrize("n,m", [(0, 0), (1, 0), (2, 1)])
def test_tiny_graphs(n, m):
    G = random_graph(n, m) if n else nx.MultiDiGraph()
    H = read_back(generate_gexf(G))
    assert H.number_of_nodes() == n and H.number_of_edges() == m
