"""The HTML page, without a browser: offline, safe, deterministic, and the graph untouched.

The browser checks (counts, requests, payloads, search, language switch) are in
tests/test_browser.py.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.export.html import CSP, render_html, select_nodes, write_html

try:
    from graphs import HOSTILE_PAYLOADS, add_entity, add_relation, hostile_graph, random_graph
    from graphs import sample_graph, snapshot
except ImportError:  # tests/ imported as a package
    from tests.graphs import HOSTILE_PAYLOADS, add_entity, add_relation, hostile_graph
    from tests.graphs import random_graph, sample_graph, snapshot

ROOT = Path(__file__).resolve().parents[1]
DATA_RE = re.compile(
    r'<script type="application/json" id="kg-data">(.*?)</script>', re.S)


def page_data(page: str) -> dict:
    m = DATA_RE.search(page)
    assert m, "no data block"
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def sample_page():
    return render_html(sample_graph(), title="Sample")


@pytest.fixture(scope="module")
def hostile_page():
    return render_html(hostile_graph(), title=HOSTILE_PAYLOADS[1])


# --------------------------------------------------------------------- offline, one file


def test_no_remote_urls_in_src_or_href(sample_page):
    assert not re.search(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", sample_page, re.I)
    assert "cdn" not in " ".join(re.findall(r"<[^>]{0,300}>", sample_page)).lower()


def test_no_external_script_no_link_no_bootstrap(sample_page):
    assert not re.search(r"<script[^>]*\bsrc\s*=", sample_page, re.I)
    assert not re.search(r"<link\b", sample_page, re.I)
    assert not re.search(r"@import", sample_page, re.I)
    assert "bootstrap" not in sample_page.lower()
    # CSS may only refer to data: URLs
    for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", sample_page):
        assert url.startswith("data:"), url


def test_vis_network_is_inlined(sample_page):
    import pyvis

    js = (Path(pyvis.__file__).parent / "templates/lib/vis-9.1.2/vis-network.min.js").read_text(
        encoding="utf-8")
    assert js[:2000] in sample_page
    assert len(sample_page) > len(js)
    # exactly our three scripts (vis-network, the data block, the page script), none cut short
    assert len(re.findall(r"^<script\b", sample_page, re.I | re.M)) == 3
    assert len(re.findall(r"</script", sample_page, re.I)) == 3


def test_heading_once(sample_page):
    assert sample_page.count("<h1") == 1
    assert sample_page.count('<h1 id="kg-title">Sample</h1>') == 1
    assert sample_page.count("<title>Sample</title>") == 1
    assert sample_page.count(">Sample<") == 2  # the <title> and the <h1>, nothing else


def test_csp_meta_forbids_network(sample_page):
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in sample_page
    assert "default-src 'none'" in CSP
    head = sample_page.split("<style>", 1)[0]
    assert "Content-Security-Policy" in head  # before any script or style


def test_utf8_and_doctype(sample_page):
    assert sample_page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in sample_page[:200]
    assert "英伟达" in sample_page


def test_written_as_utf8_whatever_the_locale(tmp_path):
    out = tmp_path / "graph.html"
    code = (
        "import sys; sys.path[:0] = [%r, %r]\n"
        "try:\n    from graphs import sample_graph\n"
        "except ImportError:\n    from tests.graphs import sample_graph\n"
        "from kg.export.html import write_html\n"
        "write_html(sample_graph(), %r)\n" % (str(ROOT), str(ROOT / "tests"), str(out))
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONUTF8",
                                                                      "PYTHONIOENCODING"))}
    env.update(LANG="C", LC_ALL="C", PYTHONUTF8="0", PYTHONIOENCODING="ascii")
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=tmp_path)
    text = out.read_bytes().decode("utf-8")
    assert "英伟达" in text
    assert text == render_html(sample_graph())


# --------------------------------------------------------------------- the graph is not changed


@pytest.mark.parametrize("make", [sample_graph, hostile_graph, lambda: random_graph(60, 150)])
@pytest.mark.parametrize("max_nodes", [None, 3])
def test_graph_unchanged(make, max_nodes):
    G = make()
    before = snapshot(G)
    render_html(G, max_nodes=max_nodes)
    assert snapshot(G) == before


# --------------------------------------------------------------------- deterministic


def test_same_bytes_twice(tmp_path):
    G = sample_graph()
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    write_html(G, a)
    write_html(G, b)
    assert a.read_bytes() == b.read_bytes()
    assert render_html(G) == render_html(G)


def test_same_bytes_whatever_the_insertion_order():
    G = sample_graph()
    nodes = list(G.nodes(data=True))
    edges = list(G.edges(keys=True, data=True))
    rng = random.Random(3)
    rng.shuffle(nodes)
    rng.shuffle(edges)
    H = nx.MultiDiGraph(**G.graph)
    H.add_nodes_from(nodes)
    for u, v, k, d in edges:
        H.add_edge(u, v, key=k, **d)
    assert render_html(H) == render_html(G)


# --------------------------------------------------------------------- content


def test_data_matches_graph(sample_page):
    G = sample_graph()
    data = page_data(sample_page)
    assert {n["id"] for n in data["nodes"]} == set(G.nodes)
    assert {e["id"] for e in data["edges"]} == {d["id"] for *_, d in G.edges(keys=True, data=True)}
    by_id = {n["id"]: n for n in data["nodes"]}
    for n, d in G.nodes(data=True):
        item = by_id[n]
        for key in ("type", "aliases", "name_zh", "name_en", "wikidata", "mentions", "source"):
            assert item[key] == d[key], (n, key)
        assert item["kg_label"] == d["label"]
        assert item["label"] == (d["name_en"] or d["label"])
        assert item["color"] == d["color"]
    edges = {e["id"]: e for e in data["edges"]}
    for u, v, k, d in G.edges(keys=True, data=True):
        item = edges[d["id"]]
        assert (item["from"], item["to"]) == (u, v)
        for key in ("relation", "symmetric", "weight", "evidence", "doc", "docs", "start", "end",
                    "rule", "confidence", "certainty", "qualifier"):
            assert item[key] == d[key], (d["id"], key)
        assert item["label"] == d["label"]
        # arrows for direction, none for symmetric relations; hedged ones dashed
        assert item["arrows"]["to"]["enabled"] is (not d["symmetric"])
        assert item["dashes"] is (d["certainty"] == "reported")
        assert "title" not in item  # vis-network may render a title string as HTML


def test_legend_types_and_relations(sample_page):
    G = sample_graph()
    meta = page_data(sample_page)["meta"]
    types = [t["type"] for t in meta["types"]]
    assert types == ["PERSON", "ORG", "PRODUCT", "LOCATION", "PROJECT"]
    assert sum(t["count"] for t in meta["types"]) == G.number_of_nodes()
    assert {t["type"]: t["color"] for t in meta["types"]}["PERSON"] == "#e15759"
    rels = {r["relation"]: r["count"] for r in meta["relations"]}
    assert sum(rels.values()) == G.number_of_edges()
    assert rels["EXPORT_CONTROLS"] == 7


def test_size_grows_with_mentions(sample_page):
    nodes = page_data(sample_page)["nodes"]
    pairs = sorted((n["mentions"], n["size"]) for n in nodes)
    sizes = [s for _, s in pairs]
    assert sizes == sorted(sizes)
    assert sizes[0] < sizes[-1]


def test_parallel_edges_are_bent_apart(sample_page):
    edges = page_data(sample_page)["edges"]
    pair = [e for e in edges if {e["from"], e["to"]} == {"sega_cheng", "ikala"}]
    assert len(pair) == 2
    assert sum(1 for e in pair if e.get("smooth", {}).get("enabled")) == 1


def test_layout_settles_and_stops_options(sample_page):
    G = random_graph(2000, 5000)
    big = page_data(render_html(G))
    small = page_data(sample_page)
    o = small["options"]
    assert o["layout"]["improvedLayout"] is False
    assert o["edges"]["smooth"] is False
    assert o["physics"]["solver"] == "forceAtlas2Based"
    assert o["physics"]["stabilization"]["iterations"] <= 1000
    assert small["layout"]["kind"] == "physics"
    # big graphs: the page lays them out in bounded steps, vis-network only draws
    assert big["options"]["physics"]["enabled"] is False
    assert big["layout"]["kind"] == "kg"
    assert big["layout"]["maxSteps"] <= 300


# --------------------------------------------------------------------- max_nodes


def test_max_nodes_keeps_the_heaviest(tmp_path):
    G = sample_graph()
    stats = write_html(G, tmp_path / "g.html", max_nodes=5)
    page = (tmp_path / "g.html").read_text(encoding="utf-8")
    data = page_data(page)
    kept = {n["id"] for n in data["nodes"]}
    assert kept == {"nvidia", "openai", "sam_altman", "china", "united_states"}
    sub = G.subgraph(kept)
    assert stats == {
        "nodes_shown": 5,
        "nodes_left_out": G.number_of_nodes() - 5,
        "edges_shown": sub.number_of_edges(),
        "edges_left_out": G.number_of_edges() - sub.number_of_edges(),
    }
    assert len(data["edges"]) == sub.number_of_edges()
    assert f"{G.number_of_nodes() - 5:,} left out (max_nodes=5)" in page


def test_no_left_out_notice_without_max_nodes(sample_page):
    assert 'id="kg-left-out" hidden' in sample_page
    assert "left out (max_nodes" not in sample_page


def test_select_nodes_order_and_ties():
    G = nx.MultiDiGraph()
    for n, m in [("b", 3), ("a", 3), ("c", 3), ("d", 9), ("e", 1)]:
        add_entity(G, n, n.upper(), "ORG", mentions=m)
    add_relation(G, "c", "e", "PARTNER_OF", "c and e")  # c: degree 1, beats a and b
    assert select_nodes(G) == ["d", "c", "a", "b", "e"]
    assert select_nodes(G, 2) == ["d", "c"]
    assert select_nodes(G, 0) == []
    with pytest.raises(ValueError):
        select_nodes(G, -1)


def test_write_html_returns_stats(tmp_path):
    G = random_graph(50, 80)
    stats = write_html(G, tmp_path / "x.html")
    assert stats == {"nodes_shown": 50, "nodes_left_out": 0, "edges_shown": 80,
                     "edges_left_out": 0}


# --------------------------------------------------------------------- unusual graphs


def test_empty_graph():
    page = render_html(nx.MultiDiGraph())
    data = page_data(page)
    assert data["nodes"] == [] and data["edges"] == []


def test_graph_outside_the_spec():
    G = nx.DiGraph()
    G.add_edge("a", "b")  # no attributes at all
    G.add_edge("b", "b", relation="SELF", title="<b>x</b>", image="https://evil.example/i.png")
    G.add_node("c", mentions="many", color=None, hidden=True, x=5)
    data = page_data(render_html(G))
    assert len(data["nodes"]) == 3 and len(data["edges"]) == 2
    assert len({e["id"] for e in data["edges"]}) == 2  # ids made unique
    for item in data["nodes"] + data["edges"]:
        # names vis-network would act on are never passed through as such
        assert not {"title", "image", "hidden", "x"} & set(item)
    c = next(n for n in data["nodes"] if n["id"] == "c")
    assert c["mentions"] == 0 and c["color"] == "#8c8c8c"
    assert c["extra"] == {"hidden": True, "x": 5}  # shown as facts in the panel
    loop = next(e for e in data["edges"] if e["from"] == e["to"])
    assert loop["extra"] == {"image": "https://evil.example/i.png", "title": "<b>x</b>"}


def test_duplicate_edge_ids_are_made_unique():
    G = sample_graph()
    for _, _, _, d in G.edges(keys=True, data=True):
        d["id"] = "same"
    data = page_data(render_html(G))
    ids = [e["id"] for e in data["edges"]]
    assert len(ids) == len(set(ids)) == G.number_of_edges()


# --------------------------------------------------------------------- safety


def test_hostile_text_is_escaped(hostile_page):
    block = DATA_RE.search(hostile_page).group(1)
    for ch in "<>&\u2028\u2029":
        assert ch not in block
    for payload in HOSTILE_PAYLOADS:
        if "<" in payload:
            assert payload not in hostile_page, payload
    assert "</title><script>" not in hostile_page
    assert "&lt;/script&gt;&lt;script&gt;window.__pwned=1" in hostile_page  # <title>, <h1>
    assert len(re.findall(r"</script", hostile_page, re.I)) == 3


def test_hostile_text_survives_as_data(hostile_page):
    G = hostile_graph()
    data = page_data(hostile_page)
    by_id = {n["id"]: n for n in data["nodes"]}
    clean = lambda s: re.sub("[\ud800-\udfff]", "\ufffd", s)  # noqa: E731
    for n, d in G.nodes(data=True):
        assert by_id[n]["kg_label"] == clean(d["label"])
        assert by_id[n]["aliases"] == clean(d["aliases"])
    edges = {e["id"]: e for e in data["edges"]}
    for *_, d in G.edges(keys=True, data=True):
        assert edges[d["id"]]["evidence"] == clean(d["evidence"])
        assert edges[d["id"]]["docs"] == clean(d["docs"])


def test_hostile_colour_is_replaced(hostile_page):
    data = page_data(hostile_page)
    for n in data["nodes"]:
        assert re.fullmatch(r"#[0-9a-f]{6}", n["color"]), n["color"]


def test_page_script_never_uses_innerhtml():
    js = (ROOT / "kg/export/templates/graph.js").read_text(encoding="utf-8")
    code = "\n".join(line for line in js.splitlines() if not line.strip().startswith("//"))
    for bad in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                "new Function", "title:"):
        assert bad not in code, bad


_text = st.text(st.characters(codec="utf-8"), max_size=40) | st.sampled_from(HOSTILE_PAYLOADS)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(_text, min_size=1, max_size=4), evidence=_text, title=_text)
def test_any_text_stays_inside_the_data_block(names, evidence, title):
    G = nx.MultiDiGraph()
    for i, name in enumerate(names):
        add_entity(G, f"n{i}", name, "PERSON", aliases=[name, evidence], name_zh=name)
    add_relation(G, "n0", f"n{len(names) - 1}", "ALLY_OF", [evidence, names[0]], doc=evidence)
    page = render_html(G, title=title)
    block = DATA_RE.search(page).group(1)
    for ch in "<>&\u2028\u2029":
        assert ch not in block
    assert len(re.findall(r"</script", page, re.I)) == 3
    data = json.loads(block)
    clean = lambda s: re.sub("[\ud800-\udfff]", "\ufffd", s)  # noqa: E731
    assert [n["kg_label"] for n in data["nodes"]] == [
        clean(name or f"n{i}") for i, name in sorted(enumerate(names), key=lambda t: f"n{t[0]}")]
    assert data["edges"][0]["evidence"] == clean(" | ".join([evidence, names[0]]))
