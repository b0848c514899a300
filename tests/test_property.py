"""Issue #6, property tests: any Unicode text gives no crash, GraphML that validates and reads back,
and every edge's evidence equals the input text at its offsets (in the Extraction and in the JSON).

The strategies are seeded with the sample article's names and the rules' trigger words, so edges
actually occur (``test_seeded_strategy_finds_edges`` makes sure of it).
"""

from __future__ import annotations

import io
import json
from functools import lru_cache

import networkx as nx
import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from kg.export.graphml import generate_graphml
from kg.export.json import generate_json
from kg.graph import SEP, build_graph

from conftest import SAMPLE, SHARED

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    derandomize=True)


@lru_cache(maxsize=1)
def extractor():
    from kg.extractor import Extractor

    return Extractor()


@lru_cache(maxsize=1)
def schema():
    if not SHARED.is_dir():
        return None
    import xmlschema

    return xmlschema.XMLSchema(str(SHARED / "schemas" / "graphml" / "graphml.xsd"))


def _seed_words() -> list[str]:
    """Names the sample mentions (as written) and the words the rules trigger on."""
    from kg.rules import load_rules

    ex = extractor().extract(SAMPLE.read_text(encoding="utf-8"))
    names = sorted({a for e in ex.entities.values() for a in e.aliases[:3]})
    rs = load_rules()
    words = []
    for cls in ("TITLE_CEO", "TITLE_FOUNDER", "LAUNCH", "FIRE", "PARTNER", "INVEST", "AND", "OF", "COPULA",
                "PASSIVE", "EXPORT", "USE", "COMPETE", "NEG", "HEDGE"):
        wc = rs.lexicon.get(cls)
        if wc is not None:
            words.extend(wc.words[:4])
    glue = ["。", "，", "、", "的", "和", " ", "\n", "表示", "宣布", " and ", ", ", ". ", "被", "与"]
    return names + words + glue


SEEDS = _seed_words()
seeded_text = st.lists(st.one_of(st.sampled_from(SEEDS), st.sampled_from(SEEDS), st.text(max_size=4)),
                       max_size=40).map("".join)
any_text = st.text(max_size=400)
# what st.text() leaves out by default: lone surrogates, and plenty of control and format characters
nasty_chars = st.characters(codec=None, categories=["Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "So"])
nasty_text = st.lists(st.one_of(st.sampled_from(SEEDS), st.text(nasty_chars, max_size=4)), max_size=30).map("".join)


def check(text: str):
    ex = extractor().extract(text, doc_id="doc")
    for r in ex.relations:
        assert text[r.start:r.end] == r.evidence, r
        assert r.subject in ex.entities and r.object in ex.entities
    G = build_graph(ex, extractor().rules)
    # GraphML: reads back with networkx, the same nodes and edges; valid against graphml.xsd
    data = generate_graphml(G)
    H = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    assert H.number_of_nodes() == G.number_of_nodes() and H.number_of_edges() == G.number_of_edges()
    sc = schema()
    if sc is not None:
        sc.validate(io.BytesIO(data))
    # JSON: every edge's evidence starts with the text at its offsets; all of it is cut from the text
    js = json.loads(generate_json(G).decode("utf-8"))
    assert len(js["edges"]) == G.number_of_edges()
    evid = {r.evidence for r in ex.relations}
    for e in js["edges"]:
        first = text[e["start"]:e["end"]]
        assert e["evidence"] == first or e["evidence"].startswith(first + SEP), e
        rest = e["evidence"][len(first):]
        while rest:  # the remaining pieces are other evidence sentences, verbatim
            assert rest.startswith(SEP)
            rest = rest[len(SEP):]
            piece = next((p for p in sorted(evid, key=len, reverse=True) if rest.startswith(p)), None)
            assert piece is not None, rest
            rest = rest[len(piece):]
    return ex


@SETTINGS
@given(any_text)
def test_any_unicode_text(text):
    check(text)


@SETTINGS
@given(seeded_text)
def test_text_made_of_the_samples_names(text):
    check(text)


@SETTINGS
@given(nasty_text)
def test_control_format_surrogate_and_private_use_characters(text):
    check(text)


def test_seeded_strategy_finds_edges():
    """The seeded strategy reaches texts with edges, so the evidence checks above are not vacuous."""
    text = find(seeded_text, lambda t: len(extractor().extract(t).relations) > 0,
                settings=settings(max_examples=500, deadline=None, derandomize=True))
    check(text)


@pytest.mark.parametrize("text", [
    "英伟达CEO黄仁勋表示 | 英伟达推出了H100。",  # the evidence separator inside the text
    "英伟达CEO黄仁勋表示。" * 50,  # many mentions of one edge: evidence capped, offsets of the first
    "\ud800英伟达CEO黄仁勋\udfff表示。",
    "\x00\x01英伟达\x1fCEO黄仁勋\x7f表示。\ufffe",
])
def test_edge_cases(text):
    check(text)
