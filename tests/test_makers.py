"""A product's maker (the gazetteer's `maker` field) named in the same sentence as the product
makes a PRODUCES edge (rule `kb_maker`), with that sentence as evidence; a maker named only in
another sentence gives the edge at a lower confidence (rule `kb_maker_doc`), with the product's
sentence as evidence; never where the sentence negates or speaks of a ban, never where a rule
already related the two."""

from __future__ import annotations

import pytest

import kg
from conftest import user_gazetteer

GAZ = """entities:
  - id: zorbak_corp
    type: ORG
    name_en: Zorbak Corp
    name_zh: 佐巴克公司
  - id: quux_labs
    type: ORG
    name_en: Quux Labs
  - id: zorbak_z1
    type: PRODUCT
    maker: zorbak_corp
    name_en: Zorbak Z1
    name_zh: 佐巴克Z1
  - id: quux_q7
    type: PRODUCT
    name_en: Quux Q7
"""


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    return user_gazetteer(tmp_path_factory.mktemp("rules"), GAZ)


def edges(text, rules):
    return {(r.subject, r.relation, r.object, r.rule, r.certainty) for r in kg.extract(text, rules).relations}


def test_maker_and_product_in_one_sentence(rules):
    text = "Shares of Zorbak Corp rose 4% on Monday as sales of the Zorbak Z1 doubled."
    ex = kg.extract(text, rules)
    got = [r for r in ex.relations if r.rule == "kb_maker"]
    assert [(r.subject, r.relation, r.object) for r in got] == [("zorbak_corp", "PRODUCES", "zorbak_z1")]
    assert got[0].evidence == text and (got[0].start, got[0].end) == (0, len(text))


def test_chinese_and_traditional(rules):
    assert ("zorbak_corp", "PRODUCES", "zorbak_z1", "kb_maker", "asserted") in edges(
        "佐巴克公司股价周一上涨4%，佐巴克Z1销量翻倍。", rules)
    assert ("zorbak_corp", "PRODUCES", "zorbak_z1", "kb_maker", "asserted") in edges(
        "佐巴克公司股價週一上漲4%，佐巴克Z1銷量翻倍。", rules)


def test_across_sentences_at_a_lower_confidence(rules):
    text = "Shares of Zorbak Corp rose 4% on Monday. Sales of the Zorbak Z1 doubled."
    got = [r for r in kg.extract(text, rules).relations if r.relation == "PRODUCES"]
    assert [(r.subject, r.object, r.rule) for r in got] == [("zorbak_corp", "zorbak_z1", "kb_maker_doc")]
    assert got[0].evidence == "Sales of the Zorbak Z1 doubled." and got[0].confidence < 0.5


@pytest.mark.parametrize("second", ["Sales of the Zorbak Z1 did not double.", "The Zorbak Z1 was banned in May.",
                                    "佐巴克Z1被禁止出口。"])
def test_not_across_sentences_from_a_negated_or_ban_sentence(rules, second):
    got = edges("Shares of Zorbak Corp rose 4% on Monday. " + second, rules)
    assert not any(e[1] == "PRODUCES" for e in got)


def test_not_for_a_product_without_a_maker_or_another_firm(rules):
    got = edges("Shares of Quux Labs rose as sales of the Quux Q7 and the Zorbak Z1 doubled.", rules)
    assert not any(e[3] == "kb_maker" for e in got)


def test_negated_sentence_gives_nothing(rules):
    got = edges("Zorbak Corp has not shipped a single Zorbak Z1 to China.", rules)
    assert not any(e[3] == "kb_maker" for e in got)


def test_hedged_sentence_is_reported(rules):
    got = edges("Zorbak Corp reportedly sold out of the Zorbak Z1 in China.", rules)
    assert ("zorbak_corp", "PRODUCES", "zorbak_z1", "kb_maker", "reported") in got


def test_a_rule_relating_the_two_says_it_instead(rules):
    got = edges("Zorbak Corp launched the Zorbak Z1 on Monday.", rules)
    assert ("zorbak_corp", "LAUNCHED", "zorbak_z1") in {e[:3] for e in got}
    assert not any(e[3] == "kb_maker" for e in got)


def test_the_product_maker_stands_for_the_maker(rules):
    """"the Zorbak Z1 maker" (佐巴克Z1开发商) is Zorbak Corp: rules read it as the firm, the descriptor
    itself says the firm makes the product, and the firm is a node even where it is never named."""
    ex = kg.extract("Quux Labs said it would invest $2 billion in the Zorbak Z1 maker.", rules)
    got = {(r.subject, r.relation, r.object, r.rule) for r in ex.relations}
    assert ("zorbak_corp", "PRODUCES", "zorbak_z1", "kb_maker_descriptor") in got
    assert ("quux_labs", "INVESTOR_IN", "zorbak_corp") in {g[:3] for g in got}
    assert {"zorbak_corp", "zorbak_z1", "quux_labs"} <= set(ex.entities)
    zh = kg.extract("佐巴克Z1开发商宣布扩产。", rules)
    assert ("zorbak_corp", "PRODUCES", "zorbak_z1") in {(r.subject, r.relation, r.object) for r in zh.relations}


def test_the_product_maker_named_next_is_left_to_the_rules(rules):
    """"the Zorbak Z1 maker Zorbak Corp": the firm is named; the words are not read as a second name."""
    ex = kg.extract("Quux Labs praised the Zorbak Z1 maker Zorbak Corp on Monday.", rules)
    assert not any(r.rule == "kb_maker_descriptor" for r in ex.relations)
    ex2 = kg.extract("Quux Labs praised the Quux Q7 maker on Monday.", rules)  # no maker known
    assert set(ex2.entities) == {"quux_labs", "quux_q7"}


def test_a_firm_that_manufactures_the_product_has_the_maker_for_customer(rules):
    """kb_foundry: a rule says Quux Labs makes the Zorbak Z1 in a sentence about manufacturing; the
    gazetteer says Zorbak Corp designs it, so Zorbak Corp is Quux Labs' customer."""
    got = edges("Zorbak Corp unveiled a chip. The Zorbak Z1 is manufactured by Quux Labs.", rules)
    assert ("quux_labs", "PRODUCES", "zorbak_z1") in {e[:3] for e in got}
    assert ("zorbak_corp", "CUSTOMER_OF", "quux_labs", "kb_foundry", "asserted") in got
    zh = edges("佐巴克公司发布新芯片。佐巴克Z1由Quux Labs以5纳米工艺代工。", rules)
    assert ("zorbak_corp", "CUSTOMER_OF", "quux_labs", "kb_foundry", "asserted") in zh


def test_no_foundry_customer_without_manufacturing_words_or_the_maker_named(rules):
    # the sentence does not speak of manufacturing: "Quux Labs' Zorbak Z1" is a wrong reading, not a foundry
    got = edges("Zorbak Corp unveiled a chip. Quux Labs's Zorbak Z1 sold well.", rules)
    assert not any(e[3] == "kb_foundry" for e in got)
    # the maker is never named: no node made up for it
    ex = kg.extract("The Zorbak Z1 is manufactured by Quux Labs.", rules)
    assert "zorbak_corp" not in ex.entities and not any(r.rule == "kb_foundry" for r in ex.relations)


def test_a_found_product_of_a_known_family_has_the_familys_maker():
    import dataclasses

    from kg.extractor import Extractor
    from kg.rules import load_rules

    rs = load_rules()
    ex = Extractor(dataclasses.replace(rs, gazetteer={k: v for k, v in rs.gazetteer.items()
                                                      if k not in ("ascend_950pr", "ascend_950dt")}))
    got = ex.extract("Huawei shares rose on Monday. Sales of the Ascend 950PR started in March.")
    made = {(r.subject, r.object, r.rule) for r in got.relations if r.relation == "PRODUCES"}
    assert any(s == "huawei" and o.startswith("p_") and rule == "kb_maker_doc" for s, o, rule in made)
