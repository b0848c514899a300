"""Score the extractor on the sample and the dev set, print the P/R/F1 table, guard the floors.

The floors sit just under what the rules reach today, so a rule or engine change that loses
precision or recall fails here (run with ``-s`` to see the table). Raise them when the rules get
better; never lower them to make a change pass without saying why in the commit.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.eval import Score
from kg.report import format_report, gold_pairs, score_pairs

ROOT = Path(__file__).resolve().parent
DEV = ROOT / "data" / "dev"
SAMPLE_GOLD = ROOT / "data" / "000_43f3dd9206b315b4.gold.yaml"

# floors (measured on the commit that set them: sample rel P 0.927 R 0.844, ent P 1.000;
# dev ent F1 0.996, dev rel P 0.942 R 0.449; English dev rel P 1.000 R 0.492)
SAMPLE_REL_P, SAMPLE_REL_R, SAMPLE_ENT_P = 0.90, 0.75, 1.0
# raised in session 2 (dev rel P 0.967 R 0.724), again in session 3 (P 0.972 R 0.746)
DEV_ENT_F1, DEV_REL_P, DEV_REL_R = 0.97, 0.95, 0.73
# English floors raised after the issue #4 rules (English dev rel P 1.000 R 0.682), and again after
# the English construction rules (apposition 'led by', relative clauses, 'including' lists: R 0.727),
# and after the round-3 English rules (hosts, relies on X to make, 'and agreed to use', 'Its X model,
# released in', 'the search giant' invests...: P 1.000 R 0.780)
EN_REL_P, EN_REL_R = 0.97, 0.76
# held-out set (written blind to the rules; first blind run ent F1 0.848, rel P 0.682 R 0.181;
# since then read at the level of categories, never tuned sentence by sentence): floors under
# today's 0.968 / 0.904 / 0.566, to catch regressions only
HELDOUT = ROOT / "data" / "heldout"
HELD_ENT_F1, HELD_REL_P, HELD_REL_R = 0.96, 0.91, 0.64  # session 3: 0.976 / 0.933 / 0.669
# heldout2 (blind once: rel F1 0.421; then a development set): floors under 0.940 / 0.948 / 0.557
HELDOUT2 = ROOT / "data" / "heldout2"
HELD2_ENT_F1, HELD2_REL_P, HELD2_REL_R = 0.93, 0.94, 0.58  # session 3: 0.950 / 0.964 / 0.597


@pytest.fixture(scope="module")
def scores():
    pairs = gold_pairs([SAMPLE_GOLD, DEV])
    assert len(pairs) == 10, [p[0].name for p in pairs]
    out = score_pairs(pairs)
    print()
    print(format_report(out))
    return out


def _total(scores, pred=lambda fs: True) -> Score:
    tot = Score()
    for fs in scores:
        if pred(fs):
            tot.add(fs.score)
    return tot


def test_sample_floors(scores):
    sample = next(fs for fs in scores if fs.name.startswith("000_"))
    p, r, _ = sample.score.relation_prf
    assert p >= SAMPLE_REL_P, sample.score.fp_relations
    assert r >= SAMPLE_REL_R, sample.score.missed_relations
    assert sample.score.entity_prf[0] >= SAMPLE_ENT_P, sample.score.fp_nodes  # entity patterns stay quiet


def test_dev_aggregate_floors(scores):
    dev = _total(scores, lambda fs: not fs.name.startswith("000_"))
    assert dev.entity_prf[2] >= DEV_ENT_F1, (dev.fp_nodes, dev.missed_entities)
    p, r, _ = dev.relation_prf
    assert p >= DEV_REL_P, dev.fp_relations
    assert r >= DEV_REL_R


def test_english_floors(scores):
    en = _total(scores, lambda fs: fs.language == "en")
    assert sum(1 for fs in scores if fs.language == "en") == 3
    p, r, _ = en.relation_prf
    assert p >= EN_REL_P, en.fp_relations
    assert r >= EN_REL_R, en.missed_relations


def test_every_file_scores(scores):
    for fs in scores:
        assert fs.score.entity_gold > 0 and fs.score.rel_gold > 0, fs.name
        assert fs.score.entity_prf[0] >= 0.9, (fs.name, fs.score.fp_nodes)


def test_report_table_lists_files_and_relations(scores):
    table = format_report(scores)
    for fs in scores:
        assert fs.name[:40] in table
    assert "TOTAL all" in table and "TOTAL en" in table and "TOTAL zh" in table
    assert "CEO_OF" in table


# ---------------------------------------------------------------- hedges and negation in English

def _triples(text):
    from kg import extract

    return {(r.subject, r.relation, r.object): r for r in extract(text, lang="en").relations}


def test_english_hedge_gives_reported():
    rels = _triples("Nvidia and AMD reportedly invested in xAI. Microsoft has invested $13 billion in OpenAI.")
    assert rels[("microsoft", "INVESTOR_IN", "openai")].certainty == "asserted"
    hedged = _triples("ByteDance reportedly ordered $1 billion of Nvidia H20 chips.")
    assert hedged[("bytedance", "BUYS", "h20")].certainty == "reported"


@pytest.mark.parametrize("text", [
    "The H20 was not included in the US Entity List.",
    "The H20 was notably missing from the US Entity List.",
    "Microsoft did not invest in Anthropic.",
    "The New York Times has not sued OpenAI.",
])
def test_english_negation_gives_no_edge(text):
    rels = _triples(text)
    assert not [t for t in rels if t[1] in ("EXPORT_CONTROLS", "INVESTOR_IN", "SUES")], rels


# ---------------------------------------------------------------- kg.suggest

def test_suggest_lists_pattern_names(tmp_path):
    import yaml

    from kg.suggest import format_suggestions, suggest

    (tmp_path / "a.txt").write_text("AMD showed the X900 chip. Chief executive Kelvin Zorbak spoke.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Buyers want the X900 chips. CEO Kelvin Zorbak agreed.\n", encoding="utf-8")
    items = suggest([tmp_path], min_count=2)
    by_name = {s.name_en: s for s in items}
    assert by_name["X900"].type == "PRODUCT" and by_name["X900"].docs == 2
    assert by_name["Kelvin Zorbak"].type == "PERSON"
    entries = yaml.safe_load("entities:\n" + "".join(s.yaml for s in items))["entities"]
    assert {"id": "x900", "type": "PRODUCT", "name_en": "X900"} in entries
    assert "products.yaml" in format_suggestions(items)
    assert suggest([tmp_path], min_count=3) == []


def test_heldout_floors():
    pairs = gold_pairs([HELDOUT])
    assert len(pairs) == 6, [p[0].name for p in pairs]
    out = score_pairs(pairs)
    print()
    print(format_report(out))
    tot = _total(out)
    assert tot.entity_prf[2] >= HELD_ENT_F1, (tot.fp_nodes, tot.missed_entities)
    p, r, _ = tot.relation_prf
    assert p >= HELD_REL_P, tot.fp_relations
    assert r >= HELD_REL_R


# heldout3/4 (blind until session 3, then development sets), heldout5/6 (written blind in session 3;
# heldout6 opened in session 3, heldout5 read at category level in session 4), heldout7 (written blind
# in session 4, opened in session 5), heldout8 (session 4), heldout9 (session 5) and heldout10
# (session 6), heldout12 (session 7), heldout13 (session 8), heldout14 (session 9), heldout15 (session 10), heldout16 (session 11), heldout17 (session 12) and heldout18 (session 13): only their totals are read; heldout11 (session 6) was run
# blind once, then opened.
# Floors sit under the session-6 scores and only catch regressions; the blind sets' figures of
# record are their first runs (README).
LATER_SETS = [
    # folder, files, ent F1, rel P, rel R
    ("heldout2", 9, HELD2_ENT_F1, HELD2_REL_P, HELD2_REL_R),
    ("heldout3", 9, 0.96, 0.94, 0.64),  # session 6: 0.984 / 0.962 / 0.673
    ("heldout4", 6, 0.95, 0.86, 0.53),  # 0.979 / 0.890 / 0.555
    ("heldout5", 5, 0.89, 0.80, 0.27),  # 0.918 / 0.831 / 0.298
    ("heldout6", 5, 0.92, 0.86, 0.41),  # 0.936 / 0.926 / 0.441; session 7 (makers): 0.877 / 0.448
    ("heldout7", 6, 0.91, 0.86, 0.45),  # 0.936 / 0.888 / 0.473
    ("heldout8", 6, 0.95, 0.88, 0.38),  # blind (totals read): 0.970 / 0.906 / 0.401
    ("heldout9", 6, 0.91, 0.81, 0.29),  # blind (totals read): 0.932 / 0.833 / 0.317
    ("heldout10", 6, 0.89, 0.87, 0.32),  # blind (totals read): 0.910 / 0.901 / 0.344
    ("heldout11", 8, 0.91, 0.87, 0.41),  # opened in session 6: 0.940 / 0.908 / 0.440
    ("heldout12", 8, 0.87, 0.87, 0.39),  # blind (totals read): 0.896 / 0.899 / 0.417
    ("heldout13", 8, 0.88, 0.83, 0.30),  # blind (totals read): first run 0.894 / 0.833 / 0.294; session 8 0.901 / 0.861 / 0.324
    ("heldout14", 8, 0.91, 0.78, 0.32),  # blind (totals read): first run 0.934 / 0.803 / 0.345
    ("heldout15", 8, 0.86, 0.86, 0.32),  # blind (totals read): first run 0.880 / 0.883 / 0.343
    ("heldout16", 8, 0.89, 0.75, 0.23),  # blind (totals read): first run 0.917 / 0.777 / 0.254
    ("heldout17", 8, 0.91, 0.77, 0.35),  # blind (totals read): first run 0.936 / 0.795 / 0.381
    ("heldout18", 8, 0.89, 0.79, 0.40),  # blind (totals read): first run 0.916 / 0.822 / 0.432
]


@pytest.mark.parametrize("folder,files,ent_f1,rel_p,rel_r", LATER_SETS, ids=[s[0] for s in LATER_SETS])
def test_later_heldout_floors(folder, files, ent_f1, rel_p, rel_r):
    pairs = gold_pairs([ROOT / "data" / folder])
    assert len(pairs) == files, [p[0].name for p in pairs]
    tot = _total(score_pairs(pairs))
    blind = folder in ("heldout5", "heldout8", "heldout9", "heldout10", "heldout12", "heldout13", "heldout14", "heldout15", "heldout16", "heldout17", "heldout18")  # a failure names totals only: the details stay unread
    assert tot.entity_prf[2] >= ent_f1, "totals only" if blind else (tot.fp_nodes, tot.missed_entities)
    p, r, _ = tot.relation_prf
    assert p >= rel_p, "totals only" if blind else tot.fp_relations
    assert r >= rel_r
