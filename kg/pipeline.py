"""The rule engine: a fast scan for names and rule words, then spaCy matchers over coarse Docs.

This module is the only place that configures spaCy. kg does not run spaCy's per-character
Chinese tokenizer: an Aho-Corasick automaton (pyahocorasick) finds every gazetteer alias and every
word the rules mention in one pass over the folded text, and the Docs spaCy matches on have one
token per name, rule word, Latin word, number or punctuation mark, and one token per stretch of
other Chinese text (tag ``GAP``). Token attributes rules can use:

- ``TAG``: ENT (a name), TITLE, TRIG, FUNC, SEP, NEG, HEDGE, FORMER, LISTFILL, SUFFIX, STOP, ANAPHOR,
  WORD (a literal word a pattern names), LATIN, NUM, PUNCT, GAP;
- ``LEMMA``: the word class (``FIRE``, ``TITLE_CEO``...) or, for names, the entity id;
- ``ENT_TYPE``: the entity type of a name (also set on anaphors such as 他 / 董事会);
- ``TEXT`` / ``LOWER``: the (t2s-folded) surface text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .normalize import Normalized, fold
from .rules import RuleSet, literal_scanned

__all__ = ["Tok", "Engine", "KIND_TAGS"]

KIND_TAGS = {
    "trigger": "TRIG", "title": "TITLE", "anaphor": "ANAPHOR", "negation": "NEG", "hedge": "HEDGE",
    "former": "FORMER", "separator": "SEP", "listfill": "LISTFILL", "stop": "STOP", "suffix": "SUFFIX",
    "function": "FUNC", "word": "GAP",
}
# what may follow a Latin name that ends in a digit without breaking it: "H100GPU", "H20s"
LATIN_SUFFIXES = {"gpu", "gpus", "s", "chip", "chips", "pro", "ai"}
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_GAP_RE = re.compile(
    r"(?P<nl>\n)|(?P<lat>[A-Za-z0-9](?:[A-Za-z0-9+_]|[\-.'’&](?=[A-Za-z0-9]))*)|(?P<ws>\s+)"
    r"|(?P<cjk>[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)|(?P<p>.)", re.S)
_LITERAL_KEYS = ("LOWER", "TEXT", "ORTH", "NORM")
_TAG_KEYS = {t: "TAG:" + t for t in ("ENT", "TITLE", "TRIG", "FUNC", "SEP", "NEG", "HEDGE", "FORMER", "LISTFILL",
                                     "SUFFIX", "STOP", "ANAPHOR", "LATIN", "NUM", "PUNCT", "END", "GAP")}


@dataclass(slots=True)
class Tok:
    start: int
    end: int
    tag: str
    lemma: str
    ent_type: str = ""
    entity: str = ""
    members: tuple = ()  # folded list: ((entity, type, start, end), ...)
    titles: tuple = ()  # folded title chain: ((class name, qualifier), ...)
    anaphor: bool = False
    text: str = ""
    board: bool = False  # "OpenAI董事会": an organisation named with its board
    # what Engine.candidates sees of this token (bits of its tag, lemma, text and entity type), -1
    # until computed, its row of a spaCy Doc (Engine._doc), None until made, and its code in the
    # skeletons of Engine.match, "" until made: whoever changes one of them afterwards sets bits
    # back to -1, row to None and code to ""
    bits: int = field(default=-1, compare=False, repr=False)
    row: tuple | None = field(default=None, compare=False, repr=False)
    code: str = field(default="", compare=False, repr=False)  # its letters in Engine's skeletons ("": not yet)


@dataclass(slots=True)
class _Key:
    length: int
    entity: str = ""
    ent_type: str = ""
    exact_lower_first: bool = False  # alias begins with a lower-case letter (iKala)
    word_class: str = ""
    tag: str = ""
    latin_start: bool = False
    latin_end: bool = False
    digit_end: bool = False
    plain: bool = False  # neither end a Latin letter or digit: scan's boundary tests cannot refuse it
    split: tuple = ()  # an "ORG PRODUCT" alias (NVIDIA H100): (prefix length, org id, org type)
    lemma: str = ""  # a word's token lemma: its class, else the word itself
    anaphor_type: str = ""  # the entity type an anaphor stands for
    bits: int = -1  # Tok.bits of the token this key makes (-1: left to Engine.candidates)
    code: str = ""  # Tok.code of the token this key makes ("": left to Engine.match)


def _literals(pattern: list[dict]):
    for tok in pattern:
        for k in _LITERAL_KEYS:
            v = tok.get(k)
            if isinstance(v, str):
                yield v
            elif isinstance(v, dict):
                for op in ("IN", "NOT_IN"):
                    if isinstance(v.get(op), list):
                        yield from (x for x in v[op] if isinstance(x, str))


def _span_max(pattern: list[dict]) -> float:
    """The most tokens a match of ``pattern`` can cover (inf with * or +)."""
    total = 0.0
    for tok in pattern:
        op = tok.get("OP")
        if op in (None, "!", "1", "?"):
            total += 0 if op == "!" else 1
        elif op in ("*", "+"):
            return float("inf")
        else:
            m = re.match(r"^\{(\d*),?(\d*)\}$", op)
            hi = m.group(2) if m and "," in op else (m.group(1) if m else "")
            if not hi:
                return float("inf")
            total += int(hi)
    return total


def _regex_needs(pattern: list[dict]) -> list[tuple[str | None, re.Pattern]]:
    """(tag, regex) of the mandatory tokens that carry a TEXT REGEX: some token must match."""
    out = []
    for tok in pattern:
        if tok.get("OP") not in (None, "+", "1"):
            continue
        v = tok.get("TEXT")
        if isinstance(v, dict) and isinstance(v.get("REGEX"), str):
            tag = tok.get("TAG") if isinstance(tok.get("TAG"), str) else None
            out.append((tag, re.compile(v["REGEX"])))
    return out


def _needs(pattern: list[dict]) -> tuple[list[frozenset], list[frozenset], int, list[frozenset]]:
    """What a match cannot do without: word classes or tags (``TAG:X``), literal words
    (LOWER/TEXT/ORTH), how many names (tokens with an entity type) and which entity types."""
    lem, low, ents, etypes = [], [], 0, []
    for tok in pattern:
        if tok.get("OP") not in (None, "+", "1"):
            continue
        v = tok.get("LEMMA")
        if isinstance(v, str):
            lem.append(frozenset([v]))
        elif isinstance(v, dict) and isinstance(v.get("IN"), list):
            lem.append(frozenset(v["IN"]))
        v = tok.get("TAG")
        if isinstance(v, str):
            lem.append(frozenset(["TAG:" + v]))
        elif isinstance(v, dict) and isinstance(v.get("IN"), list):
            lem.append(frozenset("TAG:" + x for x in v["IN"]))
        v = tok.get("ENT_TYPE")
        if isinstance(v, str) or (isinstance(v, dict) and "IN" in v):
            ents += 1
        types = [v] if isinstance(v, str) else v.get("IN") if isinstance(v, dict) else None
        if isinstance(types, list) and types and all(isinstance(x, str) and x for x in types):
            etypes.append(frozenset(types))
        for k in ("LOWER", "TEXT", "ORTH"):
            v = tok.get(k)
            if isinstance(v, str):
                low.append(frozenset([fold(v)]))
            elif isinstance(v, dict) and isinstance(v.get("IN"), list):
                low.append(frozenset(fold(x) for x in v["IN"]))
    return lem, low, ents, etypes


def _variants(name: str) -> set[str]:
    out = {name}
    if "·" in name or "・" in name:
        out.add(name.replace("·", "").replace("・", ""))
    if " " in name and any(c.isdigit() for c in name):
        out.add(name.replace(" ", ""))  # RTX 4090 / RTX4090
    if "-" in name and any(c.isdigit() for c in name):
        out.add(name.replace("-", ""))
    return {v for v in out if v.strip()}


class Engine:
    """A compiled rule set: the scanner's automaton and spaCy's matchers."""

    def __init__(self, rules: RuleSet):
        import ahocorasick

        self.rules = rules
        self.classes = rules.lexicon
        auto = ahocorasick.Automaton()
        keys: dict[str, _Key] = {}
        for cls in rules.lexicon.values():
            tag = KIND_TAGS[cls.kind]
            for w in cls.words:
                k = fold(w).strip()
                if k:
                    keys[k] = _Key(len(k), word_class=cls.name, tag=tag)
        for rule in rules.relation_rules.values():
            for pat in rule.patterns:
                self._add_literals(keys, pat)
        for ep in rules.entity_patterns.values():
            self._add_literals(keys, ep.pattern)
        self.alias_of: dict[str, str] = {}
        placed: list[tuple[str, str, str]] = []
        for e in rules.gazetteer.values():
            for name in e.names():
                for v in _variants(name):
                    k = fold(v).strip()
                    if not k:
                        continue
                    self.alias_of[k] = e.id
                    if e.type == "LOCATION" and ", " in k:
                        placed.append((k, e.id, v))  # see below
                        continue
                    first = v.strip()[0]
                    keys[k] = _Key(len(k), entity=e.id, ent_type=e.type,
                                   exact_lower_first=first.islower())
        for k, eid, v in placed:
            # "New Albany, Ohio", "Taylor, Texas": a place written with the region it is in names
            # both (annotators mark Ohio, and the town PART_OF it), so the text is read as two
            # names, not scanned whole ("Huangpu District, Guangzhou" too: the region is known)
            region = keys.get(k.rsplit(", ", 1)[1])
            if region is None or region.ent_type != "LOCATION":
                keys[k] = _Key(len(k), entity=eid, ent_type="LOCATION", exact_lower_first=v.strip()[0].islower())
        for k, info in keys.items():
            if info.ent_type == "PRODUCT":
                info.split = self._org_prefix(k, keys)
            info.latin_start = k[0] in _ASCII_ALNUM
            info.latin_end = k[-1] in _ASCII_ALNUM
            info.digit_end = k[-1].isdigit()
            info.plain = not (info.latin_start or info.latin_end or info.digit_end)
            if not info.entity:
                info.lemma = info.word_class or k
                cls = self.classes.get(info.word_class) if info.word_class else None
                info.anaphor_type = cls.type if cls is not None and cls.kind == "anaphor" else ""
            auto.add_word(k, (k, info))
        self._keys = keys
        auto.make_automaton()
        self.automaton = auto
        self._nlp = None
        self._patterns = None
        self._compiled = None
        self._scanned = None  # the last scan: (tokens, norm, gaps), for rescan
        self._hash: dict[str, int] = {}
        # what each relation pattern needs in a sentence before spaCy is asked to try it
        self.pattern_needs: dict[str, tuple[list[frozenset], list[frozenset], int, list[frozenset]]] = {}
        self._matcher_cache: dict[tuple[str, ...], object] = {}
        self._single: dict[str, object] = {}  # a Matcher of one pattern each, kept
        self._keys_seen: dict[tuple[str, ...], int] = {}  # relation pattern sets matched without a Matcher
        self.pattern_span: dict[str, float] = {}
        self.pattern_regex: dict[str, list] = {}
        # the same for candidates(): (need number, tag, regex search, literals: one of them is in
        # every text the regex finds something in, or None) each; a compiled regex is slow to hash
        # (its whole compiled code is hashed each time) and so no key
        self._rx_needs: dict[str, tuple] = {}
        self.needs_index: dict[str, dict[str, list[str]]] = {}  # language -> need -> patterns
        for rule in rules.relation_rules.values():
            langs = ("zh", "en") if rule.lang == "any" else (rule.lang,)
            for i, pat in enumerate(rule.patterns):
                self._register(f"{rule.id}#{i}", pat, langs)
        # entity patterns are keyed "@id" and indexed under the pseudo-language "ent"
        for ep in rules.entity_patterns.values():
            self._register("@" + ep.id, ep.pattern, ("ent",))
        numbered: dict[tuple, tuple] = {}
        for key, rx in self.pattern_regex.items():
            self._rx_needs[key] = tuple(
                numbered.get((tag, r.pattern, r.flags))
                or numbered.setdefault((tag, r.pattern, r.flags), (len(numbered), tag, r.search, _required_literals(r)))
                for tag, r in rx)
        self._build_checks()
        self._build_skeletons()

    def _register(self, key: str, pat: list[dict], langs) -> None:
        lem, low, ents, etypes = _needs(pat)
        self.pattern_needs[key] = (lem, low, ents, etypes)
        self.pattern_span[key] = _span_max(pat)
        rx = _regex_needs(pat)
        if rx:
            self.pattern_regex[key] = rx
        # index each pattern under its rarest-looking need: a class rather than a tag
        if lem:
            anchor = sorted(min(lem, key=lambda x: (any(a.startswith("TAG:") for a in x), len(x))))
        elif low:
            anchor = sorted("LOW:" + w for w in low[0])
        else:
            anchor = ["*"]
        for lang in langs:
            index = self.needs_index.setdefault(lang, {})
            for a in anchor:
                index.setdefault(a, []).append(key)

    def _build_checks(self) -> None:
        """The needs of every pattern as integer bit masks, for :meth:`candidates`.

        A sentence's features are one integer: a bit for each word class or ``TAG:X`` a pattern
        needs (found among the tokens' lemmas and tags), for each literal word (the tokens'
        lower-cased text), for each entity type a pattern needs and, for patterns that need
        literal words only, for each anchor word seen as gap text (how the index of
        :meth:`_register` finds them). A pattern is a
        candidate when every one of its masks meets the sentence's features; the answer is
        memoised per (features, names, closest pair of names)."""
        bits: dict[tuple[str, str], int] = {}

        def mask(ns: str, words) -> int:
            m = 0
            for w in words:
                b = bits.get((ns, w))
                if b is None:
                    b = bits[(ns, w)] = 1 << len(bits)
                m |= b
            return m

        self._checks: dict[str, tuple] = {}
        max_ents, cap = 0, 1
        for key, (lem, low, ents, etypes) in self.pattern_needs.items():
            masks = [mask("lem", s) for s in lem] + [mask("low", s) for s in low] + [mask("et", s) for s in etypes]
            if not lem and low:
                masks.append(mask("gap", low[0]))  # the anchor: a gap token with that text
            span = self.pattern_span[key]
            self._checks[key] = (tuple(masks), ents, span)
            max_ents = max(max_ents, ents)
            if span != float("inf"):
                cap = max(cap, int(span) + 1)
        self._lem_bit = {w: b for (ns, w), b in bits.items() if ns == "lem"}
        self._low_bit = {w: b for (ns, w), b in bits.items() if ns == "low"}
        self._gap_bit = {w: b for (ns, w), b in bits.items() if ns == "gap"}
        self._et_bit = {w: b for (ns, w), b in bits.items() if ns == "et"}
        self._tag_bit: dict[str, int] = {}
        self._text_bits: dict[str, tuple[int, int]] = {}
        self._max_ents, self._closest_cap = max_ents, cap
        self._lang_keys = {lang: sorted({k for ks in index.values() for k in ks})
                           for lang, index in self.needs_index.items()}
        # each pattern under the bits of one of its masks, the rarest-looking (a tag or an entity
        # type is in most sentences), for the memo's misses; patterns without masks always
        common = {b for (ns, w), b in bits.items() if ns == "et" or (ns == "lem" and w.startswith("TAG:"))}
        self._common_bits = sum(common)

        def cost(m: int) -> int:
            return sum(100 if b in common else 1 for b in _bits_of(m))

        self._anchor: dict[str, tuple[dict[int, list[str]], list[str]]] = {}
        for lang, keys in self._lang_keys.items():
            by_bit: dict[int, list[str]] = {}
            always: list[str] = []
            for key in keys:
                masks = self._checks[key][0]
                if not masks:
                    always.append(key)
                    continue
                for b in _bits_of(min(masks, key=cost)):
                    by_bit.setdefault(b, []).append(key)
            self._anchor[lang] = (by_bit, always)
        self._cand_memo: dict[tuple, tuple[str, ...]] = {}
        # the bits of the token each automaton key makes, when its text is the key itself
        for k, info in self._keys.items():
            if any(len(c.lower()) != 1 for c in k):
                continue  # lower() would change the length: computed from the token's text
            if info.entity:
                info.bits = self._tok_bits(Tok(0, 0, "ENT", info.entity, info.ent_type, info.entity, text=k))
            else:
                info.bits = self._tok_bits(Tok(0, 0, info.tag, info.lemma, info.anaphor_type, text=k))

    def _build_skeletons(self) -> None:
        """A pattern's skeleton: a regular expression over the sentence written three letters a
        token (one for its tag, one for its entity type, one for its lemma; values no pattern names
        share an "other" letter), with a class of letters for each pattern token's TAG, ENT_TYPE
        and LEMMA tests and the token's quantifier, each in order. A sentence can have a match of
        the pattern only where the skeleton finds one (the other tests, text and flags, are left
        out: they only narrow the match), so :meth:`match` gives spaCy only the patterns whose
        skeleton finds something in the sentence: the same matches, in the same order, for far
        fewer patterns tried (most candidates have the words, names and tags a pattern needs, but
        not in its order). None for a pattern the skeleton cannot say (``OP: "!"``, values that
        are not strings)."""
        named: dict[str, set] = {"TAG": set(_TAG_KEYS), "ENT_TYPE": {""}, "LEMMA": set()}
        for pat in self.patterns.values():
            for tok in pat:
                for k, v in tok.items():
                    ku = k.upper() if isinstance(k, str) else k
                    if ku not in named:
                        continue
                    if isinstance(v, str):
                        named[ku].add(v)
                    elif isinstance(v, dict):
                        for op in ("IN", "NOT_IN"):
                            if isinstance(v.get(op), list):
                                named[ku].update(x for x in v[op] if isinstance(x, str))
        # letters of three ranges that never meet, the last of each range for values no pattern names
        self._sk_letters = {}
        self._sk_any: dict[str, str] = {}  # attribute -> the class of all its letters
        for attr, base in (("TAG", 0x100), ("ENT_TYPE", 0x800), ("LEMMA", 0x1000)):
            values = sorted(named[attr])[:0xD000 - base]  # (more than that many: the rest are "other")
            self._sk_letters[attr] = ({x: chr(base + i) for i, x in enumerate(values)}, chr(base + len(values)))
            self._sk_any[attr] = f"[{chr(base)}-{chr(base + len(values))}]"
        self._skel_src: dict[str, str | None] = {k: self._skeleton(p) for k, p in self.patterns.items()}
        self._skel_rx: dict[str, object] = {}  # compiled when first used
        # the letters of the token each automaton key makes (they do not depend on its text)
        self._sk_code_maps = (*self._sk_letters["TAG"], *self._sk_letters["ENT_TYPE"], *self._sk_letters["LEMMA"])
        tags, t_other, types, e_other, lemmas, l_other = self._sk_code_maps
        ent = tags.get("ENT", t_other)
        for info in self._keys.values():
            info.code = (ent + types.get(info.ent_type, e_other) + lemmas.get(info.entity, l_other) if info.entity
                         else tags.get(info.tag, t_other) + types.get(info.anaphor_type, e_other)
                         + lemmas.get(info.lemma, l_other))
        del self._keys

    def _skeleton(self, pat: list[dict]) -> str | None:
        """The skeleton of one pattern (see :meth:`_build_skeletons`), as regex source."""
        out = []
        for tok in pat:
            classes = []
            for attr in ("TAG", "ENT_TYPE", "LEMMA"):
                letter, other = self._sk_letters[attr]
                allowed = None  # the letters an equality or IN test leaves (None: no such test)
                excluded: set[str] = set()  # the letters a NOT_IN test takes out
                for k, v in tok.items():
                    if not (isinstance(k, str) and k.upper() == attr):
                        continue
                    if isinstance(v, str):
                        one = {letter.get(v, other)}
                        allowed = one if allowed is None else allowed & one
                    elif isinstance(v, dict):
                        for op, x in v.items():
                            op = op.upper() if isinstance(op, str) else op
                            if op in ("IN", "NOT_IN"):
                                if not isinstance(x, list) or not all(isinstance(y, str) for y in x):
                                    return None
                                if op == "IN":
                                    some = {letter.get(y, other) for y in x}
                                    allowed = some if allowed is None else allowed & some
                                else:
                                    excluded |= {letter[y] for y in x if y in letter}
                            # (other tests, REGEX...: no narrowing)
                    else:
                        return None
                if allowed is not None:
                    allowed -= excluded
                    classes.append("[" + "".join(sorted(allowed)) + "]" if allowed else "(?!)")
                elif excluded:  # any letter of the attribute but those
                    classes.append("(?![" + "".join(sorted(excluded)) + "])" + self._sk_any[attr])
                else:
                    classes.append(self._sk_any[attr])
            group = "(?:" + "".join(classes) + ")"
            op = tok.get("OP")
            if op is None or op == "1":
                out.append(group)
            elif op in ("?", "*", "+"):
                out.append(group + op)
            elif isinstance(op, str) and re.fullmatch(r"\{\d*,?\d*\}", op) and op != "{}" and op != "{,}":
                lo, comma, hi = op[1:-1].partition(",")
                if not comma:
                    hi = lo
                out.append(group + "{" + (lo or "0") + "," + hi + "}")
            else:
                return None
        return "".join(out)

    def code_of(self, t: Tok) -> str:
        """The three letters of a token in the skeletons."""
        tags, t_other, types, e_other, lemmas, l_other = self._sk_code_maps
        return tags.get(t.tag, t_other) + types.get(t.ent_type, e_other) + lemmas.get(t.lemma, l_other)

    def _code(self, t: Tok) -> str:
        c = t.code = self.code_of(t)  # (kept on the token: see Tok.code)
        return c

    def skeleton_keys(self, toks: list[Tok], lo: int, hi: int, keys: tuple[str, ...]) -> tuple[str, ...]:
        """``keys`` less the patterns whose skeleton finds nothing in ``toks[lo:hi]``."""
        return self._skeleton_keys(toks, lo, hi, keys)[0]

    def _skeleton_keys(self, toks: list[Tok], lo: int, hi: int, keys: tuple[str, ...]) -> tuple[tuple[str, ...], int]:
        """:meth:`skeleton_keys`, and the first token (from ``lo``) where a match of one of them can
        start: the leftmost start of their skeletons (0 when one of them has none)."""
        src, compiled = self._skel_src, self._skel_rx
        text = None
        kept = []
        first = hi - lo
        for key in keys:
            rx = compiled.get(key)
            if rx is None:
                s = src.get(key)
                if s is None:
                    kept.append(key)
                    first = 0
                    continue
                rx = compiled[key] = re.compile(s)
            if text is None:
                code = self._code
                text = "".join([t.code or code(t) for t in toks[lo:hi]])
            m = rx.search(text)
            if m is not None:
                kept.append(key)
                if m.start() < 3 * first:  # (three letters a token: a match starts at a token)
                    first = m.start() // 3
        return (keys if len(kept) == len(keys) else tuple(kept)), (first if kept else 0)

    def _is_common(self, mask: int) -> bool:
        """Does ``mask`` (a pattern's need) hold a bit most sentences have (a tag, an entity type)?"""
        return bool(mask & self._common_bits)

    def _tok_bits(self, t: Tok) -> int:
        """The features of one token (see :meth:`_build_checks`)."""
        tag = t.tag
        tb = self._tag_bit.get(tag)
        if tb is None:
            tb = self._tag_bit[tag] = self._lem_bit.get(_TAG_KEYS.get(tag) or "TAG:" + tag, 0)
        text = t.text
        xb = self._text_bits.get(text)
        if xb is None:
            if len(self._text_bits) > 200_000:
                self._text_bits.clear()
            low = text.lower()
            xb = self._text_bits[text] = (self._low_bit.get(low, 0), self._gap_bit.get(low, 0))
        b = self._lem_bit.get(t.lemma, 0) | tb | xb[0]
        if t.ent_type:
            b |= self._et_bit.get(t.ent_type, 0)
        elif tag == "GAP":
            b |= xb[1]
        return b

    def candidates(self, toks: list[Tok], ranges, lang_of, need_ents: bool = False):
        """``[(lo, hi, keys)]`` for the sentences ``toks[lo:hi]`` of ``ranges`` where some pattern
        can match: what :meth:`candidate_patterns` returns for each, computed with bit masks.
        ``lang_of(lo)`` is the language of the sentence starting at ``lo`` (asked only when the
        sentence is considered); with ``need_ents`` sentences without a name are skipped."""
        tok_bits = self._tok_bits
        memo, checks, regex = self._cand_memo, self._checks, self.pattern_regex
        max_ents, cap = self._max_ents, self._closest_cap
        out = []
        for lo, hi in ranges:
            have = 0
            n_ents = 0
            closest = 1 << 30
            last = -1
            for i in range(lo, hi):
                t = toks[i]
                b = t.bits
                if b < 0:
                    b = t.bits = tok_bits(t)
                have |= b
                if t.ent_type:
                    n_ents += 1
                    if last >= 0 and i - last < closest:
                        closest = i - last
                    last = i
            if need_ents and not n_ents:
                continue
            lang = lang_of(lo)
            ck = (lang, have, min(n_ents, max_ents), min(closest, cap))
            keys = memo.get(ck)
            if keys is None:
                ne_, cl_ = ck[2], ck[3]
                found = []
                by_bit, always = self._anchor.get(lang) or ({}, [])
                maybe = set(always)
                for b in _bits_of(have):
                    ks = by_bit.get(b)
                    if ks:
                        maybe.update(ks)
                for key in sorted(maybe):
                    masks, ne, span = checks[key]
                    if ne > ne_ or (ne >= 2 and cl_ >= span):
                        continue
                    for m in masks:
                        if not m & have:
                            break
                    else:
                        found.append(key)
                if len(memo) > 100_000:
                    memo.clear()
                found = tuple(found)
                memo[ck] = (found, any(k in regex for k in found))
                keys, with_rx = memo[ck]
            else:
                keys, with_rx = keys
            if with_rx:
                seen: dict = {}
                rx_of = self._rx_needs
                keys = tuple(k for k in keys if k not in rx_of or self._regex_ok(rx_of[k], toks, lo, hi, seen))
            if keys:
                out.append((lo, hi, keys))
        return out

    @staticmethod
    def _regex_ok(needs, toks, lo, hi, seen: dict) -> bool:
        """Some token of ``toks[lo:hi]`` (of the tag, if one is given) matches each regex of
        ``needs`` (see ``_rx_needs``); ``seen`` keeps the answers for the sentence (rules share
        their regexes) and the sentence's texts by tag (None: all), made when first needed. A regex
        with required literals is run only on a sentence whose text holds one of them (most do not)."""
        for nid, tag, search, lits in needs:
            ok = seen.get(nid)
            if ok is None and lits is not None:
                joined = seen.get("\0")
                if joined is None:  # (tokens joined with a character no literal has)
                    joined = seen["\0"] = "\0".join([t.text for t in toks[lo:hi]])
                for lit in lits:
                    if lit in joined:
                        break
                else:
                    ok = seen[nid] = False
            if ok is None:
                texts = seen.get(tag)
                if texts is None:
                    texts = seen[tag] = [t.text for t in toks[lo:hi]] if tag is None else \
                        [t.text for t in toks[lo:hi] if t.tag == tag]
                ok = seen[nid] = any(map(search, texts))
            if not ok:
                return False
        return True

    def match(self, toks: list[Tok], segs) -> list[list[tuple]]:
        """Run each segment's matcher (``segs`` from :meth:`candidates``) over one Doc made of the
        segments' tokens: per segment, ``(match_id, start, end, alignments)`` with offsets
        inside the segment, as if each segment were a Doc of its own."""
        if not segs:
            return []
        # only the patterns whose skeleton is in the segment (see _build_skeletons): the others
        # have no match there; a segment left with none is no part of the Doc. spaCy reads the
        # segment from the first token where one of them can start a match (the states of a match
        # depend on its own tokens only, so the matches and their order are those of the whole
        # segment; their offsets are moved back)
        skel = self._skeleton_keys
        cut = []
        kept_segs = []
        for lo, hi, keys in segs:
            keys, first = skel(toks, lo, hi, keys)
            kept_segs.append((lo, hi, keys))
            cut.append(first)
        segs = kept_segs
        seq: list[Tok] = []
        firsts = []
        for lo, hi, keys in segs:
            if keys:
                firsts.append(len(seq))
                seq.extend(toks[lo:hi])
            else:
                firsts.append(-1)
        doc = self._doc(seq, [a for a in firsts if a >= 0]) if seq else None
        out = []
        cache, seen, strings = self._matcher_cache, self._keys_seen, self.nlp.vocab.strings
        for (lo, hi, keys), a, c in zip(segs, firsts, cut):
            if not keys:
                out.append([])
                continue
            span = doc[a + c:a + hi - lo]
            if c:
                found = self._match_span(span, keys, cache, seen, strings)
                out.append([(m, s + c, e + c, al) for m, s, e, al in found])
                continue
            out.append(self._match_span(span, keys, cache, seen, strings))
        return out

    def _match_span(self, span, keys, cache, seen, strings) -> list[tuple]:
        """The matches of the patterns ``keys`` in ``span`` (see :meth:`match`)."""
        if keys[0][0] == "@":  # entity patterns: every match, in the Matcher's order
            return self.relation_matcher(keys)(span, with_alignments=True)
        if len(keys) > 1 and keys not in cache and seen.get(keys, 0) < _BUILD_AFTER:
            # a set of relation patterns met for the first times: building a Matcher for it
            # costs as much as matching each pattern alone some ten times (about 1.5 ms for ten
            # patterns against 0.15 ms), and most sets of a corpus of distinct documents come
            # once; a set that comes back gets its Matcher. The matches of one pattern do not
            # depend on the others in the Matcher (LONGEST filters per pattern)
            if len(seen) > 100_000:
                seen.clear()
            seen[keys] = seen.get(keys, 0) + 1
            found = []
            for key in keys:
                found += self.relation_matcher((key,))(span, with_alignments=True)
        else:
            found = self.relation_matcher(keys)(span, with_alignments=True)
        if len(found) > 1:  # (one order whichever Matcher found them)
            found.sort(key=lambda m: (m[1], m[2], strings[m[0]]))
        return found

    def _doc(self, toks: list[Tok], firsts=(0,)):
        """A Doc of ``toks``: TAG, LEMMA, ENT_IOB/ENT_TYPE and SENT_START (1 on each of ``firsts``,
        the first token of each segment, as a Doc of its own would have it); with lexeme flags
        (see :meth:`_compile`), one lexeme per token text and class and NORM = the text."""
        import numpy as np
        from spacy.tokens import Doc

        vocab = self.nlp.vocab  # (compiles the patterns: flags or not)
        rows = self._rows
        got = [t.row for t in toks]
        if None in got:
            for i, t in enumerate(toks):
                if got[i] is None:
                    k = (t.text, t.tag, t.lemma, t.ent_type)
                    r = rows.get(k)
                    if r is None:
                        r = self._new_row(k)
                    got[i] = t.row = r
        doc = Doc(vocab, words=[g[0] for g in got])
        arr = np.frombuffer(bytearray(b"".join([g[1] for g in got])), dtype=np.uint64).reshape(len(toks), -1)
        if toks:
            arr[list(firsts), 0] = 1
        doc.from_array(self._row_attrs, arr)
        return doc

    def _new_row(self, k: tuple[str, str, str, str]) -> tuple:
        """The lexeme and the attribute row (SENT_START 0, TAG, LEMMA, ENT_IOB, ENT_TYPE[, NORM])
        of a token (text, tag, lemma, entity type)."""
        import struct

        text, tag, lemma, etype = k
        h = self._h
        et = h(etype)
        vals = [0, h(tag), h(lemma), 3 if et else 2, et]  # ENT_IOB: B on a name, O elsewhere
        if self._flag_preds is None:
            orth = h(text)
            self.nlp.vocab[orth]  # the lexeme, made as Doc(words=[text]) would
        else:
            vals.append(self.nlp.vocab.strings.add(text))  # NORM: what TEXT / ORTH patterns read
            cls = self._cls_ids.get(k[1:])
            if cls is None:
                cls = self._cls_ids[k[1:]] = len(self._cls_ids)
            lex = self.nlp.vocab[text + "\0" + str(cls)]
            lex.flags = self._flags_of(text, tag, lemma, etype)
            orth = lex.orth
        if len(self._rows) > 200_000:
            self._rows.clear()
        r = self._rows[k] = (orth, struct.pack(f"={len(vals)}Q", *vals))
        return r

    @staticmethod
    def _org_prefix(k: str, keys: dict[str, _Key]) -> tuple:
        """Split "nvidia h100" into the maker and the product, so both are mentioned."""
        for i in range(len(k) - 1, 0, -1):
            head = k[:i].rstrip()
            info = keys.get(head)
            if info is None or info.ent_type != "ORG":
                continue
            boundary = k[i - 1] == " " or k[i] == " " or not (k[i - 1] in _ASCII_ALNUM and k[i] in _ASCII_ALNUM)
            if boundary:
                return (len(head), info.entity, info.ent_type)
        return ()

    @staticmethod
    def _add_literals(keys: dict[str, _Key], pattern: list[dict]):
        for lit in _literals(pattern):
            k = fold(lit).strip()
            # punctuation is a token of its own already (tag PUNCT): only words are scanned
            if k and k not in keys and literal_scanned(k) and any(c.isalnum() for c in k):
                keys[k] = _Key(len(k), tag="GAP")  # a literal a rule names: gap text it can see

    # ---------------------------------------------------------------- spaCy
    @property
    def nlp(self):
        if self._nlp is None:
            import spacy
            from spacy.attrs import IDS

            nlp = spacy.blank("xx")
            # spaCy computes some twenty attributes (shape, prefix, flags...) for every new string's
            # lexeme, and most gap texts are new: keep only those some pattern reads
            pats = [ep.pattern for ep in self.rules.entity_patterns.values()]
            pats += [p for rule in self.rules.relation_rules.values() for p in rule.patterns]
            used = {IDS.get(k.upper()) for p in pats for tok in p for k in tok if isinstance(k, str)}
            used.discard(None)
            getters = nlp.vocab.lex_attr_getters or {}
            nlp.vocab.lex_attr_getters = {a: f for a, f in getters.items() if a in used}
            self._nlp = nlp
            self._compile()
        return self._nlp

    def relation_matcher(self, keys: tuple[str, ...]):
        """A Matcher holding just the relation patterns ``keys`` (``rule_id#i``), cached: a
        sentence is matched only against the patterns whose words it contains."""
        if len(keys) == 1:
            m = self._single.get(keys[0])
            if m is None:
                m = self._single[keys[0]] = self._new_matcher(keys)
            return m
        m = self._matcher_cache.pop(keys, None)
        if m is not None:
            self._matcher_cache[keys] = m  # most recently used last
        else:
            if len(self._matcher_cache) >= _MATCHER_CACHE:
                del self._matcher_cache[next(iter(self._matcher_cache))]  # the least recently used
            m = self._matcher_cache[keys] = self._new_matcher(keys)
        return m

    def _new_matcher(self, keys: tuple[str, ...]):
        from spacy.matcher import Matcher

        pats = self.compiled
        m = Matcher(self.nlp.vocab, validate=False)
        for key in keys:
            if key.startswith("@"):  # entity patterns: every match, the longest name wins later
                m.add(key, [pats[key]])
            else:
                m.add(key, [pats[key]], greedy="LONGEST")
        return m

    @property
    def patterns(self) -> dict[str, list[dict]]:
        if self._patterns is None:
            # no second validation here: load_rules ran spaCy's validate_token_pattern (what a
            # Matcher(validate=True) runs) on every pattern, and that took a third of a warm start
            pats = {}
            for rule in self.rules.relation_rules.values():
                for i, pat in enumerate(rule.patterns):
                    pats[f"{rule.id}#{i}"] = pat
            for ep in self.rules.entity_patterns.values():
                pats["@" + ep.id] = ep.pattern
            self._patterns = pats
        return self._patterns

    @property
    def compiled(self) -> dict[str, list[dict]]:
        """The patterns as spaCy's Matcher gets them (see :meth:`_compile`)."""
        if self._compiled is None:
            self.nlp  # compiles them, before the first lexeme is made
        return self._compiled

    def _compile(self) -> None:
        """Move the most used set and regex tests of the patterns into lexeme flags.

        spaCy checks a plain attribute (``TAG: "ENT"``) in C, but calls a Python function for each
        token and each ``IN`` / ``NOT_IN`` / ``REGEX`` test, and those calls were most of its time.
        A lexeme has 63 boolean flags spaCy also checks in C (``{FLAG_ID: True}``). So each token
        of a Doc gets a lexeme of its own text *and* class (tag, lemma, entity type): the string
        ``text + "\\0" + class number``, whose lexeme attributes (LOWER...) are computed from the
        text alone, and whose flags are the answers of the 63 most used tests for that token. The
        tests a pattern token makes are the same; the TEXT / ORTH tests read NORM instead (set to
        the text on every token), since ORTH is now the longer string. With pattern attributes
        other than TAG, LEMMA, ENT_TYPE, LOWER, TEXT and ORTH nothing is moved (plain lexemes)."""
        import re as _re

        from spacy.attrs import ENT_IOB, ENT_TYPE, LEMMA, LOWER, NORM, SENT_START, TAG

        pats = self.patterns
        self._rows: dict[tuple, tuple] = {}
        self._cls_ids: dict[tuple, int] = {}
        self._flag_preds = None
        usable = all(isinstance(k, str) and k.upper() in _FLAG_KEYS for p in pats.values() for tok in p for k in tok)
        weight: dict[tuple, int] = {}
        if usable:
            for key, p in pats.items():
                # tokens a match can start at are tested at every token of every sentence the
                # pattern is tried on; a pattern that needs no word (only tags and entity types) is
                # tried on most sentences, one that needs a word class or a literal word on few
                # (a token with a quantifier, between the first and the last, is tested on each
                # of the tokens it may cover)
                common = all(self._is_common(m) for m in self._checks[key][0])
                w_lead, w_rest = (1000, 50) if common else (20, 1)
                lead = True
                for tok in p:
                    w = w_lead if lead else w_rest * min(16, _span_max([tok]) or 1)
                    for pred in _flaggable(tok):
                        weight[pred] = weight.get(pred, 0) + w
                    op = tok.get("OP")
                    if not (op in ("?", "*") or (isinstance(op, str) and op.startswith(("{0", "{,")))):
                        lead = False
        if not weight:
            self._compiled = dict(pats)
            self._row_attrs = [SENT_START, TAG, LEMMA, ENT_IOB, ENT_TYPE]
            return
        chosen = sorted(weight, key=lambda pr: (-weight[pr], repr(pr)))[:_N_FLAGS]
        flag_of = {pred: i + 1 for i, pred in enumerate(chosen)}  # flag ids 1..63
        getters = self.nlp.vocab.lex_attr_getters or {}
        lower = getters.get(LOWER, str.lower)
        tests = []
        for pred, fid in flag_of.items():
            attr, op, val = pred
            if op == "REGEX":
                rx = _re.compile(val)
                fn = (lambda v, rx=rx: bool(rx.search(v)))
            elif op == "IN":
                fn = (lambda v, vs=frozenset(val): v in vs)
            else:
                fn = (lambda v, vs=frozenset(val): v not in vs)
            tests.append((attr, 1 << fid, fn))
        self._flag_tests = tests
        self._class_tests = [t for t in tests if t[0] in ("TAG", "LEMMA", "ENT_TYPE")]
        self._text_tests = [(t[0] == "LOWER", t[1], t[2]) for t in tests if t[0] not in ("TAG", "LEMMA", "ENT_TYPE")]
        self._lower_tests = any(lower for lower, _, _ in self._text_tests)
        self._class_flags: dict[tuple, int] = {}
        self._text_flags: dict[str, int] = {}
        self._flag_lower = lower
        self._flag_preds = flag_of
        compiled = {}
        for key, p in pats.items():
            out = []
            for tok in p:
                new: dict = {}
                for k, v in tok.items():
                    ku = k.upper()
                    if ku == "OP":
                        new[k] = v
                        continue
                    attr = "NORM" if ku in ("TEXT", "ORTH") else ku
                    if isinstance(v, dict):
                        rest = {}
                        for op, x in v.items():
                            fid = flag_of.get(_pred_key(ku, op, x))
                            if fid is not None:
                                new[fid] = True
                            else:
                                rest[op] = x
                        if rest:
                            new[attr] = rest
                    else:
                        new[attr] = v
                out.append(new)
            compiled[key] = out
        self._compiled = compiled
        self._row_attrs = [SENT_START, TAG, LEMMA, ENT_IOB, ENT_TYPE, NORM]
        # lexeme attributes are computed from the text before the class number
        vocab = self.nlp.vocab
        vocab.lex_attr_getters = {a: (lambda s, f=f: f(_text_of(s))) for a, f in getters.items()}

    def _flags_of(self, text: str, tag: str, lemma: str, etype: str) -> int:
        """The lexeme flags of a token: a bit for each flagged test it passes. The tests of the
        tag, lemma and entity type are answered once per class, those of the text once per text
        (a new lexeme is mostly a known class with a new text, or a known text in a new class)."""
        cls = (tag, lemma, etype)
        cf = self._class_flags.get(cls)
        if cf is None:
            cf = 0
            for attr, bit, fn in self._class_tests:
                if fn(tag if attr == "TAG" else lemma if attr == "LEMMA" else etype):
                    cf |= bit
            self._class_flags[cls] = cf
        tf = self._text_flags.get(text)
        if tf is None:
            tf = 0
            low = self._flag_lower(text) if self._lower_tests else text
            for lower, bit, fn in self._text_tests:
                if fn(low if lower else text):
                    tf |= bit
            if len(self._text_flags) > 200_000:
                self._text_flags.clear()
            self._text_flags[text] = tf
        return cf | tf

    def candidate_patterns(self, toks: list[Tok], lang: str = "zh") -> tuple[str, ...]:
        """The patterns whose required classes, tags, words and names occur in ``toks`` (one
        sentence), close enough together for the pattern's longest possible match.

        This is the definition; :meth:`candidates` computes the same with bit masks and a memo
        (tests/test_candidates.py holds them equal)."""
        index = self.needs_index.get(lang)
        if not index:
            return ()
        tags = set()
        have = set()
        ent_pos = []
        ent_types = set()
        gap_words = []
        for i, t in enumerate(toks):
            have.add(t.lemma)
            tags.add(t.tag)
            if t.ent_type:
                ent_pos.append(i)
                ent_types.add(t.ent_type)
            elif t.tag == "GAP":
                gap_words.append(t.text)
        have.update([_TAG_KEYS.get(t) or "TAG:" + t for t in tags])
        n_ents = len(ent_pos)
        closest = min((b - a for a, b in zip(ent_pos, ent_pos[1:])), default=1 << 30)
        lowers = None
        out = []
        seen = set()
        needs, spans = self.pattern_needs, self.pattern_span
        probes = list(have)
        probes += ["LOW:" + w.lower() for w in gap_words]
        probes.append("*")
        for lem in probes:
            keys = index.get(lem)
            if not keys:
                continue
            for key in keys:
                if key in seen:
                    continue
                seen.add(key)
                need_lem, need_low, need_ents, need_types = needs[key]
                if need_ents > n_ents or (need_ents >= 2 and closest >= spans[key]):
                    continue
                if any(s.isdisjoint(ent_types) for s in need_types):
                    continue
                if any(s.isdisjoint(have) for s in need_lem):
                    continue
                if need_low:
                    if lowers is None:
                        lowers = {t.text.lower() for t in toks}
                    if any(s.isdisjoint(lowers) for s in need_low):
                        continue
                rx = self.pattern_regex.get(key)
                if rx and not all(any((tag is None or t.tag == tag) and r.search(t.text) for t in toks)
                                  for tag, r in rx):
                    continue
                out.append(key)
        out.sort()
        return tuple(out)

    def _h(self, s: str) -> int:
        h = self._hash.get(s)
        if h is None:
            h = self._hash[s] = self.nlp.vocab.strings.add(s) if s else 0
            assert h or not s  # _doc reads hash 0 as "no entity type"
        return h

    def make_doc(self, toks: list[Tok]):
        """A Doc of one sentence's tokens (what :meth:`match` builds for many at once)."""
        return self._doc(toks)

    # ---------------------------------------------------------------- the scan
    def scan(self, norm: Normalized, forced: list[tuple[int, int, str, str]] = (), *, _reuse=None) -> list[Tok]:
        """Tokenise a whole document: names, rule words, Latin words, numbers, punctuation, gaps.

        ``forced`` are extra names (start, end, entity, type) found by entity patterns; they win
        over whatever the automaton found there."""
        low, text = norm.lower, norm.text
        n = len(low)
        hits: list[Tok] = []
        append = hits.append
        forced = sorted(forced)
        nf = len(forced)
        fi = 0
        last_end = 0
        alnum = _ASCII_ALNUM
        for end_idx, (key, info) in self.automaton.iter_long(low):
            end = end_idx + 1
            start = end - info.length
            if info.plain and not nf:  # (most keys: Chinese words and names)
                if start < last_end:
                    continue
                entity = info.entity
                if not entity:
                    at = info.anaphor_type
                    append(Tok(start, end, info.tag, info.lemma, at, "", (), (), bool(at), text[start:end], False,
                               info.bits, None, info.code))
                    last_end = end
                    continue
                if not info.split:
                    append(Tok(start, end, "ENT", entity, info.ent_type, entity, (), (), False, text[start:end],
                               False, info.bits, None, info.code))
                    last_end = end
                    continue
            if info.latin_start and start > 0 and low[start - 1] in alnum:
                continue
            plural = False
            if info.latin_end and end < n and low[end] in alnum:
                if info.entity and text[end] == "s" and text[end - 1].isupper() \
                        and (end + 1 >= n or low[end + 1] not in alnum):
                    end += 1  # an all-caps name takes a plural s, inside its token: "Google TPUs", "LPUs"
                    plural = True
                elif not (info.digit_end and self._suffix_ok(text, end)):
                    # "Ascend chips" is no "Ascend C": the longest shorter key that ends on a word
                    # boundary inside the match is what the text names (the automaton reports only
                    # the longest match at a position)
                    shorter = self._shorter_key(low, start, end)
                    if shorter is None:
                        continue
                    info = shorter
                    end = start + info.length
            if info.entity and info.digit_end and end + 1 < n and low[end] == "." and low[end + 1].isdigit():
                continue  # "V3.1" is not V3, "GPT-4.5" is not GPT-4: a version goes on after the dot
            entity = info.entity
            if entity and not info.exact_lower_first and text[start] in "abcdefghijklmnopqrstuvwxyz":
                continue  # "meta" is not Meta, "apple" is not Apple
            if fi < nf:
                while fi < nf and forced[fi][1] <= start:
                    f = forced[fi]
                    if f[0] >= last_end:
                        _append_forced(hits, text, f)
                        last_end = f[1]
                    fi += 1
                if start < last_end or (fi < nf and forced[fi][0] < end):
                    continue
            elif start < last_end:
                continue
            if entity:
                split = info.split
                if split:
                    cut = start + split[0]
                    append(Tok(start, cut, "ENT", split[1], split[2], split[1], text=text[start:cut]))
                    while cut < end and text[cut] in " -":
                        cut += 1
                    if cut > hits[-1].end:  # the "-" of DeepSeek-R1 belongs to neither name
                        append(Tok(hits[-1].end, cut, "SKIP", ""))
                    start = cut
                    append(Tok(start, end, "ENT", entity, info.ent_type, entity, (), (), False, text[start:end]))
                else:
                    append(Tok(start, end, "ENT", entity, info.ent_type, entity, (), (), False, text[start:end],
                               False, -1 if plural else info.bits, None, info.code))
            else:
                at = info.anaphor_type
                append(Tok(start, end, info.tag, info.lemma, at, "", (), (), bool(at), text[start:end], False,
                           info.bits, None, info.code))
            last_end = end
        for f in forced[fi:]:
            if f[0] >= last_end:
                _append_forced(hits, text, f)
                last_end = f[1]
        out = self._fill(text, hits) if _reuse is None else self._refill(text, hits, *_reuse)
        self._scanned = (out, norm, hits)
        return out

    def _shorter_key(self, low: str, start: int, end: int):
        """The info of the longest key ``low[start:cut]`` with ``start < cut < end`` that ends a Latin
        word (the letter before ``cut`` alphanumeric, the one at ``cut`` not), or None."""
        alnum = _ASCII_ALNUM
        get = self.automaton.get
        for cut in range(end - 1, start, -1):
            if low[cut - 1] in alnum and low[cut] not in alnum:
                hit = get(low[start:cut], None)
                if hit is not None:
                    return hit[1]
        return None

    def rescan(self, norm: Normalized, toks: list[Tok], forced: list[tuple[int, int, str, str]]) -> list[Tok]:
        """``scan(norm, forced)``, where ``toks`` is what ``scan(norm)`` returned last (unchanged
        since, but for Tok.bits): the gap tokens between two names or words that are still there
        are taken from ``toks`` instead of being made again."""
        last = self._scanned
        gaps = None
        if last is not None and last[0] is toks and last[1] is norm:
            gaps = _gap_slices(len(norm.text), last[2], toks)
        return self.scan(norm, forced, _reuse=None if gaps is None else (toks, gaps))

    @staticmethod
    def _suffix_ok(text: str, end: int) -> bool:
        j = end
        while j < len(text) and text[j] in _ASCII_ALNUM and not text[j].isdigit():
            j += 1
        if j < len(text) and text[j].isdigit():
            return False
        suf = text[end:j]
        if suf == "s":
            return True
        return suf.lower() in LATIN_SUFFIXES and suf != "S"

    @staticmethod
    def _fill(text: str, hits: list[Tok]) -> list[Tok]:
        """The names and words ``hits`` with the gap tokens between them (nothing to reuse)."""
        return Engine._refill(text, hits, [], {})

    @staticmethod
    def _refill(text: str, hits: list[Tok], old: list[Tok], gaps: dict) -> list[Tok]:
        """``_fill(text, hits)``, taking the tokens of a gap from ``old`` where ``gaps`` (see
        :func:`_gap_slices`) has the same gap and the token before it is no English gap token
        (the only token a gap's first token may join: then a gap's tokens depend on its text)."""
        out: list[Tok] = []
        append = out.append
        gap = _gap_tokens
        pos = 0
        n = len(text)
        for h in [*hits, None]:
            end = h.start if h is not None else n
            if end > pos:
                ij = gaps.get((pos, end)) if gaps else None
                if ij is not None and (not out or out[-1].tag != "GAP" or out[-1].lemma != "en"):
                    out.extend(old[ij[0]:ij[1]])
                else:
                    gap(text, pos, end, out)
            if h is None:
                break
            if h.tag != "SKIP":
                append(h)
            pos = h.end
        return out


_FLAG_KEYS = {"TAG", "LEMMA", "ENT_TYPE", "LOWER", "TEXT", "ORTH", "OP"}
_N_FLAGS = 63  # lexeme flag ids 1..63 (spaCy's own IS_* flags are not computed: no pattern reads them)


def _pred_key(attr: str, op: str, val):
    """A hashable key of one set / regex test, or None when it cannot be a flag."""
    attr = "ORTH" if attr == "TEXT" else attr
    op = op.upper() if isinstance(op, str) else op
    if op in ("IN", "NOT_IN") and isinstance(val, list) and all(isinstance(x, str) for x in val):
        return (attr, op, tuple(sorted(set(val))))
    if op == "REGEX" and isinstance(val, str):
        return (attr, op, val)
    return None


def _flaggable(tok: dict):
    for k, v in tok.items():
        if isinstance(v, dict) and k.upper() != "OP":
            for op, x in v.items():
                key = _pred_key(k.upper(), op, x)
                if key is not None:
                    yield key


def _text_of(s: str) -> str:
    """The token text of a lexeme string ``text + "\\0" + class number``."""
    i = s.rfind("\0")
    return s[:i] if i >= 0 else s


_CHAR_KIND: dict[str, str] = {}  # what _GAP_RE makes of a character on its own
_MATCHER_CACHE = 2048  # Matchers kept, one per set of candidate patterns
_BUILD_AFTER = 3  # a set of relation patterns is matched pattern by pattern this many times first


def _append_forced(hits: list, text: str, f: tuple) -> None:
    """A name an entity pattern found (start, end, entity, type[, (length, maker, maker type)]): one
    name token, or, for a product written with its maker's name first (DeepSeek-V2, 寒武纪1A), the
    maker's token and the product's, as for a known product (so both are mentioned)."""
    split = f[4] if len(f) > 4 else None
    if not split:
        hits.append(Tok(f[0], f[1], "ENT", f[2], f[3], f[2], text=text[f[0]:f[1]]))
        return
    cut = f[0] + split[0]
    hits.append(Tok(f[0], cut, "ENT", split[1], split[2], split[1], text=text[f[0]:cut]))
    start = cut
    while start < f[1] and text[start] in " -":
        start += 1
    if start > cut:
        hits.append(Tok(cut, start, "SKIP", ""))
    hits.append(Tok(start, f[1], "ENT", f[2], f[3], f[2], text=text[start:f[1]]))


def _gap_slices(n: int, hits: list[Tok], toks: list[Tok]) -> dict | None:
    """{(start, end): (i, j)}: the gaps between ``hits`` whose tokens are ``toks[i:j]``, for
    ``toks`` = ``Engine._fill(text, hits)`` (``n`` = len(text)), where the token before the gap is
    no English gap token; None when ``toks`` does not read so."""
    out = {}
    k, pos, m = 0, 0, len(toks)
    for h in [*hits, None]:
        end = h.start if h is not None else n
        if h is not None and h.tag == "SKIP":
            if end > pos:
                return None  # (a gap before a SKIP: never made by scan)
            pos = h.end
            continue
        j = k
        while j < m and toks[j] is not h:
            j += 1
        if h is not None and j == m:
            return None
        if end > pos and (k == 0 or toks[k - 1].tag != "GAP" or toks[k - 1].lemma != "en"):
            out[(pos, end)] = (k, j)
        elif end <= pos and j != k:
            return None
        if h is None:
            break
        k, pos = j + 1, h.end
    return out


def _required_literals(rx: re.Pattern) -> tuple[str, ...] | None:
    """Strings one of which every text that ``rx`` finds a match in contains: a necessary
    condition, tested on a whole sentence before the regex is run on its tokens (^(担任|出任)$ needs
    担任 or 出任; (股份|股权)$ needs 股). None when the regex requires no literal that this can
    tell, when it ignores case, or when there are too many to be worth testing."""
    try:
        import re._parser as sp
        from re._constants import BRANCH, IN, LITERAL, MAX_REPEAT, MIN_REPEAT, SUBPATTERN
    except ImportError:  # (another Python: no pre-test)
        return None
    if rx.flags & re.IGNORECASE:
        return None
    try:
        tree = sp.parse(rx.pattern, rx.flags)
    except Exception:
        return None
    if tree.state.flags & re.IGNORECASE:
        return None

    def best(factors):  # the most telling of several required sets: longest shortest string, fewest
        factors = [f for f in factors if f]
        return max(factors, key=lambda f: (min(map(len, f)), -len(f))) if factors else None

    def required(items):  # a set of strings one of which a match of the sequence ``items`` holds
        factors, run = [], []
        for op, av in items:
            if op is LITERAL:
                run.append(chr(av))
                continue
            if run:  # (consecutive literals: one string)
                factors.append({"".join(run)})
                run = []
            if op is SUBPATTERN:
                if av[1] & re.IGNORECASE:
                    return best(factors)  # (what came before still holds)
                factors.append(required(av[3]))
            elif op is BRANCH:
                alts = [required(b) for b in av[1]]
                if all(alts):
                    factors.append(set().union(*alts))
            elif op in (MAX_REPEAT, MIN_REPEAT):
                if av[0] >= 1:
                    factors.append(required(av[2]))
            elif op is IN and av and len(av) <= 16 and all(o is LITERAL for o, _ in av):
                factors.append({chr(c) for _, c in av})
            # anchors, lookarounds, classes, optional parts: nothing required (and a run ends)
        if run:
            factors.append({"".join(run)})
        return best(factors)
    found = required(tree)
    if not found or len(found) > 32 or any(not x or "\0" in x for x in found):
        return None
    return tuple(sorted(found))


def _bits_of(m: int):
    """The set bits of ``m``, each as an int."""
    while m:
        b = m & -m
        yield b
        m ^= b


def _gap_tokens(text: str, start: int, end: int, out: list[Tok]):
    # the common gaps without the regex: one character, a run of CJK ideographs
    if end - start == 1:
        c = text[start]
        kind = _CHAR_KIND.get(c)
        if kind is None:
            kind = _CHAR_KIND[c] = _GAP_RE.match(c).lastgroup
        if kind == "cjk":
            out.append(Tok(start, end, "GAP", "zh", "", "", (), (), False, c))
            return
        if kind == "p":
            out.append(Tok(start, end, "PUNCT", c, "", "", (), (), False, c))
            return
        if kind == "ws":
            return
    else:
        seg = text[start:end]
        if "\u4e00" <= min(seg) and max(seg) <= "\u9fff":
            out.append(Tok(start, end, "GAP", "zh", "", "", (), (), False, seg))
            return
    for m in _GAP_RE.finditer(text, start, end):
        kind = m.lastgroup
        s, e = m.span()
        if kind == "ws":
            continue
        if kind == "nl":
            out.append(Tok(s, e, "PUNCT", "\n", "", "", (), (), False, "\n"))
        elif kind == "lat":
            w = m.group()
            if w.replace(",", "").replace(".", "").isdigit():
                out.append(Tok(s, e, "NUM", w, "", "", (), (), False, w))
            elif w[0].islower() and out and out[-1].tag == "GAP" and out[-1].lemma == "en" \
                    and not text[out[-1].end:s].strip():
                prev = out[-1]  # run of plain lower-case English words: one gap token
                prev.end = e
                prev.text = text[prev.start:e]
            elif w[0].islower():
                out.append(Tok(s, e, "GAP", "en", "", "", (), (), False, w))
            else:
                out.append(Tok(s, e, "LATIN", w, "", "", (), (), False, w))
        elif kind == "cjk":
            out.append(Tok(s, e, "GAP", "zh", "", "", (), (), False, m.group()))
        else:
            w = m.group()
            out.append(Tok(s, e, "PUNCT", w, "", "", (), (), False, w))
