"""An organisation's parent (the gazetteer's `parent` field) named in one sentence with the unit,
where the sentence speaks of units (unit, subsidiary, lab, 旗下…), makes a PART_OF edge (rule
`kb_parent`) with that sentence as evidence; not where they are only named together or in
different sentences, never from a negated sentence. Parents are checked on load."""

from __future__ import annotations

import pytest

import kg
from conftest import user_gazetteer
from kg.errors import RuleError

GAZ = """entities:
  - id: zorbak_corp
    type: ORG
    name_en: Zorbak Corp
    name_zh: 佐巴克公司
  - id: zorbak_cloud_unit
    type: ORG
    name_en: Quuxcloud
    name_zh: 酷克云
    parent: zorbak_corp
"""


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    return user_gazetteer(tmp_path_factory.mktemp("rules"), GAZ)


def parts(text, rules):
    return [(r.subject, r.object, r.rule, r.confidence, r.evidence) for r in kg.extract(text, rules).relations
            if r.relation == "PART_OF"]


def test_unit_and_parent_in_a_sentence_about_units(rules):
    text = "Zorbak Corp said its cloud unit Quuxcloud grew 40% last year."
    assert parts(text, rules) == [("zorbak_cloud_unit", "zorbak_corp", "kb_parent", 0.6, text)]
    assert [p[:3] for p in parts("佐巴克公司表示，酷克云等子公司增长强劲。", rules)] == [
        ("zorbak_cloud_unit", "zorbak_corp", "kb_parent")]


@pytest.mark.parametrize("text", ["Zorbak Corp said Quuxcloud grew 40% last year.",
                                  "Quuxcloud, a unit, grew 40% last year. Zorbak Corp fell.",
                                  "Zorbak Corp said its unit Quuxcloud did not grow."])
def test_not_named_together_only_across_sentences_or_negated(rules, text):
    assert parts(text, rules) == []


def test_a_parent_must_be_an_organisation_of_the_gazetteer(tmp_path):
    bad = GAZ.replace("parent: zorbak_corp", "parent: no_such_firm")
    with pytest.raises(RuleError, match="parent 'no_such_firm' is no entity"):
        user_gazetteer(tmp_path, bad)
