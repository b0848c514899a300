"""The engine's fast paths compute exactly what their plain definitions do.

``Engine.candidates`` (bit masks, memoised) must pick the patterns ``Engine.candidate_patterns``
picks, and ``Engine.match`` (one Doc for many sentences, matched span by span, lexemes with only
the attributes patterns read) must find the matches a Doc per sentence finds, in the same order."""

import random
import re

from conftest import DATA, SAMPLE
from kg.extractor import _fold, _sentence_ranges
from kg.pipeline import _BUILD_AFTER, Tok
from kg.normalize import normalize
from kg.sentences import sentence_spans


def _docs():
    paths = [SAMPLE, *sorted((DATA / "dev").glob("*.txt")), *sorted((DATA / "heldout").glob("*.txt"))]
    for p in paths:
        text = p.read_text(encoding="utf-8")
        yield text, [s for s, _ in sentence_spans(text)]


def _token_lists(eng):
    for text, starts in _docs():
        toks = eng.scan(normalize(text))
        yield toks, starts
        yield _fold(toks), starts


def test_candidates_equal_definition(extractor):
    eng = extractor.engine
    rnd = random.Random(7)
    lists = []
    for toks, starts in _token_lists(eng):
        lists.append(toks)
        ranges = list(_sentence_ranges(toks, starts))
        for lang in ("ent", "zh", "en"):
            for need_ents in (False, True):
                fast = {lo: keys for lo, hi, keys in eng.candidates(toks, ranges, lambda lo: lang, need_ents)}
                for lo, hi in ranges:
                    if need_ents and not any(t.ent_type for t in toks[lo:hi]):
                        assert lo not in fast
                        continue
                    assert fast.get(lo, ()) == eng.candidate_patterns(toks[lo:hi], lang)
    for _ in range(3000):  # odd windows and shuffles: feature combinations sentences rarely have
        toks = rnd.choice(lists)
        lo = rnd.randrange(len(toks))
        sub = toks[lo:lo + rnd.randint(1, 80)]
        if rnd.random() < 0.3:
            sub = rnd.sample(toks, min(len(toks), rnd.randint(1, 40)))
        lang = rnd.choice(("ent", "zh", "en"))
        fast = eng.candidates(sub, [(0, len(sub))], lambda lo: lang)
        assert (fast[0][2] if fast else ()) == eng.candidate_patterns(sub, lang)


def _reference_matches(nlp, eng, toks, keys, cache={}):
    """The matches as kg first found them: a Doc of its own for the sentence, in a vocabulary
    whose lexemes carry every attribute spaCy computes, and a Matcher for ``keys``."""
    import numpy as np
    from spacy.attrs import ENT_IOB, ENT_TYPE, LEMMA, TAG
    from spacy.matcher import Matcher
    from spacy.tokens import Doc

    doc = Doc(nlp.vocab, words=[t.text for t in toks])
    h = nlp.vocab.strings.add
    arr = np.array([[h(t.tag), h(t.lemma), 3 if t.ent_type else 2, h(t.ent_type) if t.ent_type else 0]
                    for t in toks], dtype="uint64")
    doc.from_array([TAG, LEMMA, ENT_IOB, ENT_TYPE], arr)
    m = cache.get(keys)
    if m is None:
        m = cache[keys] = Matcher(nlp.vocab)
        for key in keys:
            m.add(key, [eng.patterns[key]], greedy=None if key.startswith("@") else "LONGEST")
    return m(doc, with_alignments=True)


def test_match_equals_doc_per_sentence(extractor):
    import spacy

    eng = extractor.engine
    full = spacy.blank("xx")
    n = 0
    for toks, starts in _token_lists(eng):
        ranges = list(_sentence_ranges(toks, starts))
        for lang in ("ent", "zh", "en"):
            segs = eng.candidates(toks, ranges, lambda lo: lang)
            for _ in range(_BUILD_AFTER + 1):  # a set of relation patterns met first is matched pattern by pattern
                for (lo, hi, keys), got in zip(segs, eng.match(toks, segs)):
                    ref = _reference_matches(full, eng, toks[lo:hi], keys)
                    if lang != "ent":  # relation matches come in one order: start, end, pattern
                        ref = sorted(ref, key=lambda m: (m[1], m[2], eng.nlp.vocab.strings[m[0]]))
                    assert got == ref
                    n += len(got)
    assert n > 0


def test_cached_token_bits_are_fresh(extractor, monkeypatch):
    """Tok.bits and Tok.row are computed once and reused from the entity patterns to the relations:
    any step in between that changes a token's tag, lemma or text in place must reset them."""
    eng = extractor.engine
    real = type(eng).candidates
    checked = 0

    def checking(self, toks, ranges, lang_of, need_ents=False):
        nonlocal checked
        ranges = list(ranges)
        for lo, hi in ranges:
            for t in toks[lo:hi]:
                if t.bits >= 0:
                    assert t.bits == self._tok_bits(t), (t.tag, t.lemma, t.text)
                    checked += 1
                if t.row is not None:  # the Doc row made for it then (Engine._doc)
                    assert t.row == self._rows.get((t.text, t.tag, t.lemma, t.ent_type), t.row), (t.tag, t.text)
                if t.code:  # its letters in the skeletons (Engine.match)
                    assert t.code == self.code_of(t), (t.tag, t.text)
        return real(self, toks, ranges, lang_of, need_ents)

    monkeypatch.setattr(type(eng), "candidates", checking)
    for text, _ in _docs():
        extractor.extract_doc(text)
    assert checked > 0


def test_skeletons_keep_every_pattern_that_matches(extractor):
    """Engine.match gives spaCy only the candidates whose skeleton (the tags, entity types and
    lemmas their tokens test, in order, with the quantifiers) occurs in the segment: it leaves out
    most of them, and never one that has a match."""
    import spacy

    eng = extractor.engine
    full = spacy.blank("xx")
    tried = left_out = matched = 0
    for toks, starts in _token_lists(eng):
        ranges = list(_sentence_ranges(toks, starts))
        for lang in ("ent", "zh", "en"):
            for lo, hi, keys in eng.candidates(toks, ranges, lambda lo: lang):
                kept = eng.skeleton_keys(toks, lo, hi, keys)
                ids = {full.vocab.strings.add(k): k for k in keys}  # (hashes: the same in every vocabulary)
                found = {ids[m[0]] for m in _reference_matches(full, eng, toks[lo:hi], keys)}
                assert found <= set(kept), found - set(kept)
                tried += len(keys)
                left_out += len(keys) - len(kept)
                matched += len(found)
    assert matched > 0 and left_out > tried // 2


def test_skeleton_quantifiers(extractor):
    eng = extractor.engine
    ent = {"TAG": "ENT", "ENT_TYPE": "ORG"}
    cases = {"{2}": ["ENT", "ENT"], "{,2}": [], "{1,}": ["ENT", "ENT", "ENT"], "?": [], "+": ["ENT"], "*": []}
    for op, tags in cases.items():
        rx = re.compile(eng._skeleton([{"TAG": "TRIG"}, {**ent, "OP": op}, {"TAG": "END"}]))
        toks = [Tok(0, 0, "TRIG", "X")] + [Tok(0, 0, t, "o", "ORG", "o") for t in tags] + [Tok(0, 0, "END", "\n")]
        assert rx.search("".join(eng.code_of(t) for t in toks)), op
    assert not re.compile(eng._skeleton([{"TAG": "TRIG"}, {**ent, "OP": "{2}"}, {"TAG": "END"}])).search(
        "".join(eng.code_of(t) for t in [Tok(0, 0, "TRIG", "X"), Tok(0, 0, "ENT", "o", "ORG", "o"), Tok(0, 0, "END", "\n")]))
    assert eng._skeleton([{"TAG": "TRIG"}, {"TAG": "ENT", "OP": "!"}]) is None  # (no skeleton: always tried)
