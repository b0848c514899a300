#!/usr/bin/env python3
"""Consistency checks for gold files (the dev and held-out sets).

Uses PyYAML and plain string search only (not the kg package), so a blind annotator can run it
without touching the extractor.
Run: .venv/bin/python tests/data/check_gold.py FOLDER [FOLDER ...] [-v]
-v lists the names of each entity that do not occur in the text (standard alternatives, to review by eye).
Prints a table of lengths and counts per file, ready for the set's README.
"""
import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
ONTOLOGY = yaml.safe_load((ROOT / "rules" / "ontology.yaml").read_text(encoding="utf-8"))
RELS = ONTOLOGY["relation_types"]
TYPES = set(ONTOLOGY["entity_types"])
SYMMETRIC = {r for r, d in RELS.items() if d.get("symmetric")}
SENT_END = re.compile(r"[。！？!?\n]|\.\s")
TIERS = {"core", "hard"}


def norm(s):
    return re.sub(r"[\s\-·_]", "", str(s)).casefold()


def as_list(x):
    return x if isinstance(x, list) else [x]


def expand(t):
    """Every (subject, relation, object) a triple accepts: each side of A|B, both directions if symmetric."""
    s, rel, o = t
    keys = set()
    for r in rel.split("|"):
        keys.add((s, r, o))
        if r in SYMMETRIC:
            keys.add((o, r, s))
    return keys


def check(gold_path, verbose):
    errs = []
    g = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    txt_path = gold_path.with_name(gold_path.name.replace(".gold.yaml", ".txt"))
    text = txt_path.read_text(encoding="utf-8")
    ntext = norm(text)
    if g.get("document") != txt_path.name:
        errs.append(f"document {g.get('document')!r} != {txt_path.name}")
    if g.get("language") not in ("zh", "en"):
        errs.append(f"bad language {g.get('language')!r}")
    if not text.endswith("\n"):
        errs.append("text does not end with a newline")
    ents = g.get("entities") or {}
    owner = {}
    for eid, e in ents.items():
        for t in e.get("types", []):
            if t not in TYPES:
                errs.append(f"{eid}: unknown type {t}")
        names = e.get("names") or []
        present = [n for n in names if norm(n) in ntext]
        if not present:
            errs.append(f"{eid}: no name occurs in the text")
        if verbose:
            absent = [n for n in names if norm(n) not in ntext]
            if absent:
                print(f"    {gold_path.name[:3]} {eid}: not in text: {absent}")
        for n in names:
            k = norm(n)
            if k in owner and owner[k] != eid:
                errs.append(f"name {n!r} shared by {owner[k]} and {eid}")
            owner[k] = eid
    for n in g.get("neutral") or []:
        k = norm(n)
        if k in owner:
            errs.append(f"neutral name {n!r} is also a name of {owner[k]}")

    def check_rel(r, where):
        if where == "neutral_relations" and len(r) == 3:  # a neutral triple may omit tier and evidence
            r = [*r, "hard", ""]
        if len(r) != 5:
            errs.append(f"{where}: needs 5 fields: {r}")
            return None
        s, rel, o, tier, ev = r
        for x in (s, o):
            if x not in ents:
                errs.append(f"{where}: {x} is not an entity: {r}")
                return None
        if tier not in TIERS:
            errs.append(f"{where}: bad tier {tier}: {r}")
        for name in rel.split("|"):
            if name not in RELS:
                errs.append(f"{where}: unknown relation {name}: {r}")
                continue
            dom, rng = as_list(RELS[name]["domain"]), as_list(RELS[name]["range"])
            if not set(ents[s]["types"]) & set(dom):
                errs.append(f"{where}: {s} {ents[s]['types']} not in domain {dom} of {name}")
            if not set(ents[o]["types"]) & set(rng):
                errs.append(f"{where}: {o} {ents[o]['types']} not in range {rng} of {name}")
        parts = ev.split("……")
        for p in parts:
            if p and p not in text:
                errs.append(f"{where}: evidence not in text: {p!r}")
        if where == "relations" and tier == "core":
            if len(parts) > 1:
                errs.append(f"core evidence has an elision: {r}")
            elif SENT_END.search(ev.strip()):
                errs.append(f"core evidence spans sentences: {r}")
            for x in (s, o):
                if not any(norm(n) in norm(ev) for n in ents[x]["names"]):
                    errs.append(f"core evidence lacks a name of {x}: {r}")
        return s, rel, o

    seen = set()
    counts = {"core": 0, "hard": 0}
    for r in g.get("relations") or []:
        t = check_rel(r, "relations")
        if t:
            counts[r[3]] = counts.get(r[3], 0) + 1
            keys = expand(t)
            if keys & seen:
                errs.append(f"duplicate triple {t}")
            seen |= keys
    nseen = set()
    for r in g.get("neutral_relations") or []:
        t = check_rel(r, "neutral_relations")
        if t:
            keys = expand(t)
            if keys & seen:
                errs.append(f"neutral relation repeats a gold relation {t}")
            if keys & nseen:
                errs.append(f"duplicate neutral triple {t}")
            nseen |= keys
    if g["language"] == "zh":
        nchars = len(re.sub(r"\s", "", text))
        length = f"{nchars} chars"
    else:
        length = f"{len(text.split())} words ({len(text)} chars)"
    row = (txt_path.stem, length, len(ents), counts["core"], counts["hard"], len(g.get("neutral_relations") or []))
    return errs, row


def main():
    verbose = "-v" in sys.argv
    bad = 0
    rows = []
    folders = [Path(a) for a in sys.argv[1:] if a != "-v"]
    if not folders:
        sys.exit("usage: check_gold.py FOLDER [FOLDER ...] [-v]")
    for gp in sorted(p for f in folders for p in f.glob("*.gold.yaml")):
        errs, row = check(gp, verbose)
        rows.append(row)
        for e in errs:
            print(f"{gp.name}: {e}")
        bad += len(errs)
    print("| file | length | entities | relations core / hard | neutral relations |")
    print("| --- | --- | --- | --- | --- |")
    tot = [0, 0, 0, 0]
    for stem, length, ne, c, h, n in rows:
        print(f"| `{stem}` | {length} | {ne} | {c} / {h} | {n} |")
        for i, v in enumerate((ne, c, h, n)):
            tot[i] += v
    print(f"| **total** | | {tot[0]} | {tot[1]} / {tot[2]} | {tot[3]} |")
    print("OK" if not bad else f"{bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
