"""Every example and near-miss written in rules/relations/*.yaml runs as a test."""

import pytest

from kg.rules import load_rules
from kg.ruletest import check_example, iter_examples

CASES = list(iter_examples(load_rules()))


@pytest.mark.parametrize("rule,kind,text,expected", CASES,
                         ids=[f"{r.id}-{k}-{i}" for i, (r, k, _, _) in enumerate(CASES)])
def test_rule_example(extractor, rule, kind, text, expected):
    msg = check_example(extractor, rule, kind, text, expected)
    assert msg is None, msg


def test_there_are_examples():
    assert len(CASES) >= 30
