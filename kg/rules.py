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
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import RuleError
from .normalize import fold

__all__ = [
    "RuleSet", "RelationType", "GazetteerEntry", "WordClass", "EntityPattern", "RelationRule",
    "load_rules", "default_rules_dir", "check_rules", "CAPTURE_ROLES", "WORD_KINDS",
]

CAPTURE_ROLES = ("subject", "object", "pair", "relation", "entity", "alias")
WORD_KINDS = ("trigger", "title", "anaphor", "negation", "hedge", "former", "separator",
              "listfill", "stop", "suffix", "function")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")


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
    path: str = ""
    line: int = 0


@dataclass
class EntityPattern:
    id: str
    label: str
    pattern: list[dict]
    captures: dict[int, str]
    path: str = ""
    line: int = 0


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

    def fingerprint(self) -> str:
        import hashlib

        h = hashlib.sha256()
        for s in self.sources:
            h.update(s.encode())
        return h.hexdigest()[:16]


# ---------------------------------------------------------------- YAML with line numbers

class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node, deep=False):
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
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


# ---------------------------------------------------------------- loaders

def _load_ontology(path: Path):
    data = _read_yaml(path)
    if not isinstance(data, dict) or "entity_types" not in data or "relation_types" not in data:
        raise RuleError(str(path), "needs 'entity_types' and 'relation_types'")
    etypes = {k: str(v) for k, v in _strip(data["entity_types"]).items()}
    rtypes = {}
    for name, spec in _strip(data["relation_types"]).items():
        line = spec.get("__line__") if isinstance(spec, dict) else None
        if not isinstance(spec, dict) or "domain" not in spec or "range" not in spec:
            raise RuleError(str(path), f"relation type {name} needs domain and range", line=line)
        dom = tuple([spec["domain"]] if isinstance(spec["domain"], str) else spec["domain"])
        rng = tuple([spec["range"]] if isinstance(spec["range"], str) else spec["range"])
        for t in dom + rng:
            if t not in etypes:
                raise RuleError(str(path), f"relation type {name}: unknown entity type {t!r}", line=line)
        rtypes[name] = RelationType(name, dom, rng, bool(spec.get("symmetric", False)), spec.get("note", ""))
    return etypes, rtypes


def _as_list(v) -> list:
    if v is None:
        return []
    return list(v) if isinstance(v, (list, tuple)) else [v]


def _load_gazetteer(path: Path, etypes, out: dict[str, GazetteerEntry], disabled: set[str]):
    data = _read_yaml(path)
    if data is None:
        return
    if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
        raise RuleError(str(path), "a gazetteer file holds 'entities: [...]'")
    for raw in data["entities"]:
        if not isinstance(raw, dict):
            raise RuleError(str(path), f"an entity must be a mapping, got {raw!r}")
        line = raw.get("__line__")
        eid = raw.get("id")
        if not isinstance(eid, str) or not ID_RE.match(eid):
            raise RuleError(str(path), f"entity id {eid!r} must be a lowercase slug", line=line)
        if raw.get("enabled") is False:
            disabled.add(eid)
            out.pop(eid, None)
            continue
        etype = raw.get("type")
        if etype not in etypes:
            raise RuleError(str(path), f"unknown entity type {etype!r} (schema: {', '.join(etypes)})",
                            line=line, rule=eid)
        if eid in out and out[eid].path == str(path):
            raise RuleError(str(path), "duplicate entity id", line=line, rule=eid)
        if eid in out and Path(out[eid].path).parent == path.parent:
            raise RuleError(str(path), f"duplicate entity id (also in {out[eid].path}:{out[eid].line})",
                            line=line, rule=eid)
        aliases = [str(a) for a in _as_list(raw.get("aliases"))]
        entry = GazetteerEntry(eid, etype, str(raw.get("name_en") or ""), str(raw.get("name_zh") or ""),
                               aliases, str(raw.get("wikidata") or ""), str(path), line or 0)
        if not entry.names():
            raise RuleError(str(path), "entity has no name", line=line, rule=eid)
        if entry.wikidata and not re.match(r"^Q\d+$", entry.wikidata):
            raise RuleError(str(path), f"wikidata {entry.wikidata!r} is not a QID", line=line, rule=eid)
        out[eid] = entry


def _load_lexicon(path: Path, etypes, rtypes, out: dict[str, WordClass]):
    data = _read_yaml(path)
    if data is None:
        return
    if not isinstance(data, dict) or not isinstance(data.get("classes"), dict):
        raise RuleError(str(path), "a lexicon file holds 'classes: {NAME: {...}}'")
    for name, spec in _strip(data["classes"]).items():
        line = spec.get("__line__") if isinstance(spec, dict) else None
        if not isinstance(spec, dict):
            raise RuleError(str(path), "a word class must be a mapping", rule=name)
        if not re.match(r"^[A-Z][A-Z0-9_]*$", str(name)):
            raise RuleError(str(path), "word class names are UPPER_CASE", line=line, rule=name)
        kind = spec.get("kind", "trigger")
        if kind not in WORD_KINDS:
            raise RuleError(str(path), f"unknown kind {kind!r} (one of {', '.join(WORD_KINDS)})",
                            line=line, rule=name)
        words = [str(w) for key in ("words", "zh", "en") for w in _as_list(spec.get(key))]
        rel = str(spec.get("relation") or "")
        if rel and rel not in rtypes:
            raise RuleError(str(path), f"unknown relation {rel!r}", line=line, rule=name)
        if kind == "title" and not rel:
            raise RuleError(str(path), "a title class needs 'relation'", line=line, rule=name)
        etype = str(spec.get("type") or "")
        if kind == "anaphor" and etype not in etypes:
            raise RuleError(str(path), f"an anaphor class needs an entity 'type', got {etype!r}",
                            line=line, rule=name)
        if name in out:
            merged = out[name]
            merged.words = merged.words + [w for w in words if w not in merged.words]
            if spec.get("replace"):
                merged.words = words
            continue
        out[name] = WordClass(name, kind, words, rel, etype, str(spec.get("qualifier") or ""),
                              str(path), line or 0)


def _split_captures(pattern: list, path: Path, rid: str, line, allowed: tuple[str, ...]):
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
        clean.append(tok)
    _validate_token_pattern(clean, path, rid, line)
    return clean, caps


def _validate_token_pattern(pattern: list[dict], path: Path, rid: str, line):
    from spacy.schemas import validate_token_pattern

    errors = validate_token_pattern(pattern)
    if errors:
        raise RuleError(str(path), f"invalid pattern: {'; '.join(map(str, errors))}", line=line, rule=rid)


def _load_entity_patterns(path: Path, etypes, out: dict[str, EntityPattern]):
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise RuleError(str(path), f"cannot read: {e}") from None
    for no, raw in enumerate(lines, 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        try:
            rec = json.loads(raw)
        except json.JSONDecodeError as e:
            raise RuleError(str(path), f"invalid JSON: {e.msg}", line=no) from None
        if not isinstance(rec, dict):
            raise RuleError(str(path), "each line is a JSON object", line=no)
        pid = rec.get("id")
        if not isinstance(pid, str) or not pid:
            raise RuleError(str(path), "pattern needs an 'id'", line=no)
        if rec.get("enabled") is False:
            out.pop(pid, None)
            continue
        if rec.get("label") not in etypes:
            raise RuleError(str(path), f"unknown label {rec.get('label')!r}", line=no, rule=pid)
        if pid in out and out[pid].path == str(path):
            raise RuleError(str(path), "duplicate pattern id", line=no, rule=pid)
        pat, caps = _split_captures(rec.get("pattern"), path, pid, no, ("entity", "alias"))
        if "entity" not in caps.values():
            raise RuleError(str(path), "an entity pattern marks its name with CAPTURE: entity", line=no, rule=pid)
        out[pid] = EntityPattern(pid, rec["label"], pat, caps, str(path), no)


def _load_relation_rules(path: Path, rtypes, out: dict[str, RelationRule], prefix_rules: list[dict]):
    data = _read_yaml(path)
    if data is None:
        return
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RuleError(str(path), "a relation file holds 'rules: [...]'")
    seen_here: set[str] = set()
    for raw in data["rules"]:
        if not isinstance(raw, dict):
            raise RuleError(str(path), "a rule must be a mapping")
        line = raw.get("__line__")
        rid = raw.get("id")
        if not isinstance(rid, str) or not rid:
            raise RuleError(str(path), "rule needs an 'id'", line=line)
        if rid in seen_here:
            raise RuleError(str(path), "duplicate rule id", line=line, rule=rid)
        seen_here.add(rid)
        if raw.get("enabled") is False:
            out.pop(rid, None)
            continue
        rel = raw.get("relation")
        if rel != "from_title" and rel not in rtypes:
            raise RuleError(str(path), f"unknown relation {rel!r}", line=line, rule=rid)
        if raw.get("kind") == "prefix":
            if raw.get("outer") not in ("ORG", "LOCATION", "PRODUCT", "PERSON", "PROJECT") or \
                    raw.get("inner") not in ("ORG", "LOCATION", "PRODUCT", "PERSON", "PROJECT"):
                raise RuleError(str(path), "a prefix rule needs 'outer' and 'inner' entity types",
                                line=line, rule=rid)
            prefix_rules.append({**_strip(raw), "path": str(path), "line": line})
            continue
        pats = raw.get("patterns")
        if not isinstance(pats, list) or not pats:
            raise RuleError(str(path), "rule needs 'patterns: [[...], ...]'", line=line, rule=rid)
        clean, caps = [], []
        for p in pats:
            c, k = _split_captures(p, path, rid, line, ("subject", "object", "pair", "relation"))
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
                unknown = set(_strip(spec)) - {"types", "followed_by", "sentences", "first_in_sentence"}
                if unknown:
                    raise RuleError(str(path), f"{fb}: unknown keys {sorted(unknown)}", line=line, rule=rid)
        conf = raw.get("confidence", 0.8)
        if not isinstance(conf, (int, float)) or not 0 <= conf <= 1:
            raise RuleError(str(path), "confidence is a number from 0 to 1", line=line, rule=rid)
        lang = raw.get("lang", "any")
        if lang not in ("zh", "en", "any"):
            raise RuleError(str(path), "lang is zh, en or any", line=line, rule=rid)
        examples = []
        for ex in _as_list(raw.get("examples")):
            if not isinstance(ex, dict) or "text" not in ex or "yields" not in ex:
                raise RuleError(str(path), "an example is {text, yields: [[s, REL, o], ...]}",
                                line=line, rule=rid)
            examples.append(_strip(ex))
        out[rid] = RelationRule(rid, rel, clean, caps, lang, float(conf), str(raw.get("qualifier") or ""),
                                raw.get("fallback_subject"), raw.get("fallback_object"), examples,
                                [str(x) for x in _as_list(raw.get("near_misses"))],
                                str(raw.get("note") or ""), str(path), line or 0)


def _check_aliases(gaz: dict[str, GazetteerEntry]):
    owner: dict[str, GazetteerEntry] = {}
    for e in gaz.values():
        for name in e.names():
            key = alias_key(name)
            if not key:
                continue
            other = owner.get(key)
            if other is not None and other.id != e.id:
                raise RuleError(e.path, f"alias {name!r} is also claimed by '{other.id}' ({other.path}:{other.line})",
                                line=e.line, rule=e.id)
            owner[key] = e


def alias_key(name: str) -> str:
    """How two aliases are compared for clashes: folded, without spaces and name dots."""
    return re.sub(r"[\s·\-_.]", "", fold(name))


def _files(folder: Path, sub: str, pattern: str) -> list[Path]:
    d = folder / sub
    return sorted(d.glob(pattern)) if d.is_dir() else []


def load_rules(extra: str | Path | None = None, base: str | Path | None = None) -> RuleSet:
    """Load the built-in rules (or ``base``), merge ``extra`` over them, validate everything."""
    base = Path(base) if base else default_rules_dir()
    folders = [base]
    if extra is not None:
        extra = Path(extra)
        if not extra.is_dir():
            raise RuleError(str(extra), "rules folder not found")
        folders.append(extra)
    return _load(tuple(str(f.resolve()) for f in folders))


@lru_cache(maxsize=8)
def _load(folders: tuple[str, ...]) -> RuleSet:
    paths = [Path(f) for f in folders]
    onto = paths[0] / "ontology.yaml"
    for p in paths[1:]:
        if (p / "ontology.yaml").is_file():
            onto = p / "ontology.yaml"
    if not onto.is_file():
        raise RuleError(str(onto), "schema file not found")
    etypes, rtypes = _load_ontology(onto)
    gaz: dict[str, GazetteerEntry] = {}
    lex: dict[str, WordClass] = {}
    epats: dict[str, EntityPattern] = {}
    rrules: dict[str, RelationRule] = {}
    prefix: list[dict] = []
    disabled: set[str] = set()
    sources: list[str] = []
    for folder in paths:
        files = (_files(folder, "gazetteer", "*.yaml") + [folder / "lexicon.yaml"] +
                 [folder / "entity_patterns.jsonl"] + _files(folder, "relations", "*.yaml"))
        for f in files:
            if not f.is_file():
                continue
            sources.append(f"{f.relative_to(folder)}:{f.stat().st_size}:{f.stat().st_mtime_ns}")
            if f.parent.name == "gazetteer":
                _load_gazetteer(f, etypes, gaz, disabled)
            elif f.name == "lexicon.yaml":
                _load_lexicon(f, etypes, rtypes, lex)
            elif f.name == "entity_patterns.jsonl":
                _load_entity_patterns(f, etypes, epats)
            else:
                _load_relation_rules(f, rtypes, rrules, prefix)
    _check_aliases(gaz)
    _check_lexicon(lex)
    return RuleSet(etypes, rtypes, gaz, lex, epats, rrules, prefix, sources)


def _check_lexicon(lex: dict[str, WordClass]):
    owner: dict[str, WordClass] = {}
    for wc in lex.values():
        for w in wc.words:
            k = fold(w)
            o = owner.get(k)
            if o is not None and o.name != wc.name:
                raise RuleError(wc.path, f"word {w!r} is in two classes ({o.name} and {wc.name})",
                                line=wc.line, rule=wc.name)
            owner[k] = wc


def check_rules(folder: str | Path | None = None) -> tuple[RuleSet | None, list[str]]:
    """Validate a rule folder without extracting; returns (ruleset, errors) with every error found.

    Each file is checked on its own so one bad file does not hide the others' errors."""
    errors: list[str] = []
    base = default_rules_dir()
    extra = Path(folder) if folder else None
    if extra is not None and not extra.is_dir():
        return None, [f"{extra}: rules folder not found"]
    target = extra or base
    # per-file pass: report every broken file
    try:
        etypes, rtypes = _load_ontology(target / "ontology.yaml" if (target / "ontology.yaml").is_file()
                                        else base / "ontology.yaml")
    except RuleError as e:
        return None, [str(e)]
    for f in _files(target, "gazetteer", "*.yaml"):
        try:
            _load_gazetteer(f, etypes, {}, set())
        except RuleError as e:
            errors.append(str(e))
    if (target / "lexicon.yaml").is_file():
        try:
            lx: dict[str, WordClass] = {}
            _load_lexicon(target / "lexicon.yaml", etypes, rtypes, lx)
            _check_lexicon(lx)
        except RuleError as e:
            errors.append(str(e))
    if (target / "entity_patterns.jsonl").is_file():
        try:
            _load_entity_patterns(target / "entity_patterns.jsonl", etypes, {})
        except RuleError as e:
            errors.append(str(e))
    for f in _files(target, "relations", "*.yaml"):
        try:
            _load_relation_rules(f, rtypes, {}, [])
        except RuleError as e:
            errors.append(str(e))
    if errors:
        return None, errors
    try:
        _load.cache_clear()
        rs = load_rules(extra)
    except RuleError as e:
        return None, [str(e)]
    return rs, []
