"""Grow the gazetteer from your own news: the names entity patterns found, ready to paste.

``suggest(paths, rules)`` extracts every text under ``paths`` and counts the names that no
gazetteer entry knows but an entity pattern found (a model number after its maker, a name after a
title, a company suffix...). Names seen at least ``min_count`` times come back most frequent
first, each with a ready gazetteer entry (a YAML snippet for ``rules/gazetteer/*.yaml`` or a user's
``--rules`` folder). The suggestions are candidates, not facts: read them before adding them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .normalize import fold

__all__ = ["Suggestion", "suggest", "format_suggestions", "iter_texts"]

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_GAZETTEER_FILE = {"ORG": "orgs.yaml", "PERSON": "people.yaml", "PRODUCT": "products.yaml",
                   "LOCATION": "locations.yaml", "PROJECT": "projects.yaml"}


@dataclass
class Suggestion:
    id: str  # a free gazetteer id (a slug of the English name, else zh_<hash>: rename it)
    type: str
    name_en: str
    name_zh: str
    aliases: list[str]
    count: int  # mentions over the corpus
    docs: int  # documents that mention it
    examples: list[str] = field(default_factory=list)  # a few sentences it was seen in
    file: str = ""  # the gazetteer file the entry belongs in

    @property
    def yaml(self) -> str:
        """The entry in the gazetteer's block style, indented to sit under ``entities:``."""
        lines = [f"  - id: {self.id}", f"    type: {self.type}"]
        if self.name_en:
            lines.append(f"    name_en: {_q(self.name_en)}")
        if self.name_zh:
            lines.append(f"    name_zh: {_q(self.name_zh)}")
        if self.aliases:
            lines.append(f"    aliases: [{', '.join(_q(a) for a in self.aliases)}]")
        return "\n".join(lines) + "\n"

    def as_dict(self) -> dict:
        return {"id": self.id, "type": self.type, "name_en": self.name_en, "name_zh": self.name_zh,
                "aliases": list(self.aliases), "count": self.count, "docs": self.docs,
                "examples": list(self.examples), "file": self.file, "yaml": self.yaml}


def _q(s: str) -> str:
    """A YAML scalar: plain when YAML reads it back as the same string, else double-quoted."""
    try:
        plain_ok = yaml.safe_load(s) == s and not re.search(r"[,\[\]{}#:&*!|>'\"%@`]", s)
    except yaml.YAMLError:
        plain_ok = False
    return s if plain_ok else json.dumps(s, ensure_ascii=False)


def iter_texts(paths) -> list[Path]:
    """The files under ``paths`` (files as given, folders walked; hidden files skipped)."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file()
                              and not any(part.startswith(".") for part in f.relative_to(p).parts)))
        elif p.is_file():
            out.append(p)
        else:
            from .errors import InputError

            raise InputError(f"{p}: no such file or folder")
    return out


def _slug(name: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", fold(name).lower()).strip("_")
    return s


def _free_id(name_en: str, name_zh: str, taken: set[str]) -> str:
    base = _slug(name_en) if name_en else ""
    if not base or not base[0].isalnum():
        base = "zh_" + hashlib.sha1(name_zh.encode("utf-8")).hexdigest()[:8] if name_zh else "x_" + \
            hashlib.sha1(name_en.encode("utf-8")).hexdigest()[:8]
    cand, n = base, 2
    while cand in taken:
        cand = f"{base}_{n}"
        n += 1
    taken.add(cand)
    return cand


def suggest(paths, rules=None, min_count: int = 2, *, max_examples: int = 2) -> list[Suggestion]:
    """Pattern-found names over the texts under ``paths`` seen at least ``min_count`` times."""
    from .extractor import Extractor
    from .inputs import read_text
    from .rules import alias_key, load_rules

    rs = rules or load_rules()
    ex = Extractor(rs)
    known = {alias_key(n) for e in rs.gazetteer.values() for n in e.names()}
    counts: Counter = Counter()
    docs: dict[str, set] = defaultdict(set)
    types: dict[str, Counter] = defaultdict(Counter)
    surfaces: dict[str, Counter] = defaultdict(Counter)
    examples: dict[str, list[str]] = defaultdict(list)
    for f in iter_texts(paths):
        doc = read_text(f)
        res = ex.extract_doc(doc.text, doc_id=str(f))
        for m in res.mentions:
            ent = res.new_entities.get(m.entity)
            if ent is None:
                continue
            label_key = alias_key(ent.label)
            if label_key in known:
                continue
            counts[label_key] += 1
            docs[label_key].add(str(f))
            types[label_key][ent.type] += 1
            surfaces[label_key][m.text.strip()] += 1
            for a in ent.aliases:
                surfaces[label_key][a] += 0
            if len(examples[label_key]) < max_examples:
                s = doc.text.rfind("\n", 0, m.start) + 1
                e = doc.text.find("\n", m.end)
                line = doc.text[s:e if e >= 0 else len(doc.text)].strip()
                # the sentence around the mention, at most ~160 characters
                lo = max(0, m.start - s - 80)
                snippet = line[lo:lo + 160]
                if snippet not in examples[label_key]:
                    examples[label_key].append(snippet)
    taken = set(rs.gazetteer)
    out: list[Suggestion] = []
    for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        if n < min_count:
            continue
        names = [s for s, _ in surfaces[key].most_common()]
        etype = types[key].most_common(1)[0][0]
        en = next((s for s in names if not _CJK.search(s)), "")
        zh = next((s for s in names if _CJK.search(s)), "")
        main = {en, zh}
        aliases = [s for s in names if s and s not in main and alias_key(s) not in known]
        sid = _free_id(en, zh, taken)
        out.append(Suggestion(sid, etype, en, zh, aliases, n, len(docs[key]), examples[key],
                              _GAZETTEER_FILE.get(etype, "orgs.yaml")))
    return out


def format_suggestions(items: list[Suggestion]) -> str:
    """Human-readable: a comment line per name, then its gazetteer entry."""
    if not items:
        return "# no new names seen often enough"
    lines = ["# Candidate gazetteer entries (found by entity patterns). Check each one, fix the id,",
             "# then paste it under `entities:` in the named file of rules/gazetteer/ or your --rules folder."]
    for s in items:
        lines.append("")
        lines.append(f"# {s.name_en or s.name_zh}: {s.type}, {s.count} mention(s) in {s.docs} document(s) -> {s.file}")
        for ex in s.examples:
            lines.append(f"#   e.g. {ex}")
        lines.append(s.yaml.rstrip("\n"))
    return "\n".join(lines)
