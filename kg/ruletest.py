"""Run the examples written in the relation rules: each example is a test of its rule."""

from __future__ import annotations

from .extractor import Extractor
from .rules import RuleSet

__all__ = ["run_examples", "iter_examples"]


def iter_examples(rules: RuleSet):
    """Yield (rule, kind, text, expected triples) for every example and near-miss."""
    for rule in rules.relation_rules.values():
        for ex in rule.examples:
            expected = [tuple(t) for t in ex.get("yields") or []]
            # an example that yields nothing can never fail as an example: it is a near miss
            yield rule, "example" if expected else "near_miss", ex["text"], expected
        for text in rule.near_misses:
            yield rule, "near_miss", text, []


def check_example(extractor: Extractor, rule, kind: str, text: str, expected) -> str | None:
    """None when the example holds, else a one-line reason."""
    ex = extractor.extract(text)
    got = {(r.subject, r.relation, r.object) for r in ex.relations}
    sym = {n for n, rt in extractor.rules.relation_types.items() if rt.symmetric}

    def has(t):
        s, rel, o = t
        return (s, rel, o) in got or (rel in sym and (o, rel, s) in got)

    if kind == "example":
        unknown = [x for t in expected for x in (t[0], t[2]) if x not in extractor.rules.gazetteer]
        if unknown:
            return f"{rule.id} ({rule.path}): example names unknown entity ids {unknown}"
        missing = [t for t in expected if not has(t)]
        if missing:
            return f"{rule.id}: {text!r} should yield {missing}, got {sorted(got)}"
        return None
    if rule.relation == "from_title":
        bad = sorted((r.subject, r.relation, r.object) for r in ex.relations if r.rule == rule.id)
    else:
        # a near miss is about wording: an edge the gazetteer's facts give (kb_maker: a product
        # and its maker in one sentence) is not what the sentence's wording said
        bad = sorted({(r.subject, r.relation, r.object) for r in ex.relations
                      if r.relation == rule.relation and not r.rule.startswith("kb_")})
    if bad:
        return f"{rule.id}: near-miss {text!r} should yield no {rule.relation}, got {bad}"
    return None


def run_examples(rules: RuleSet) -> tuple[list[str], int]:
    extractor = Extractor(rules)
    failures, total = [], 0
    for rule, kind, text, expected in iter_examples(rules):
        total += 1
        msg = check_example(extractor, rule, kind, text, expected)
        if msg:
            failures.append(msg)
    return failures, total
