"""Load and validate the rule data in ``rules/`` (and a user's folder merged over it).

A rule folder holds:

- ``ontology.yaml``: entity and relation types (the schema every graph speaks);
- ``gazetteer/*.yaml``: one entry per real-world entity (id, type, names, aliases, QID);
- ``lexicon.yaml``: word classes (trigger words, titles, pronouns, negation, hedges...);
- ``entity_patterns.jsonl``: spaCy token patterns for names the gazetteer lacks;
- ``relations/*.yaml``: relation rules (spaCy token patterns with captured arguments) and their
  examples, which run as tests.

Everything is validated when loaded; an error names the file, the line and the rule id.
A user's folder (``--rules DIR``) is merged over the built-in one: an entry with the same id
replaces the built-in, ``enabled: false`` switches a built-in off, lexicon classes add words.
"""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import RuleError
from .normalize import fold

__all__ = [
    "RuleSet", "RelationType", "GazetteerEntry", "WordClass", "Fallback", "EntityPattern", "RelationRule",
    "load_rules", "default_rules_dir", "check_rules", "CAPTURE_ROLES", "WORD_KINDS",
]

CAPTURE_ROLES = ("subject", "object", "pair", "relation", "entity", "alias")
WORD_KINDS = ("trigger", "title", "anaphor", "negation", "hedge", "former", "separator",
              "listfill", "stop", "suffix", "function", "word")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
CLASS_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")
# the TAG values kg's tokens carry (kg.pipeline): word-class kinds, names, gaps, numbers, punctuation
TOKEN_TAGS = frozenset({"TRIG", "TITLE", "ANAPHOR", "NEG", "HEDGE", "FORMER", "SEP", "LISTFILL", "STOP",
                        "SUFFIX", "FUNC", "ENT", "GAP", "LATIN", "NUM", "PUNCT", "END", "WORD"})


def default_rules_dir() -> Path:
    """The built-in rules: ``kg/rules`` in an installed wheel, ``rules/`` in a checkout."""
    here = Path(__file__).resolve().parent
    for cand in (here / "rules", here.parent / "rules"):
        if (cand / "ontology.yaml").is_file():
            return cand
    raise RuleError(str(here / "rules"), "built-in rules not found (is the package installed?)")


# ---------------------------------------------------------------- data model

@dataclass(frozen=True)
class RelationType:
    name: str
    domain: tuple[str, ...]
    range: tuple[str, ...]
    symmetric: bool = False
    note: str = ""

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").lower().replace(" of", " of").capitalize()


@dataclass
class GazetteerEntry:
    id: str
    type: str
    name_en: str
    name_zh: str
    aliases: list[str]
    wikidata: str = ""
    path: str = ""
    line: int = 0
    maker: tuple[str, ...] = ()  # a product's maker(s): the ids of the firms that design or develop it
    parent: str = ""  # an organisation's parent: the id of the organisation it is a unit or subsidiary of
    short: tuple[str, ...] = ()  # short forms that name it only in a text that names it otherwise too
    # Chinese short forms that also name it wherever the text's word segmentation (jieba) reads them as
    # a word of their own: 本田 in 本田宣布, not in 日本田中; 信越 in 信越化学, not in 自信越来越
    words: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.name_en or self.name_zh or self.id

    def names(self) -> list[str]:
        seen, out = set(), []
        for n in [self.name_en, self.name_zh, *self.aliases]:
            if n and n not in seen:
                seen.add(n)
                out.append(n)
        return out


@dataclass
class WordClass:
    name: str
    kind: str
    words: list[str]
    relation: str = ""  # for titles: the relation a title states (CEO -> CEO_OF)
    type: str = ""  # for anaphors: the entity type they stand for
    qualifier: str = ""  # for titles: a qualifier written on the edge (CTO)
    entity: str = ""  # for anaphors that always mean one entity (Chinese -> china)
    path: str = ""
    line: int = 0
    fallback: Fallback | None = None  # for triggers: the fallback tier's reading


@dataclass(frozen=True)
class Fallback:
    """A trigger class's last-resort reading (README, "The fallback tier"): in a clause where no rule
    related the two, the nearest name before one of its words and the nearest after it give
    ``relation`` (``reverse``: the one after is the subject). ``subject`` and ``object`` are the
    entity types each side may have; ``words`` (if any) the class's words that may fire;
    ``state_subject``: the subject is a state or a government body, and the object is not."""

    relation: str
    subject: tuple[str, ...]
    object: tuple[str, ...]
    reverse: bool = False
    words: tuple[str, ...] = ()
    state_subject: bool = False


@dataclass
class EntityPattern:
    id: str
    label: str
    pattern: list[dict]
    captures: dict[int, str]
    path: str = ""
    line: int = 0
    weak: bool = False  # a cue-less pattern: a name it shares with another pattern takes the other's type


@dataclass
class RelationRule:
    id: str
    relation: str
    patterns: list[list[dict]]
    captures: list[dict[int, str]]
    lang: str = "any"
    confidence: float = 0.8
    qualifier: str = ""
    fallback_subject: dict | None = None
    fallback_object: dict | None = None
    subject_not_after: list[str] = field(default_factory=list)
    state_actor_subject: bool = False
    not_after: list[str] = field(default_factory=list)  # classes (or TAG:X) that may not precede a match
    examples: list[dict] = field(default_factory=list)
    near_misses: list[str] = field(default_factory=list)
    note: str = ""
    path: str = ""
    line: int = 0


@dataclass
class RuleSet:
    entity_types: dict[str, str]
    relation_types: dict[str, RelationType]
    gazetteer: dict[str, GazetteerEntry]
    lexicon: dict[str, WordClass]
    entity_patterns: dict[str, EntityPattern]
    relation_rules: dict[str, RelationRule]
    prefix_rules: list[dict]
    sources: list[str]
    lists: dict[str, list[str]] = field(default_factory=dict)  # lists/NAME.txt: word lists

    def fingerprint(self) -> str:
        import hashlib

        h = hashlib.sha256()
        for s in self.sources:
            h.update(s.encode())
        return h.hexdigest()[:16]


# ---------------------------------------------------------------- YAML with line numbers

# libyaml's parser when PyYAML has it (ten times faster on the gazetteer); same nodes and marks
class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


def _construct_mapping(loader, node, deep=False):
    # a key given twice would silently keep the last value: say so, with the second key's line
    seen: dict = {}
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            k = key_node.value
            if k in seen and k != "<<":
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {k!r} (first on line {seen[k]})", key_node.start_mark)
            seen[k] = key_node.start_mark.line + 1
    mapping = yaml.constructor.SafeConstructor.construct_mapping(loader, node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise RuleError(str(path), f"cannot read: {e.__class__.__name__}: {e}") from None
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise RuleError(str(path), f"invalid YAML: {problem}", line=line) from None


def _strip(d: dict) -> dict:
    return {k: v for k, v in d.items() if k != "__line__"}


def _deep_strip(v):
    if isinstance(v, dict):
        return {k: _deep_strip(x) for k, x in v.items() if k != "__line__"}
    if isinstance(v, list):
        return [_deep_strip(x) for x in v]
    return v


# ---------------------------------------------------------------- error collection

@contextmanager
def _collect(sink: list | None):
    """Inside a loader's loop: with no sink, a RuleError propagates (load_rules stops at the
    first error); with a sink (check_rules), it is recorded and the loop goes on."""
    if sink is None:
        yield
        return
    try:
        yield
    except RuleError as e:
        sink.append(e)


def _guard_file(path: Path, fn, *args, sink: list | None = None):
    """Run one file's loader; anything but a RuleError (a value of an unexpected type that slipped
    past the checks) still becomes a RuleError naming the file, never a traceback."""
    with _collect(sink):
        try:
            fn(path, *args, sink=sink)
        except RuleError:
            raise
        except Exception as e:  # noqa: BLE001 - a rule file must never crash kg
            raise RuleError(str(path), f"cannot load: {e.__class__.__name__}: {e}") from None


def _names(v) -> list:
    """The names a spaCy attribute value mentions: 'X' or {IN: [...]} / {NOT_IN: [...]}."""
    if isinstance(v, str):
        return [v]
    if isinstance(v, dict):
        out = []
        for op in ("IN", "NOT_IN"):
            if isinstance(v.get(op), list):
                out.extend(x for x in v[op] if isinstance(x, str))
        return out
    return []


# ---------------------------------------------------------------- loaders

def _load_ontology(path: Path):
    data = _read_yaml(path)
    if not isinstance(data, dict) or "entity_types" not in data or "relation_types" not in data:
        raise RuleError(str(path), "needs 'entity_types' and 'relation_types'")
    if not isinstance(data["entity_types"], dict) or not isinstance(data["relation_types"], dict):
        raise RuleError(str(path), "'entity_types' and 'relation_types' are mappings (NAME: ...)",
                        line=data.get("__line__"))
    etypes = {str(k): str(v) for k, v in _strip(data["entity_types"]).items()}
    for k in etypes:
        if not CLASS_RE.match(k):
            raise RuleError(str(path), f"entity type {k!r} must be UPPER_CASE", line=data["entity_types"].get("__line__"))
    rtypes = {}
    for name, spec in _strip(data["relation_types"]).items():
        line = spec.get("__line__") if isinstance(spec, dict) else data["relation_types"].get("__line__")
        if not isinstance(spec, dict) or "domain" not in spec or "range" not in spec:
            raise RuleError(str(path), f"relation type {name} needs domain and range", line=line)
        if not CLASS_RE.match(str(name)):
            raise RuleError(str(path), f"relation type {name!r} must be UPPER_CASE", line=line)
        dom, rng = _as_list(spec["domain"]), _as_list(spec["range"])
        for t in dom + rng:
            if not isinstance(t, str) or t not in etypes:
                raise RuleError(str(path), f"relation type {name}: unknown entity type {t!r} "
                                           f"(schema: {', '.join(etypes)})", line=line)
        rtypes[name] = RelationType(name, tuple(dom), tuple(rng), bool(spec.get("symmetric", False)),
                                    str(spec.get("note", "")))
    return etypes, rtypes


def _as_list(v) -> list:
    if v is None:
        return []
    return list(v) if isinstance(v, (list, tuple)) else [v]


def _load_gazetteer(path: Path, etypes, out: dict[str, GazetteerEntry], disabled: set[str], *,
                    sink: list | None = None):
    data = _read_yaml(path)
    if data is None:
        return
    if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
        raise RuleError(str(path), "a gazetteer file holds 'entities: [...]'",
                        line=data.get("__line__") if isinstance(data, dict) else None)
    for raw in data["entities"]:
        with _collect(sink):
            _gazetteer_entry(path, raw, etypes, out, disabled)


def _gazetteer_entry(path: Path, raw, etypes, out: dict[str, GazetteerEntry], disabled: set[str]):
    if not isinstance(raw, dict):
        raise RuleError(str(path), f"an entity must be a mapping, got {raw!r}")
    line = raw.get("__line__")
    eid = raw.get("id")
    if not isinstance(eid, str) or not ID_RE.match(eid):
        raise RuleError(str(path), f"entity id {eid!r} must be a lowercase slug (a-z, 0-9, _)", line=line)
    if raw.get("enabled") is False:
        disabled.add(eid)
        out.pop(eid, None)
        return
    _unknown_keys(path, raw, _ENTITY_KEYS, line, eid)
    etype = raw.get("type")
    if not isinstance(etype, str) or etype not in etypes:
        raise RuleError(str(path), f"unknown entity type {etype!r} (schema: {', '.join(etypes)})",
                        line=line, rule=eid)
    if eid in out and out[eid].path == str(path):
        raise RuleError(str(path), f"duplicate entity id (first on line {out[eid].line})", line=line, rule=eid)
    if eid in out and Path(out[eid].path).parent == path.parent:
        raise RuleError(str(path), f"duplicate entity id (also in {out[eid].path}:{out[eid].line})",
                        line=line, rule=eid)
    for key in ("name_en", "name_zh", "wikidata"):
        if isinstance(raw.get(key), (dict, list)):
            raise RuleError(str(path), f"{key} is one string", line=line, rule=eid)
    aliases = _as_list(raw.get("aliases"))
    if any(isinstance(a, (dict, list)) for a in aliases):
        raise RuleError(str(path), "aliases is a list of strings", line=line, rule=eid)
    aliases = [str(a) for a in aliases if a is not None and str(a).strip()]
    entry = GazetteerEntry(eid, etype, str(raw.get("name_en") or ""), str(raw.get("name_zh") or ""),
                           aliases, str(raw.get("wikidata") or ""), str(path), line or 0)
    if not entry.names():
        raise RuleError(str(path), "entity has no name", line=line, rule=eid)
    if entry.wikidata and not re.match(r"^Q\d+$", entry.wikidata):
        raise RuleError(str(path), f"wikidata {entry.wikidata!r} is not a QID", line=line, rule=eid)
    short = _as_list(raw.get("short"))
    if short:
        if any(not isinstance(x, str) or not x.strip() for x in short):
            raise RuleError(str(path), "short is a list of names", line=line, rule=eid)
        entry.short = tuple(x.strip() for x in short)
    words = _as_list(raw.get("words"))
    if words:
        if any(not isinstance(x, str) or not x.strip() for x in words):
            raise RuleError(str(path), "words is a list of names", line=line, rule=eid)
        if any(not re.fullmatch(r"[\u3400-\u4dbf\u4e00-\u9fff]{2,}", x.strip()) for x in words):
            raise RuleError(str(path), "words are Chinese names of two or more characters (a word "
                                       "segmenter reads them)", line=line, rule=eid)
        entry.words = tuple(x.strip() for x in words)
    maker = _as_list(raw.get("maker"))
    if maker:
        if etype != "PRODUCT":
            raise RuleError(str(path), "only a PRODUCT has a maker", line=line, rule=eid)
        if any(not isinstance(m, str) or not ID_RE.match(m) for m in maker):
            raise RuleError(str(path), "maker is an entity id or a list of them", line=line, rule=eid)
        entry.maker = tuple(maker)
    parent = raw.get("parent")
    if parent is not None:
        if etype != "ORG":
            raise RuleError(str(path), "only an ORG has a parent", line=line, rule=eid)
        if not isinstance(parent, str) or not ID_RE.match(parent) or parent == eid:
            raise RuleError(str(path), "parent is the id of another entity", line=line, rule=eid)
        entry.parent = parent
    out[eid] = entry


def _load_lexicon(path: Path, etypes, rtypes, out: dict[str, WordClass], *, sink: list | None = None):
    data = _read_yaml(path)
    if data is None:
        return
    if not isinstance(data, dict) or not isinstance(data.get("classes"), dict):
        raise RuleError(str(path), "a lexicon file holds 'classes: {NAME: {...}}'",
                        line=data.get("__line__") if isinstance(data, dict) else None)
    for name, spec in _strip(data["classes"]).items():
        with _collect(sink):
            _lexicon_entry(path, name, spec, etypes, rtypes, out)


def _lexicon_entry(path: Path, name, spec, etypes, rtypes, out: dict[str, WordClass]):
    line = spec.get("__line__") if isinstance(spec, dict) else None
    if not isinstance(spec, dict):
        raise RuleError(str(path), "a word class must be a mapping", rule=str(name))
    if not CLASS_RE.match(str(name)):
        raise RuleError(str(path), "word class names are UPPER_CASE", line=line, rule=str(name))
    _unknown_keys(path, spec, _CLASS_KEYS, line, name)
    kind = spec.get("kind", "trigger")
    if kind not in WORD_KINDS:
        raise RuleError(str(path), f"unknown kind {kind!r} (one of {', '.join(WORD_KINDS)})",
                        line=line, rule=name)
    raw_words = [w for key in ("words", "zh", "en") for w in _as_list(spec.get(key))]
    if any(isinstance(w, (dict, list)) for w in raw_words):
        raise RuleError(str(path), "words, zh and en are lists of strings", line=line, rule=name)
    words = [str(w) for w in raw_words if w is not None and str(w).strip()]
    rel = str(spec.get("relation") or "")
    if rel and rel not in rtypes:
        raise RuleError(str(path), f"unknown relation {rel!r}", line=line, rule=name)
    if kind == "title" and not rel:
        raise RuleError(str(path), "a title class needs 'relation'", line=line, rule=name)
    etype = str(spec.get("type") or "")
    if kind == "anaphor" and etype not in etypes:
        raise RuleError(str(path), f"an anaphor class needs an entity 'type', got {etype!r}",
                        line=line, rule=name)
    if etype and etype not in etypes:
        raise RuleError(str(path), f"unknown entity type {etype!r}", line=line, rule=name)
    entity = str(spec.get("entity") or "")
    if entity and kind != "anaphor":
        raise RuleError(str(path), "only an anaphor class can name an 'entity'", line=line, rule=name)
    fallback = _fallback(path, name, spec.get("fallback"), kind, line, rtypes) if "fallback" in spec else None
    if name in out:
        merged = out[name]
        merged.words = merged.words + [w for w in words if w not in merged.words]
        if spec.get("replace"):
            merged.words = words
        if fallback is not None:
            merged.fallback = fallback
    else:
        merged = out[name] = WordClass(name, kind, words, rel, etype, str(spec.get("qualifier") or ""), entity,
                                       str(path), line or 0, fallback)
    if merged.fallback is not None:
        unknown = [w for w in merged.fallback.words if w not in merged.words]
        if unknown:
            fl = spec.get("fallback") if isinstance(spec.get("fallback"), dict) else {}
            raise RuleError(str(path), f"fallback words {unknown} are not words of the class",
                            line=fl.get("__line__") or line, rule=name)


_CLASS_FALLBACK_KEYS = {"relation", "subject", "object", "reverse", "words", "state_subject"}


def _fallback(path: Path, name: str, raw, kind: str, line, rtypes) -> Fallback:
    """A class's ``fallback:`` checked against the schema: a known relation, and entity types the
    relation allows on each side (its domain for the subject, its range for the object)."""
    if isinstance(raw, dict):
        line = raw.get("__line__") or line  # (errors point at the fallback's own line)
    if kind != "trigger":
        raise RuleError(str(path), "only a trigger class can have a 'fallback'", line=line, rule=name)
    if not isinstance(raw, dict):
        raise RuleError(str(path), "'fallback' is a mapping {relation: R, subject: [...], object: [...]}",
                        line=line, rule=name)
    raw = {k: v for k, v in raw.items() if k != "__line__"}
    _unknown_keys(path, raw, _CLASS_FALLBACK_KEYS, line, name)
    rel = str(raw.get("relation") or "")
    rt = rtypes.get(rel)
    if rt is None:
        raise RuleError(str(path), f"fallback: unknown relation {rel!r}", line=line, rule=name)
    sides = {}
    for side, allowed in (("subject", rt.domain), ("object", rt.range)):
        types = tuple(str(x) for x in _as_list(raw.get(side))) or tuple(allowed)
        bad = [x for x in types if x not in allowed]
        if bad:
            raise RuleError(str(path), f"fallback: {rel} takes {side} types {list(allowed)}, not {bad}",
                            line=line, rule=name)
        sides[side] = types
    for key in ("reverse", "state_subject"):
        if not isinstance(raw.get(key, False), bool):
            raise RuleError(str(path), f"fallback: {key!r} is true or false", line=line, rule=name)
    words = raw.get("words") or []
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise RuleError(str(path), "fallback: 'words' is a list of the class's words", line=line, rule=name)
    return Fallback(rel, sides["subject"], sides["object"], bool(raw.get("reverse", False)), tuple(words),
                    bool(raw.get("state_subject", False)))


def _split_captures(pattern: list, path: Path, rid: str, line, allowed: tuple[str, ...], etypes=None,
                    lists: dict[str, list[str]] | None = None):
    if not isinstance(pattern, list) or not pattern:
        raise RuleError(str(path), "a pattern is a non-empty list of token specs", line=line, rule=rid)
    clean, caps = [], {}
    for i, tok in enumerate(pattern):
        if not isinstance(tok, dict):
            raise RuleError(str(path), f"token spec {i} is not a mapping", line=line, rule=rid)
        tok = _deep_strip(tok)
        cap = tok.pop("CAPTURE", None)
        if cap is not None:
            if cap not in allowed:
                raise RuleError(str(path), f"CAPTURE {cap!r} is not one of {', '.join(allowed)}",
                                line=line, rule=rid)
            caps[i] = cap
        clean.append(_expand_lists(tok, i, lists or {}, path, rid, line))
    _validate_token_pattern(clean, path, rid, line, etypes)
    return clean, caps


def _expand_lists(tok: dict, i: int, lists: dict[str, list[str]], path: Path, rid: str, line) -> dict:
    """``{"TEXT": {"IN_LIST": "given_names_en"}}``: the words of ``lists/given_names_en.txt``, as one
    anchored regex (``LOWER`` compares them lower-cased); ``NOT_IN_LIST``: none of them. A regex, not ``IN``: the words of an ``IN``
    are literals the scanner would cut out of the text as tokens of their own, and a list's words
    are meant to be read inside the tokens the scanner makes (a capitalised Latin word)."""
    out = tok
    for attr, v in tok.items():
        op = next((k for k in ("IN_LIST", "NOT_IN_LIST") if isinstance(v, dict) and k in v), None)
        if op is None:
            continue
        name = v[op]
        if attr not in ("TEXT", "LOWER", "ORTH", "NORM"):
            raise RuleError(str(path), f"token {i}: {op} works on TEXT or LOWER, not {attr}", line=line, rule=rid)
        if len(v) > 1:
            raise RuleError(str(path), f"token {i}: {op} cannot be combined with {', '.join(k for k in v if k != op)}",
                            line=line, rule=rid)
        if not isinstance(name, str) or name not in lists:
            known = ", ".join(sorted(lists)) or "none"
            raise RuleError(str(path), f"token {i}: unknown word list {name!r} (rules/lists/*.txt: {known})",
                            line=line, rule=rid)
        words = lists[name]
        if attr == "LOWER":
            words = sorted({w.lower() for w in words})
        alt = "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
        out = dict(out)
        out[attr] = {"REGEX": f"^(?:{alt})$" if op == "IN_LIST" else f"^(?!(?:{alt})$)"}
    return out


def _load_list(path: Path, out: dict[str, list[str]], *, sink: list | None = None) -> None:
    """A word list: one word or name a line, ``#`` starts a comment; lists of the same name in
    several rule folders add up."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise RuleError(str(path), f"cannot read: {e.__class__.__name__}: {e}") from None
    words = out.setdefault(path.stem, [])
    seen = set(words)
    for no, raw in enumerate(lines, 1):
        w = raw.split("#", 1)[0].strip()
        if not w:
            continue
        if any(c.isspace() for c in w):
            raise RuleError(str(path), f"one word a line: {w!r} has a space", line=no)
        if w not in seen:
            seen.add(w)
            words.append(w)


def _validate_token_pattern(pattern: list[dict], path: Path, rid: str, line, etypes=None):
    from spacy.schemas import validate_token_pattern

    try:
        errors = validate_token_pattern(pattern)
    except Exception as e:  # noqa: BLE001 - spaCy's validator on a value it did not expect
        errors = [f"{e.__class__.__name__}: {e}"]
    if errors:
        msg = "; ".join(" ".join(str(x).split()) for x in errors)
        if _has_listed_bool(pattern):
            msg += " (YAML reads unquoted on/off/yes/no/true/false as booleans: quote them)"
        raise RuleError(str(path), f"invalid pattern: {msg}", line=line, rule=rid)
    for i, tok in enumerate(pattern):
        for attr, v in tok.items():
            if isinstance(v, dict):
                for op, x in v.items():
                    if op == "REGEX":
                        try:
                            re.compile(str(x))
                        except re.error as e:
                            raise RuleError(str(path), f"token {i}: invalid REGEX {x!r}: {e}",
                                            line=line, rule=rid) from None
        if etypes is not None:
            for t in _names(tok.get("ENT_TYPE")):
                if t and t not in etypes:
                    raise RuleError(str(path), f"token {i}: unknown entity type {t!r} "
                                               f"(schema: {', '.join(etypes)})", line=line, rule=rid)
        for t in _names(tok.get("TAG")):
            if t not in TOKEN_TAGS:
                raise RuleError(str(path), f"token {i}: unknown TAG {t!r} (one of {', '.join(sorted(TOKEN_TAGS))})",
                                line=line, rule=rid)


def _has_listed_bool(v) -> bool:
    if isinstance(v, bool):
        return True
    if isinstance(v, dict):
        return any(_has_listed_bool(x) for k, x in v.items() if k in ("IN", "NOT_IN") or isinstance(x, dict)
                   or k in ("LOWER", "TEXT", "ORTH", "NORM", "LEMMA", "TAG", "ENT_TYPE"))
    if isinstance(v, list):
        return any(_has_listed_bool(x) for x in v)
    return False


def _load_entity_patterns(path: Path, etypes, out: dict[str, EntityPattern], *, sink: list | None = None,
                          lists: dict[str, list[str]] | None = None):
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise RuleError(str(path), f"cannot read: {e.__class__.__name__}: {e}") from None
    seen: dict[str, int] = {}
    for no, raw in enumerate(lines, 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        with _collect(sink):
            _entity_pattern(path, no, raw, etypes, out, seen, lists)


def _entity_pattern(path: Path, no: int, raw: str, etypes, out: dict[str, EntityPattern], seen: dict[str, int],
                    lists: dict[str, list[str]] | None = None):
    try:
        rec = json.loads(raw)
    except json.JSONDecodeError as e:
        raise RuleError(str(path), f"invalid JSON: {e.msg} (column {e.colno})", line=no) from None
    if not isinstance(rec, dict):
        raise RuleError(str(path), "each line is a JSON object", line=no)
    pid = rec.get("id")
    if not isinstance(pid, str) or not pid:
        raise RuleError(str(path), "pattern needs an 'id'", line=no)
    if pid in seen:
        raise RuleError(str(path), f"duplicate pattern id (first on line {seen[pid]})", line=no, rule=pid)
    seen[pid] = no
    if rec.get("enabled") is False:
        out.pop(pid, None)
        return
    if rec.get("label") not in etypes:
        raise RuleError(str(path), f"unknown label {rec.get('label')!r} (schema: {', '.join(etypes)})",
                        line=no, rule=pid)
    pat, caps = _split_captures(rec.get("pattern"), path, pid, no, ("entity", "alias"), etypes, lists)
    if "entity" not in caps.values():
        raise RuleError(str(path), "an entity pattern marks its name with CAPTURE: entity", line=no, rule=pid)
    weak = rec.get("weak", False)
    if not isinstance(weak, bool):
        raise RuleError(str(path), f"'weak' is true or false, not {weak!r}", line=no, rule=pid)
    out[pid] = EntityPattern(pid, rec["label"], pat, caps, str(path), no, weak)


_FALLBACK_KEYS = {"types", "followed_by", "sentences", "first_in_sentence", "first_in_sentence_with", "state_actor",
                  "clause_subject", "outside_sentence", "skip_holders", "prefer_topic"}


def _load_relation_rules(path: Path, rtypes, out: dict[str, RelationRule], prefix_rules: list[dict], *,
                         etypes=None, owners: dict | None = None, sink: list | None = None,
                         lists: dict[str, list[str]] | None = None):
    data = _read_yaml(path)
    if data is None:
        return
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RuleError(str(path), "a relation file holds 'rules: [...]'",
                        line=data.get("__line__") if isinstance(data, dict) else None)
    owners = {} if owners is None else owners
    for raw in data["rules"]:
        with _collect(sink):
            _relation_rule(path, raw, rtypes, out, prefix_rules, etypes, owners, lists)


# the keys each kind of entry may have: anything else is a typo (near_miss:, confidance:) that
# would otherwise pass silently and do nothing
_RULE_KEYS = {"id", "relation", "lang", "confidence", "note", "qualifier", "patterns", "examples",
              "near_misses", "fallback_subject", "fallback_object", "not_after", "subject_not_after",
              "state_actor_subject", "enabled", "kind"}
_PREFIX_KEYS = {"id", "relation", "kind", "outer", "inner", "inner_ids", "outer_name", "outer_name_not", "parent_named", "at_end",
                "confidence", "note", "enabled", "examples", "near_misses"}
_ENTITY_KEYS = {"id", "type", "name_en", "name_zh", "aliases", "short", "words", "wikidata", "maker", "parent",
                "enabled", "note"}
_CLASS_KEYS = {"kind", "relation", "type", "qualifier", "entity", "words", "zh", "en", "replace", "note", "fallback"}


def _unknown_keys(path: Path, raw: dict, allowed: set[str], line, rule):
    unknown = sorted(k for k in _strip(raw) if k not in allowed)
    if unknown:
        raise RuleError(str(path), f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} "
                                   f"(allowed: {', '.join(sorted(allowed))})", line=line, rule=rule)


def _relation_rule(path: Path, raw, rtypes, out, prefix_rules, etypes, owners: dict, lists=None):
    if not isinstance(raw, dict):
        raise RuleError(str(path), f"a rule must be a mapping, got {raw!r}")
    line = raw.get("__line__")
    rid = raw.get("id")
    if not isinstance(rid, str) or not rid:
        raise RuleError(str(path), "rule needs an 'id'", line=line)
    # one id per rule folder; a user's folder may reuse a built-in id to replace that rule
    prev = owners.get(rid)
    if prev is not None and Path(prev[0]).parent == path.parent:
        where = f"line {prev[1]}" if prev[0] == str(path) else f"{prev[0]}:{prev[1]}"
        raise RuleError(str(path), f"duplicate rule id (first at {where})", line=line, rule=rid)
    owners[rid] = (str(path), line or 0)
    if raw.get("enabled") is False:
        out.pop(rid, None)
        prefix_rules[:] = [p for p in prefix_rules if p.get("id") != rid]
        return
    _unknown_keys(path, raw, _PREFIX_KEYS if raw.get("kind") == "prefix" else _RULE_KEYS, line, rid)
    rel = raw.get("relation")
    if not isinstance(rel, str) or (rel != "from_title" and rel not in rtypes):
        raise RuleError(str(path), f"unknown relation {rel!r} (schema: {', '.join(rtypes)})",
                        line=line, rule=rid)
    conf = raw.get("confidence", 0.8)
    if isinstance(conf, bool) or not isinstance(conf, (int, float)) or not 0 <= conf <= 1:
        raise RuleError(str(path), "confidence is a number from 0 to 1", line=line, rule=rid)
    if raw.get("kind") == "prefix":
        types = tuple(etypes) if etypes is not None else ("ORG", "LOCATION", "PRODUCT", "PERSON", "PROJECT")
        inner = raw.get("inner")
        inner = inner if isinstance(inner, list) else [inner]
        if raw.get("outer") not in types or not inner or any(t not in types for t in inner):
            raise RuleError(str(path), f"a prefix rule needs 'outer' and 'inner' entity types (one of "
                                       f"{', '.join(types)})", line=line, rule=rid)
        if rel == "from_title":
            raise RuleError(str(path), "a prefix rule names its relation", line=line, rule=rid)
        for key in ("parent_named", "at_end"):
            if not isinstance(raw.get(key, True), bool):
                raise RuleError(str(path), f"{key} is true or false", line=line, rule=rid)
        ids = raw.get("inner_ids")
        if ids is not None and (not isinstance(ids, list) or not all(isinstance(x, str) for x in ids)):
            raise RuleError(str(path), "inner_ids is a list of gazetteer ids", line=line, rule=rid)
        compiled = {}
        for key in ("outer_name", "outer_name_not"):
            if raw.get(key) is not None:
                try:
                    compiled["_" + key] = re.compile(str(raw[key]))
                except re.error as e:
                    raise RuleError(str(path), f"{key}: invalid regex ({e})", line=line, rule=rid) from None
        prefix_rules[:] = [p for p in prefix_rules if p.get("id") != rid]
        prefix_rules.append({**_strip(raw), **compiled, "path": str(path), "line": line})
        return
    if raw.get("kind") not in (None, "pattern"):
        raise RuleError(str(path), f"unknown kind {raw.get('kind')!r} (pattern or prefix)", line=line, rule=rid)
    pats = raw.get("patterns")
    if not isinstance(pats, list) or not pats:
        raise RuleError(str(path), "rule needs 'patterns: [[...], ...]'", line=line, rule=rid)
    clean, caps = [], []
    for p in pats:
        c, k = _split_captures(p, path, rid, line, ("subject", "object", "pair", "relation"), etypes, lists)
        roles = set(k.values())
        if "pair" not in roles and not ({"subject", "object"} <= roles or
                                        ("object" in roles and raw.get("fallback_subject")) or
                                        ("subject" in roles and raw.get("fallback_object"))):
            raise RuleError(str(path), "each pattern captures a subject and an object (or a pair)",
                            line=line, rule=rid)
        if rel == "from_title" and "relation" not in roles:
            raise RuleError(str(path), "relation: from_title needs a CAPTURE: relation token",
                            line=line, rule=rid)
        clean.append(c)
        caps.append(k)
    for fb in ("fallback_subject", "fallback_object"):
        spec = raw.get(fb)
        if spec is not None:
            if not isinstance(spec, dict) or not spec.get("types"):
                raise RuleError(str(path), f"{fb} needs 'types'", line=line, rule=rid)
            unknown = set(_strip(spec)) - _FALLBACK_KEYS
            if unknown:
                raise RuleError(str(path), f"{fb}: unknown keys {sorted(unknown)}", line=line, rule=rid)
            if etypes is not None:
                for t in _as_list(spec.get("types")):
                    if t not in etypes:
                        raise RuleError(str(path), f"{fb}: unknown entity type {t!r}", line=line, rule=rid)
    lang = raw.get("lang", "any")
    if lang not in ("zh", "en", "any"):
        raise RuleError(str(path), "lang is zh, en or any", line=line, rule=rid)
    examples = []
    for ex in _as_list(raw.get("examples")):
        if not isinstance(ex, dict) or not isinstance(ex.get("text"), str) or "yields" not in ex:
            raise RuleError(str(path), "an example is {text, yields: [[s, REL, o], ...]}",
                            line=ex.get("__line__", line) if isinstance(ex, dict) else line, rule=rid)
        for y in _as_list(ex.get("yields")):
            if not isinstance(y, list) or len(y) != 3:
                raise RuleError(str(path), f"an example yields [subject, RELATION, object] triples, got {y!r}",
                                line=ex.get("__line__", line), rule=rid)
            if y[1] not in rtypes:
                raise RuleError(str(path), f"example yields unknown relation {y[1]!r}",
                                line=ex.get("__line__", line), rule=rid)
        examples.append(_strip(ex))
    out[rid] = RelationRule(rid, rel, clean, caps, lang, float(conf), str(raw.get("qualifier") or ""),
                            _deep_strip(raw.get("fallback_subject")), _deep_strip(raw.get("fallback_object")),
                            [str(x) for x in _as_list(raw.get("subject_not_after"))],
                            bool(raw.get("state_actor_subject", False)),
                            [str(x) for x in _as_list(raw.get("not_after"))], examples,
                            [str(x) for x in _as_list(raw.get("near_misses"))],
                            str(raw.get("note") or ""), str(path), line or 0)


def _check_aliases(gaz: dict[str, GazetteerEntry], sink: list | None = None):
    owner: dict[str, GazetteerEntry] = {}
    for e in gaz.values():
        for name in e.names():
            key = alias_key(name)
            if not key:
                continue
            other = owner.get(key)
            if other is not None and other.id != e.id:
                with _collect(sink):
                    raise RuleError(e.path, f"alias {name!r} is also claimed by '{other.id}' "
                                            f"({other.path}:{other.line})", line=e.line, rule=e.id)
                continue
            owner[key] = e
    for e in gaz.values():  # a short form is no other entity's name (it would be two things at once)
        for name in (*e.short, *e.words):
            other = owner.get(alias_key(name))
            if other is not None:
                with _collect(sink):
                    raise RuleError(e.path, f"short form {name!r} is a name of '{other.id}' "
                                            f"({other.path}:{other.line})", line=e.line, rule=e.id)


def _check_lemmas(rrules: dict[str, RelationRule], epats: dict[str, EntityPattern],
                  lex: dict[str, WordClass], sink: list | None = None):
    """An upper-case LEMMA names a word class: one the lexicon lacks can never match (a typo)."""
    for r in [*rrules.values(), *epats.values()]:
        pats = r.patterns if isinstance(r, RelationRule) else [r.pattern]
        bad = sorted({v for p in pats for tok in p for v in _names(tok.get("LEMMA"))
                      if CLASS_RE.match(v) and v not in lex})
        if bad:
            with _collect(sink):
                raise RuleError(r.path, f"LEMMA {', '.join(map(repr, bad))}: no such word class in lexicon.yaml",
                                line=r.line or None, rule=r.id)


def alias_key(name: str) -> str:
    """How two aliases are compared for clashes: folded, without spaces and name dots."""
    return re.sub(r"[\s·\-_.]", "", fold(name))


def _files(folder: Path, sub: str, pattern: str) -> list[Path]:
    d = folder / sub
    return sorted(f for f in d.glob(pattern) if not f.name.startswith(".")) if d.is_dir() else []


def _folder_rule_files(folder: Path) -> list[Path]:
    """The files of one rule folder a load reads besides the ontology, in loading order (some
    may not exist)."""
    return (_files(folder, "lists", "*.txt") + _files(folder, "gazetteer", "*.yaml") + [folder / "lexicon.yaml"] +
            [folder / "entity_patterns.jsonl"] + _files(folder, "relations", "*.yaml"))


def _ontology_file(paths: list[Path]) -> Path:
    """The schema a load uses: the last folder's ontology.yaml that exists, else the base's."""
    onto = paths[0] / "ontology.yaml"
    for p in paths[1:]:
        if (p / "ontology.yaml").is_file():
            onto = p / "ontology.yaml"
    return onto


def load_rules(extra: str | Path | None = None, base: str | Path | None = None) -> RuleSet:
    """Load the built-in rules (or ``base``), merge ``extra`` over them, validate everything.

    Raises ``RuleError`` (file, line, rule id) at the first problem; ``check_rules`` lists all."""
    base = Path(base) if base else default_rules_dir()
    folders = [base]
    if extra is not None:
        extra = Path(extra)
        if not extra.exists():
            raise RuleError(str(extra), "rules folder not found")
        if not extra.is_dir():
            raise RuleError(str(extra), "rules path is a file, not a folder")
        folders.append(extra)
    return _load(tuple(str(f.resolve()) for f in folders))


@lru_cache(maxsize=8)
def _load(folders: tuple[str, ...]) -> RuleSet:
    return _load_cached(folders)


# ---------------------------------------------------------------- the cache of validated rule sets
#
# Parsing the YAML and validating every pattern takes most of a one-article run. A rule set that
# loaded without error is pickled under the user's cache folder (``$KG_CACHE_DIR``, else
# ``$XDG_CACHE_HOME/kg``, else ``~/.cache/kg``), one file per set of rule folders, headed by a key:
# a hash of the bytes of every rule file read (built-in and ``--rules``), of this loader's own code,
# and of the kg, spaCy, PyYAML and Python versions. A file whose header, key or checksum does not
# match is ignored and written anew; ``KG_NO_CACHE=1``, a folder that cannot be written or any
# other trouble just loads the rules the normal way. A rule set with an error is never written:
# errors come from the loader, as without the cache.

_CACHE_MAGIC = b"kg-rules-cache 1\n"
_LOADER_CODE = ("rules.py", "normalize.py", "errors.py")  # what the loaded RuleSet depends on


def cache_dir() -> Path | None:
    """Where validated rule sets are kept, or None when ``KG_NO_CACHE`` is set (to anything but 0)."""
    import os

    if os.environ.get("KG_NO_CACHE", "") not in ("", "0"):
        return None
    d = os.environ.get("KG_CACHE_DIR")
    if d:
        return Path(d)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "kg"
    try:
        return Path.home() / ".cache" / "kg"
    except (RuntimeError, KeyError):  # no home folder
        return None


def _spacy_version() -> str:
    """spaCy's version without importing spaCy (a second and more)."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("spacy")
        about = Path(spec.origin).parent / "about.py"
        m = re.search(r"""__version__\s*=\s*["']([^"']+)""", about.read_text(encoding="utf-8"))
        return m.group(1) if m else "?"
    except Exception:  # noqa: BLE001 - a missing spaCy fails later, where it is used
        return "?"


def _cache_key(folders: tuple[str, ...]) -> tuple[str, list[str]]:
    """The hash of everything a load of ``folders`` reads and depends on, and the ``sources`` the
    load would record. Raises OSError (or ValueError) where a load would stumble: no cache then."""
    import hashlib
    import sys

    from . import __version__

    h = hashlib.sha256()

    def put(*parts):
        for x in parts:
            b = x if isinstance(x, bytes) else str(x).encode("utf-8", "surrogatepass")
            h.update(len(b).to_bytes(8, "little"))
            h.update(b)

    put(_CACHE_MAGIC, __version__, _spacy_version(), getattr(yaml, "__version__", "?"),
        getattr(yaml, "__with_libyaml__", "?"), sys.version, *folders)
    here = Path(__file__).resolve().parent
    for name in _LOADER_CODE:
        put(name, (here / name).read_bytes())
    paths = [Path(f) for f in folders]
    onto = _ontology_file(paths)
    put("ontology", onto, onto.read_bytes())
    sources: list[str] = []
    for folder in paths:
        for f in _folder_rule_files(folder):
            if not f.exists():
                put(f, "-")
                continue
            if not f.is_file():
                raise ValueError(f"{f} is not a file")
            data = f.read_bytes()
            st = f.stat()
            sources.append(f"{f.relative_to(folder)}:{st.st_size}:{st.st_mtime_ns}")
            put(f, data)
    return h.hexdigest(), sources


def _cache_file(d: Path, folders: tuple[str, ...]) -> Path:
    import hashlib
    import sys

    tag = hashlib.sha256("\0".join((sys.version, *folders)).encode("utf-8", "surrogatepass")).hexdigest()
    return d / f"rules-{tag[:24]}.pickle"


def _cache_read(path: Path, key: str) -> RuleSet | None:
    """The rule set stored under ``key``, or None (no file, someone else's, stale, corrupt)."""
    import hashlib
    import os
    import pickle

    try:
        with open(path, "rb") as fh:
            uid = getattr(os, "getuid", None)
            if uid is not None and os.fstat(fh.fileno()).st_uid != uid():
                return None  # only unpickle the user's own files
            blob = fh.read()
        head, sep, rest = blob.partition(b"\n\n")
        lines = head.split(b"\n")
        if not sep or len(lines) != 3 or lines[0] + b"\n" != _CACHE_MAGIC or lines[1] != key.encode():
            return None
        if hashlib.sha256(rest).hexdigest().encode() != lines[2]:
            return None
        rs = pickle.loads(rest)
    except Exception:  # noqa: BLE001 - a broken cache is no cache
        return None
    return rs if isinstance(rs, RuleSet) else None


def _cache_write(path: Path, key: str, rs: RuleSet) -> None:
    """Store ``rs`` atomically (a temporary file renamed over ``path``); any failure is silent."""
    import hashlib
    import os
    import pickle
    import tempfile

    tmp = None
    try:
        payload = pickle.dumps(rs, protocol=pickle.HIGHEST_PROTOCOL)
        head = _CACHE_MAGIC + key.encode() + b"\n" + hashlib.sha256(payload).hexdigest().encode() + b"\n\n"
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".rules-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(head)
            fh.write(payload)
        os.replace(tmp, path)
        tmp = None
    except Exception:  # noqa: BLE001 - the cache is an optimisation only
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _load_cached(folders: tuple[str, ...]) -> RuleSet:
    d = cache_dir()
    if d is None:
        return _load_all(folders, None)
    try:
        key, sources = _cache_key(folders)
    except Exception:  # noqa: BLE001 - a file that cannot be read: the loader says what is wrong
        return _load_all(folders, None)
    path = _cache_file(d, folders)
    rs = _cache_read(path, key)
    if rs is not None:
        rs.sources = sources  # the files' sizes and times as they are now
        return rs
    rs = _load_all(folders, None)  # raises at the first error: an invalid rule set is never stored
    try:
        unchanged = _cache_key(folders)[0] == key  # not edited while it loaded
    except Exception:  # noqa: BLE001
        unchanged = False
    if unchanged:
        _cache_write(path, key, rs)
    return rs


def _load_all(folders: tuple[str, ...], sink: list | None) -> RuleSet:
    paths = [Path(f) for f in folders]
    onto = _ontology_file(paths)
    if not onto.is_file():
        raise RuleError(str(onto), "schema file not found")
    try:
        etypes, rtypes = _load_ontology(onto)
    except RuleError:
        raise
    except Exception as e:  # noqa: BLE001
        raise RuleError(str(onto), f"cannot load: {e.__class__.__name__}: {e}") from None
    gaz: dict[str, GazetteerEntry] = {}
    lex: dict[str, WordClass] = {}
    epats: dict[str, EntityPattern] = {}
    rrules: dict[str, RelationRule] = {}
    prefix: list[dict] = []
    disabled: set[str] = set()
    owners: dict[str, tuple[str, int]] = {}
    sources: list[str] = []
    lists: dict[str, list[str]] = {}  # every folder's word lists first: any pattern may use them
    for folder in paths:
        for f in _files(folder, "lists", "*.txt"):
            _guard_file(f, _load_list, lists, sink=sink)
    for folder in paths:
        for f in _folder_rule_files(folder):
            if not f.exists():
                continue
            if not f.is_file():
                with _collect(sink):
                    raise RuleError(str(f), "is not a file")
                continue
            sources.append(f"{f.relative_to(folder)}:{f.stat().st_size}:{f.stat().st_mtime_ns}")
            if f.parent.name == "lists" and f.parent.parent == folder:
                continue  # read above
            if f.parent.name == "gazetteer" and f.parent.parent == folder:
                _guard_file(f, _load_gazetteer, etypes, gaz, disabled, sink=sink)
            elif f.name == "lexicon.yaml":
                _guard_file(f, _load_lexicon, etypes, rtypes, lex, sink=sink)
            elif f.name == "entity_patterns.jsonl":
                _guard_file(f, lambda p, *a, sink=None: _load_entity_patterns(
                    p, etypes, epats, sink=sink, lists=lists), sink=sink)
            else:
                _guard_file(f, lambda p, *a, sink=None: _load_relation_rules(
                    p, rtypes, rrules, prefix, etypes=etypes, owners=owners, sink=sink, lists=lists), sink=sink)
    _check_aliases(gaz, sink)
    _check_makers(gaz, sink)
    _check_parents(gaz, sink)
    _check_prefix_ids(prefix, gaz, sink)
    _check_lexicon(lex, sink, gaz)
    _check_lemmas(rrules, epats, lex, sink)
    return RuleSet(etypes, rtypes, gaz, lex, epats, rrules, prefix, sources, lists)


def _check_makers(gaz: dict[str, GazetteerEntry], sink: list | None = None):
    """A product's maker is an organisation of the gazetteer (checked once every file is read: a
    user's gazetteer may name a maker the built-in one has, or the other way round)."""
    for e in gaz.values():
        for m in e.maker:
            with _collect(sink):
                if m not in gaz:
                    raise RuleError(e.path, f"maker {m!r} is no entity of the gazetteer", line=e.line, rule=e.id)
                if gaz[m].type != "ORG":
                    raise RuleError(e.path, f"maker {m!r} is a {gaz[m].type}, not an ORG", line=e.line, rule=e.id)


def _check_parents(gaz: dict[str, GazetteerEntry], sink: list | None = None):
    """An organisation's parent is another organisation of the gazetteer."""
    for e in gaz.values():
        if e.parent:
            with _collect(sink):
                if e.parent not in gaz:
                    raise RuleError(e.path, f"parent {e.parent!r} is no entity of the gazetteer", line=e.line, rule=e.id)
                if gaz[e.parent].type != "ORG":
                    raise RuleError(e.path, f"parent {e.parent!r} is a {gaz[e.parent].type}, not an ORG",
                                    line=e.line, rule=e.id)


def _check_prefix_ids(prefix: list[dict], gaz: dict[str, GazetteerEntry], sink: list | None = None):
    """A prefix rule's ``inner_ids`` are gazetteer entities of one of its ``inner`` types."""
    for rule in prefix:
        inner = rule["inner"] if isinstance(rule["inner"], list) else [rule["inner"]]
        for x in rule.get("inner_ids") or ():
            with _collect(sink):
                if x not in gaz:
                    raise RuleError(rule["path"], f"inner_ids: {x!r} is no entity of the gazetteer",
                                    line=rule["line"], rule=rule["id"])
                if gaz[x].type not in inner:
                    raise RuleError(rule["path"], f"inner_ids: {x!r} is a {gaz[x].type}, not {' or '.join(inner)}",
                                    line=rule["line"], rule=rule["id"])


def _check_lexicon(lex: dict[str, WordClass], sink: list | None = None, gaz: dict | None = None):
    owner: dict[str, WordClass] = {}
    for wc in lex.values():
        if wc.entity and gaz is not None:
            e = gaz.get(wc.entity)
            with _collect(sink):
                if e is None:
                    raise RuleError(wc.path, f"unknown entity {wc.entity!r}", line=wc.line, rule=wc.name)
                if e.type != wc.type:
                    raise RuleError(wc.path, f"entity {wc.entity!r} is a {e.type}, not a {wc.type}",
                                    line=wc.line, rule=wc.name)
        for w in wc.words:
            k = fold(w)
            o = owner.get(k)
            if o is not None and o.name != wc.name:
                with _collect(sink):
                    raise RuleError(wc.path, f"word {w!r} is in two classes ({o.name} and {wc.name})",
                                    line=wc.line, rule=wc.name)
                continue
            owner[k] = wc


def check_rules(folder: str | Path | None = None) -> tuple[RuleSet | None, list[str]]:
    """Validate a rule folder (merged over the built-in rules) without extracting.

    Returns (ruleset, []) when all is well, else (None, errors) with *every* error found: each
    bad entry of each file, then the checks across files (aliases claimed twice, a word in two
    classes, a LEMMA no class defines). Each error is one line naming the file, line and rule id."""
    base = default_rules_dir()
    folders = [base]
    if folder is not None:
        extra = Path(folder)
        if not extra.exists():
            return None, [f"{extra}: rules folder not found"]
        if not extra.is_dir():
            return None, [f"{extra}: rules path is a file, not a folder"]
        folders.append(extra)
    sink: list[RuleError] = []
    try:
        rs = _load_all(tuple(str(f.resolve()) for f in folders), sink)
    except RuleError as e:  # the schema itself is broken: nothing else can be checked
        sink.append(e)
        rs = None
    if sink:
        errors, seen = [], set()
        for e in sink:
            if str(e) not in seen:
                seen.add(str(e))
                errors.append(str(e))
        return None, errors
    return rs, []


# the longest literal the scanner makes a token of (longer ones stay gap text): a phrase of several
# words up to 12 characters, one word (no space: "participation") up to 24
MAX_LITERAL_LEN = 12
MAX_WORD_LEN = 24


def literal_scanned(folded: str) -> bool:
    """Whether the scan makes this folded literal one token (see MAX_LITERAL_LEN)."""
    n = len(folded)
    return n <= MAX_LITERAL_LEN or (n <= MAX_WORD_LEN and " " not in folded)


def shadowed_words(rs: RuleSet) -> list[str]:
    """Warnings, not errors: a literal word a Chinese relation pattern names that contains a lexicon
    word (共同开发 contains PRODUCE's 开发). The scan takes the longest word, so where the literal is
    written, every rule that looks for the class word (LEMMA: PRODUCE) cannot see it. Sometimes that
    is the point; often it hides a trigger from other rules."""
    words: dict[str, str] = {}
    for wc in rs.lexicon.values():
        for w in wc.words:
            words.setdefault(fold(w), wc.name)
    out = []
    for r in rs.relation_rules.values():
        lits = {v for p in r.patterns for tok in p for key in ("LOWER", "TEXT", "ORTH")
                for v in _names(tok.get(key)) if isinstance(v, str)}
        for lit in sorted(lits):
            f = fold(lit)
            if not literal_scanned(f.strip()) and f not in words:
                out.append(f"{r.path}:{r.line}: rule {r.id!r} literal {lit!r} is longer than the scan keeps "
                           f"({MAX_LITERAL_LEN} characters for a phrase, {MAX_WORD_LEN} for one word): it never "
                           f"becomes one token, so it never matches (write one token a word)")
                continue
            if f in words or f.isascii():
                continue
            inner = sorted({f"{w!r} ({c})" for w, c in words.items() if len(w) >= 2 and w != f and w in f})
            if inner:
                out.append(f"{r.path}:{r.line}: rule {r.id!r} literal {lit!r} hides {', '.join(inner)} "
                           f"from rules that match the class")
    out += _name_plus_trigger(rs)
    return out


def _name_plus_trigger(rs: RuleSet) -> list[str]:
    """Warnings: a Chinese name that is another entity's name followed by a trigger word
    (英特尔投资 = 英特尔 + INVEST's 投资). The scan takes the longest name, so '向英特尔投资50亿美元'
    reads as the first entity and loses the verb; write the name another way if the text often means
    the verb (英特尔资本), or keep it knowingly."""
    owner: dict[str, str] = {}
    for e in rs.gazetteer.values():
        for n in e.names():
            owner.setdefault(fold(n).strip().lower(), e.id)
    verbs = {fold(w).strip().lower(): wc.name for wc in rs.lexicon.values() if wc.kind == "trigger"
             and wc.name not in ("FIRM", "MAKER", "UNIT", "MARKET", "STATE") for w in wc.words}
    out = []
    for e in rs.gazetteer.values():
        for n in e.names():
            k = fold(n).strip().lower()
            if k.isascii():
                continue
            for i in range(1, len(k)):
                head, tail = k[:i], k[i:]
                if owner.get(head, e.id) != e.id and tail in verbs:
                    out.append(f"gazetteer: {e.id!r} name {n!r} is {owner[head]!r} ({head}) followed by "
                               f"{verbs[tail]}'s {tail!r}: where the text means the verb, the longer name wins")
    return out
