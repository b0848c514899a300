"""Consistency checks for the gold files of this folder (plain YAML and string search; it does not use `kg`).

Usage: .venv/bin/python tests/data/heldout2/check_gold.py [gold files...]
"""
import sys, re, yaml, glob, os
HERE = os.path.dirname(os.path.abspath(__file__))
ONT = yaml.safe_load(open(os.path.join(HERE, '..', '..', '..', 'rules', 'ontology.yaml')))
RT = ONT['relation_types']; ET = set(ONT['entity_types'])
def aslist(x): return x if isinstance(x, list) else [x]
def norm(s): return re.sub(r"[\s\-·_]", "", s).casefold()
SENT_END = re.compile(r"[。！？!?]|\.\s|\n")
def check(gold_path, verbose=False):
    errs=[]; warn=[]
    g = yaml.safe_load(open(gold_path))
    d = os.path.dirname(gold_path)
    txt_path = os.path.join(d, g['document'])
    if os.path.basename(gold_path).replace('.gold.yaml','.txt') != g['document']: errs.append('document name mismatch')
    t = open(txt_path, encoding='utf-8').read()
    if not t.endswith('\n'): errs.append('no final newline')
    ents = g['entities']; tl = t.casefold()
    seen = {}
    for eid, e in ents.items():
        for ty in e['types']:
            if ty not in ET: errs.append(f'{eid}: bad type {ty}')
        present = [n for n in e['names'] if str(n).casefold() in tl]
        if not present: errs.append(f'{eid}: no name in text')
        absent = [n for n in e['names'] if str(n).casefold() not in tl]
        if absent and verbose: warn.append(f'{eid}: not in text (alt names): {absent}')
        for n in e['names']:
            k = norm(str(n))
            if k in seen and seen[k] != eid: errs.append(f'name {n!r} shared by {seen[k]} and {eid}')
            seen[k] = eid
    for n in g.get('neutral', []):
        k = norm(str(n))
        if k in seen: errs.append(f'neutral {n!r} clashes with {seen[k]}')
        seen[k] = 'NEUTRAL'
        if str(n).casefold() not in tl: warn.append(f'neutral name not in text: {n}')
    def typeok(s, rel, o):
        r = RT[rel]; dom = set(aslist(r['domain'])); rng = set(aslist(r['range']))
        return bool(set(ents[s]['types']) & dom) and bool(set(ents[o]['types']) & rng)
    triples=set(); core=hard=0
    for r in g['relations']:
        if len(r) != 5: errs.append(f'bad relation length {r}'); continue
        s, rel, o, tier, ev = r
        for x in (s, o):
            if x not in ents: errs.append(f'unknown id {x} in {r}')
        if s not in ents or o not in ents: continue
        for alt in rel.split('|'):
            if alt not in RT: errs.append(f'bad relation {alt}')
            elif not typeok(s, alt, o): errs.append(f'type violation {s} {alt} {o}')
        key=(s, rel, o)
        if key in triples: errs.append(f'duplicate {key}')
        triples.add(key)
        for alt in rel.split('|'):
            if RT.get(alt, {}).get('symmetric') and (o, rel, s) in triples and s != o: errs.append(f'symmetric dup {key}')
        parts = ev.split('……')
        for p in parts:
            if p not in t: errs.append(f'evidence not in text: {p!r}')
        if tier == 'core':
            core += 1
            if len(parts) == 1 and SENT_END.search(ev.strip()): errs.append(f'core evidence spans sentences: {ev!r}')
            evl = ev.casefold()
            if not any(str(n).casefold() in evl for n in ents[s]['names']): errs.append(f'core evidence lacks subject name: {r}')
            if not any(str(n).casefold() in evl for n in ents[o]['names']): errs.append(f'core evidence lacks object name: {r}')
        elif tier == 'hard': hard += 1
        else: errs.append(f'bad tier {tier}')
    gold_alts = set()
    for (s, rel, o) in triples:
        for alt in rel.split('|'):
            gold_alts.add((s, alt, o))
            if RT[alt].get('symmetric'): gold_alts.add((o, alt, s))
    nset=set()
    for r in g.get('neutral_relations', []):
        s, rel, o = r
        if s not in ents or o not in ents: errs.append(f'neutral unknown id {r}'); continue
        for alt in rel.split('|'):
            if alt not in RT: errs.append(f'bad neutral relation {alt}')
            elif not typeok(s, alt, o): errs.append(f'neutral type violation {r}')
            if (s, alt, o) in gold_alts: errs.append(f'neutral repeats gold {r}')
        if tuple(r) in nset: errs.append(f'neutral dup {r}')
        nset.add(tuple(r))
    # entities unused by anything
    used = {x for r in g['relations'] for x in (r[0], r[2])} | {x for r in g.get('neutral_relations', []) for x in (r[0], r[2])}
    unused = [e for e in ents if e not in used]
    if g['language'] == 'zh':
        nws = len(re.sub(r'\s', '', t)); length = f'{nws} chars'
    else:
        length = f"{len(t.split())} words ({len(t)} chars)"
    return errs, warn, dict(entities=len(ents), core=core, hard=hard, neutral=len(nset), length=length, unused=unused)
if __name__ == '__main__':
    bad = False
    files = [a for a in sys.argv[1:] if a != '-v'] or sorted(glob.glob(os.path.join(HERE, '*.gold.yaml')))
    for f in files:
        errs, warn, st = check(f, verbose=True)
        print('==', os.path.basename(f), st)
        for e in errs: print('  ERR', e)
        if '-v' in sys.argv:
            for w in warn: print('  warn', w)
        bad = bad or bool(errs)
    sys.exit(1 if bad else 0)
