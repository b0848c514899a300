#!/usr/bin/env python3
"""Consistency checks for the gold files of tests/data/heldout3/.

Uses PyYAML and plain string search only (it does not import the kg package).

    python tests/data/heldout3/check_gold.py        # check every gold file, print a summary table
    python tests/data/heldout3/check_gold.py -v     # also list the alternative names not found in the text

Checks:
  - the YAML is valid and has the expected keys; `document` equals the text file name; `language` is zh or en;
  - the text is UTF-8 and ends with a newline;
  - every relation (gold and neutral) has 5 (gold) or at least 3 (neutral) fields, a valid tier, defined ends;
  - every relation name (each side of `A|B`) is in rules/ontology.yaml, and subject/object types meet the
    ontology's domain and range (for every alternative);
  - every evidence part (split on '……') occurs verbatim in the text;
  - every entity has at least one name that occurs in the text;
  - no name is shared by two entities, or by an entity and a `neutral` name (case-blind, ignoring spaces, '-', '·', '_');
  - no duplicate triples (symmetric relations compared in both directions), no neutral relation repeating a gold one;
  - every `core` evidence has no elision, stays inside one sentence, and contains a name of both ends.
"""
import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
ONTOLOGY = ROOT / "rules" / "ontology.yaml"
ELLIPSIS = "……"


def norm(s):
    return re.sub(r"[\s\-·_]", "", str(s)).casefold()


def as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def load_ontology():
    onto = yaml.safe_load(ONTOLOGY.read_text(encoding="utf-8"))
    rels = {}
    for name, spec in onto["relation_types"].items():
        rels[name] = (set(as_list(spec["domain"])), set(as_list(spec["range"])), bool(spec.get("symmetric")))
    return set(onto["entity_types"]), rels


# a sentence break: Chinese terminators, or . ! ? (optionally followed by a closing quote) then space and a capital/quote
ZH_BREAK = re.compile(r"[。！？]")
EN_BREAK = re.compile(r"[.!?][\"”’']?\s+[A-Z\"“]")


def crosses_sentence(quote):
    return bool(ZH_BREAK.search(quote) or EN_BREAK.search(quote) or "\n" in quote)


def check_file(gold_path, etypes, rels, verbose):
    errors, notes = [], []
    g = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    for key in ("document", "language", "entities", "relations"):
        if key not in g:
            errors.append(f"missing key {key}")
    if errors:
        return errors, notes, None
    txt_path = gold_path.with_name(gold_path.name.replace(".gold.yaml", ".txt"))
    if g["document"] != txt_path.name:
        errors.append(f"document {g['document']!r} != {txt_path.name!r}")
    if g["language"] not in ("zh", "en"):
        errors.append(f"language {g['language']!r}")
    raw = txt_path.read_bytes()
    text = raw.decode("utf-8")
    if not text.endswith("\n"):
        errors.append("text does not end with a newline")
    ntext = norm(text)

    ents = g["entities"] or {}
    seen_names = {}
    for eid, e in ents.items():
        for t in e.get("types", []):
            if t not in etypes:
                errors.append(f"entity {eid}: unknown type {t}")
        names = e.get("names") or []
        if not names:
            errors.append(f"entity {eid}: no names")
        present = [n for n in names if str(n) in text]
        if not present:
            errors.append(f"entity {eid}: no name occurs in the text")
        missing = [n for n in names if str(n) not in text]
        if verbose and missing:
            notes.append(f"  {eid}: not in text: {', '.join(map(str, missing))}")
        for n in names:
            k = norm(n)
            if k in seen_names and seen_names[k] != eid:
                errors.append(f"name {n!r} shared by {seen_names[k]} and {eid}")
            seen_names[k] = eid
    for n in g.get("neutral") or []:
        k = norm(n)
        if k in seen_names:
            errors.append(f"neutral name {n!r} is also a name of {seen_names[k]}")
        if str(n) not in text and verbose:
            notes.append(f"  neutral name not in text: {n}")

    def key_of(s, r, o):
        sym = rels.get(r, (None, None, False))[2]
        return (r,) + (tuple(sorted((s, o))) if sym else (s, o))

    def check_rel(rel, where, is_gold):
        if is_gold and len(rel) != 5:
            errors.append(f"{where}: expected 5 fields, got {rel}")
            return None
        if len(rel) < 3:
            errors.append(f"{where}: too short {rel}")
            return None
        s, rname, o = rel[0], rel[1], rel[2]
        for x in (s, o):
            if x not in ents:
                errors.append(f"{where}: undefined entity {x}")
                return None
        keys = []
        for r in str(rname).split("|"):
            if r not in rels:
                errors.append(f"{where}: unknown relation {r}")
                continue
            dom, rng, _ = rels[r]
            if not set(ents[s]["types"]) & dom:
                errors.append(f"{where}: {s} {ents[s]['types']} not in domain of {r} {sorted(dom)}")
            if not set(ents[o]["types"]) & rng:
                errors.append(f"{where}: {o} {ents[o]['types']} not in range of {r} {sorted(rng)}")
            keys.append(key_of(s, r, o))
        if len(rel) >= 5:
            tier, ev = rel[3], str(rel[4])
            if tier not in ("core", "hard"):
                errors.append(f"{where}: tier {tier!r}")
            for part in ev.split(ELLIPSIS):
                if part and part not in text:
                    errors.append(f"{where}: evidence not in text: {part!r}")
            if tier == "core":
                if ELLIPSIS in ev:
                    errors.append(f"{where}: core evidence uses an elision")
                if crosses_sentence(ev):
                    errors.append(f"{where}: core evidence crosses a sentence: {ev!r}")
                nev = norm(ev)
                for end in (s, o):
                    if not any(norm(n) in nev for n in ents[end]["names"]):
                        errors.append(f"{where}: core evidence has no name of {end}: {ev!r}")
        return keys

    gold_keys = {}
    counts = {"core": 0, "hard": 0}
    for i, rel in enumerate(g.get("relations") or []):
        where = f"relation {i} {rel[:3]}"
        keys = check_rel(rel, where, True)
        if keys is None:
            continue
        counts[rel[3]] = counts.get(rel[3], 0) + 1
        for k in keys:
            if k in gold_keys:
                errors.append(f"{where}: duplicate of relation {gold_keys[k]}")
            gold_keys[k] = i
    neutral_keys = set()
    for i, rel in enumerate(g.get("neutral_relations") or []):
        where = f"neutral relation {i} {rel[:3]}"
        keys = check_rel(rel, where, False)
        if keys is None:
            continue
        for k in keys:
            if k in gold_keys:
                errors.append(f"{where}: repeats gold relation {gold_keys[k]}")
            if k in neutral_keys:
                errors.append(f"{where}: duplicate neutral relation")
            neutral_keys.add(k)

    if g["language"] == "zh":
        length = f"{len(''.join(text.split()))} chars"
    else:
        length = f"{len(text.split())} words ({len(text.rstrip())} chars)"
    stats = dict(length=length, entities=len(ents), core=counts["core"], hard=counts["hard"],
                 neutral=len(g.get("neutral_relations") or []))
    return errors, notes, stats


def main():
    verbose = "-v" in sys.argv[1:]
    etypes, rels = load_ontology()
    golds = sorted(HERE.glob("*.gold.yaml"))
    if not golds:
        print("no gold files found")
        return 1
    bad = 0
    rows = []
    for gp in golds:
        errors, notes, stats = check_file(gp, etypes, rels, verbose)
        status = "OK" if not errors else f"{len(errors)} problem(s)"
        print(f"{gp.name}: {status}")
        for e in errors:
            print(f"  ERROR {e}")
        for n in notes:
            print(n)
        if errors:
            bad += 1
        if stats:
            rows.append((gp.name.replace(".gold.yaml", ""), stats))
    print()
    print("| file | length | entities | relations core / hard | neutral relations |")
    print("| --- | --- | --- | --- | --- |")
    tot = dict(entities=0, core=0, hard=0, neutral=0)
    for name, s in rows:
        print(f"| `{name}` | {s['length']} | {s['entities']} | {s['core']} / {s['hard']} | {s['neutral']} |")
        for k in tot:
            tot[k] += s[k]
    print(f"| **total** | | {tot['entities']} | {tot['core']} / {tot['hard']} | {tot['neutral']} |")
    print(f"\n{len(golds) - bad} of {len(golds)} gold files pass.")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
