"""Acceptance: the sample article against its gold annotation (issue #2's thresholds)."""

import yaml

from kg.eval import evaluate

from conftest import SAMPLE_GOLD, shared_or_skip


def test_gold_copy_matches_shared():
    shared = shared_or_skip("gold", "000_43f3dd9206b315b4.gold.yaml")
    assert yaml.safe_load(shared.read_text("utf-8")) == yaml.safe_load(SAMPLE_GOLD.read_text("utf-8"))


def test_sample_scores(sample_graph, sample_text):
    gold = yaml.safe_load(SAMPLE_GOLD.read_text("utf-8"))
    sc = evaluate(sample_graph, gold, sample_text)
    ep, er, _ = sc.entity_prf
    rp, rr, _ = sc.relation_prf
    assert ep >= 0.95 and er >= 0.95, (sc.fp_nodes, sc.missed_entities)
    assert sc.type_accuracy >= 0.97
    assert not sc.split
    assert sc.core_recall >= 0.90, sc.missed_relations
    assert rp >= 0.90, sc.fp_relations
    assert rr >= 0.75, sc.missed_relations


def test_scorer_counts_a_wrong_edge(sample_graph, sample_text):
    """The scorer is not a rubber stamp: a bogus edge lowers precision, a removed one recall."""
    gold = yaml.safe_load(SAMPLE_GOLD.read_text("utf-8"))
    base = evaluate(sample_graph, gold, sample_text)
    G = sample_graph.copy()
    G.add_edge("nvidia", "openai", key="bogus", id="bogus", relation="ACQUIRES", evidence="英伟达")
    assert evaluate(G, gold, sample_text).rel_fp == base.rel_fp + 1
    H = sample_graph.copy()
    u, v, k = next((u, v, k) for u, v, k, d in H.edges(keys=True, data=True) if d["relation"] == "FIRED")
    H.remove_edge(u, v, k)
    assert evaluate(H, gold, sample_text).rel_found == base.rel_found - 1
    # evidence that is not in the text makes an edge wrong
    E = sample_graph.copy()
    for _, _, d in E.edges(data=True):
        d["evidence"] = "not in the article"
    assert evaluate(E, gold, sample_text).rel_tp == 0
