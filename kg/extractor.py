"""text -> Extraction: the whole per-document flow.

normalise (offsets kept) -> scan names and rule words -> entity patterns (new names, taught
aliases) -> fold lists and title chains -> relation patterns -> resolve arguments (lists, pronouns,
an organisation's board, an implicit subject) -> check types against the schema, negation,
hedging -> plain records (kg.model).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from itertools import compress
from dataclasses import dataclass, field

from .model import Entity, Extraction, Mention, Relation
from .normalize import fold, normalize
from .segment import leading_person_names, stands_alone
from .pipeline import Engine, Tok
from .rules import RuleSet, load_rules
from .sentences import sentence_spans

__all__ = ["Extractor", "DocResult", "extract", "detect_language"]

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_NOT_LETTER = bytes(b for b in range(256) if not (65 <= b <= 90 or 97 <= b <= 122))
_LIST_PUNCT = {",", "、", "/"}
_ARTICLES = {"the", "a", "an"}
_POSSESSIVE = {"'s", "’s"}
# names of government bodies: ministries, agencies, regulators, legislatures
_GOV_BODY = re.compile(r"(部|总局|總局|管理局|监管局|監管局|委员会|委員會|网信办|網信辦|发改委|發改委|国务院|國務院|行政院|立法院|"
                       r"法院|国会|國會|参议院|參議院|众议院|眾議院|议会|議會|白宫|白宮|美联储|聯準會|人民银行|人民銀行|欧盟|歐盟)$|"
                       r"\b(Department|Ministry|Commission|Agency|Administration|Authority|Bureau|Senate|Congress|"
                       r"Parliament|House of Representatives|White House|Council|Office|Court|Federal Reserve|"
                       r"Trade Representative|Safety Institute|European Union|Army|Navy|Air Force|Space Force)( of [A-Z].*)?$|"
                       r"(陆军|陸軍|海军|海軍|空军|空軍|解放军|解放軍|证监会|證監會|银保监会|銀保監會)$")
_NEWS = re.compile(r"News|通讯社|通訊社|新闻社|新聞社|电视台|電視台")
_COMPANY_WORD = re.compile(r"公司|企业|企業|厂商|廠商|集团|集團|芯片商|晶片商|巨头|巨頭|龙头|龍頭|company|firm|chipmaker|start-?up",
                           re.I)
_TRAILING_BRACKET = re.compile(r"\s*[（(][^（()）]*[）)]$")
# verbs whose object 其 is the company a government acts on
_GOV_VERB = re.compile(r"(批准|核准|审查|審查|调查|調查|要求|禁止|允许|允許|约谈|約談|处罚|處罰|罚款|罰款|限制|制裁|命令|责令|責令)$")
# words after an organisation that make the next name its unit: a list member never ends there
_PARENT_OF = {"旗下", "旗下的", "下属", "下屬", "子公司"}
# adverbs that open a clause right after its subject: "A,B则…" is two clauses, not a list
_NEW_CLAUSE = re.compile(r"^(则|也|还|亦|已|将|正|却|便|仍|更|又|随即|随后|隨後|同样|同樣|此前|目前|近日|日前|今年|去年|曾|则已)")
# an anaphor that means a government body: 该局, 该部, the regulator
_GOV_WORD = re.compile(r"^(该|該|这个|這個)(局|部|委|委员会|委員會|署|监管机构|監管機構|部门|部門)$|regulator|agency|ministry|department|commission", re.I)
# words after which "A与B" is an enumeration, not "A with B": 竞争对手三星与英特尔, 客户包括A与B
_LIST_INTRO = {"RIVAL", "CUSTOMER", "SUPPLIER", "INVESTOR", "包括", "包含", "如", "涵盖", "例如", "分别是", "分别为"}
MAX_MATCH_TOKENS = 40
_PERSON_ORG_RELATIONS = {"from_title", "CEO_OF", "PRESIDENT_OF", "CHAIRMAN_OF", "FOUNDER_OF", "CHIEF_SCIENTIST_OF",
                         "EXECUTIVE_OF", "HEAD_OF", "EMPLOYED_BY", "LEFT", "FIRED"}
_TITLED_ROLES = {"CEO_OF", "PRESIDENT_OF", "CHAIRMAN_OF", "CHIEF_SCIENTIST_OF"}
_SPECIFIC_ROLES = {"CEO_OF", "PRESIDENT_OF", "CHAIRMAN_OF", "FOUNDER_OF", "CHIEF_SCIENTIST_OF",
                   "EXECUTIVE_OF", "HEAD_OF"}


def detect_language(text: str) -> str:
    """``zh`` when Chinese characters make up a real share of the letters, else ``en``: Chinese
    characters (``_CJK``) x 6 >= ASCII letters, in the first 20,000 characters."""
    sample = text[:20000]
    # ASCII letters: the ASCII characters, less every byte that is not a letter (in C, no list)
    lat = len(sample.encode("ascii", "ignore").translate(None, _NOT_LETTER))
    if not lat:
        return "zh"
    cjk = sum(map(len, _CJK_RUN.findall(sample)))  # runs, not one string per character
    return "zh" if cjk * 6 >= lat else "en"


def _slug(name: str) -> str:
    s = re.sub(r"[\s·\-./'’]+", "_", fold(name).strip()).strip("_")
    # ASCII letters, digits, _ and CJK ideographs only: ids that are XML names as they are,
    # so GraphML and JSON carry the same node id
    s = re.sub(r"[^0-9a-z_\u4e00-\u9fff]", "", s)
    if not s:
        import hashlib

        s = hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return s


@dataclass
class DocResult:
    doc_id: str
    text: str
    language: str
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    new_entities: dict[str, Entity] = field(default_factory=dict)


class Extractor:
    """Compiled rules, reusable over many documents (the engine is built once)."""

    def __init__(self, rules: RuleSet | None = None):
        self.rules = rules or load_rules()
        self.engine = Engine(self.rules)
        self._loc_keys = {}
        self._prefix_memo: dict = {}  # (at end?, folded name, entity) -> what _name_part found
        self._home_memo: dict[str, set[str]] = {}  # state body -> the states its names open with
        for e in self.rules.gazetteer.values():
            for n in e.names():
                self._loc_keys[fold(n)] = e
        self.state_actors = self._state_bodies()
        # products whose makers the gazetteer knows (README, "Makers")
        self._makers = {e.id: e.maker for e in self.rules.gazetteer.values() if e.maker}
        self._bare_codes = self._product_codes()
        # (given name, surname) -> the known people so named ("dario", "amodei" -> dario_amodei);
        # (0, first part) and (1, last part) of a dotted Chinese name -> (id, first, last) of the
        # known people so written (萨姆·阿尔特曼)
        self._given_names_of: dict[tuple[str, str], set[str]] = {}
        self._dotted: dict[tuple[int, str], set[tuple[str, str, str]]] = {}
        for e in self.rules.gazetteer.values():
            if e.type != "PERSON":
                continue
            for n in e.names():
                parts = fold(n).strip().split()
                if len(parts) == 2 and n.isascii():
                    self._given_names_of.setdefault((parts[0], parts[1]), set()).add(e.id)
                parts = _DOTS_SPLIT.split(n.strip())
                if len(parts) >= 2 and all(_CJK_ONLY.match(x) for x in parts):
                    for key in ((0, parts[0]), (1, parts[-1])):
                        self._dotted.setdefault(key, set()).add((e.id, parts[0], parts[-1]))
        self._parents = {e.id: e.parent for e in self.rules.gazetteer.values() if e.parent}
        # trigger classes with a last-resort reading (README, "The fallback tier")
        self._fallbacks = {c.name: c.fallback for c in self.rules.lexicon.values() if c.fallback is not None}
        # (the types of the names before and after the word: the object's first where reversed)
        self._fallback_types = {n: (frozenset(f.object), frozenset(f.subject)) if f.reverse
                                else (frozenset(f.subject), frozenset(f.object)) for n, f in self._fallbacks.items()}
        # short forms that name an entity only where the text names it otherwise too (README, "Names")
        self._short = {e.id: tuple(fold(x) for x in (*e.short, *e.words)) for e in self.rules.gazetteer.values()
                       if e.short or e.words}
        # Chinese short forms that name an entity where they stand as a word (kg/segment.py)
        self._words = {fold(x): (e.id, e.type) for e in self.rules.gazetteer.values() for x in e.words}
        self._word_list = tuple(sorted(self._words))
        self._all_short_keys = frozenset(k for keys in self._short.values() for k in keys)  # (and words)
        # anaphors that always mean one entity (Chinese -> china)
        self._fixed = {wc.name: (wc.entity, wc.type) for wc in self.rules.lexicon.values() if wc.entity}
        lists = getattr(self.rules, "lists", {})  # rules/lists/*.txt (the context name finders read them)
        self._zh_surnames = frozenset(lists.get("surnames_zh", ()))
        self._given_names = frozenset(lists.get("given_names_en", ()))
        self._not_names_zh = frozenset(lists.get("not_names_zh", ()))
        self._after_names_zh = tuple(lists.get("after_names_zh", ()))
        self._capitalised_non_names = {w.lower() for w in lists.get("capitalized_non_names_en", [])}
        self._east_asian_surnames = frozenset(lists.get("surnames_east_asian", ()))
        # short forms: 商务部 is 美国商务部 or 中国商务部 without the place; in a text that named one
        # of them, the short form is that one
        self._longer: dict[str, set[str]] = {}
        for key, e in self._loc_keys.items():
            for i in range(1, len(key) - 1):
                if key[i - 1].isascii() and key[i - 1].isalnum():
                    continue  # not inside a Latin word
                short = self._loc_keys.get(key[i:])
                place = self._loc_keys.get(key[:i].strip())
                if short is not None and short.id != e.id and short.type == e.type == "ORG" \
                        and place is not None and place.type == "LOCATION":
                    self._longer.setdefault(key[i:], set()).add(e.id)

    # ------------------------------------------------------------------ public
    def extract(self, text: str, *, doc_id: str = "doc", lang: str | None = None) -> Extraction:
        return merge([self.extract_doc(text, doc_id=doc_id, lang=lang)], self.rules)

    def extract_doc(self, text: str, *, doc_id: str = "doc", lang: str | None = None,
                    date: str = "") -> DocResult:
        language = lang or detect_language(text)
        res = DocResult(doc_id, text, language)
        if not text.strip():
            return res
        norm = normalize(text)
        spans = list(sentence_spans(text))
        starts = [s for s, _ in spans]
        toks = self.engine.scan(norm)
        makers = self._makers
        if self.rules.entity_patterns:
            forced, new, weak = self._entity_patterns(norm, toks, starts)
            if forced:
                toks = self.engine.rescan(norm, toks, forced)
            res.new_entities = new
            found = {eid: m for eid, ent in new.items() if ent.type == "PRODUCT"
                     for m in [self._found_product_makers(ent.label)] if m}
            if found:
                makers = {**makers, **found}
        else:
            weak = []
        described = self._maker_descriptors(toks) if self._makers else []
        toks = _cjk_stops_as_gaps(_demonstratives(_fold(toks)))
        self._short_forms(toks, norm.lower)
        ends = {e for _, e in spans}
        for t in toks:
            if t.tag == "PUNCT" and (t.end in ends or t.lemma == "\n" or t.lemma in "。！？!?；"):
                t.tag = "END"
                t.bits = -1
                t.row = None
                t.code = ""
        sent_of = _sentence_of(toks, starts)
        sent_lang = _LazyLang(text, spans, lang)
        desc_at = {d[4] for d in described}
        for t, si in zip(toks, sent_of):
            if t.tag == "ENT" and t.start in desc_at and not t.members:
                # "the ChatGPT maker" stands for OpenAI, as a word standing for a name does (the
                # product's own mention is added below)
                res.mentions.append(Mention(t.start, t.end, text[t.start:t.end], t.entity, t.ent_type, "anaphor",
                                            "kb_maker_descriptor"))
                continue
            if t.tag == "ENT":
                for ent, etype, s, e in _names_of(t):
                    res.mentions.append(Mention(s, e, text[s:e], ent, etype,
                                                "pattern" if ent in res.new_entities else "gazetteer"))
                    if etype == "LOCATION":
                        leader = self._leader_of(text[s:e])
                        if leader is not None:
                            # 特朗普政府, the Biden administration: the state acts, and the president
                            # is named too (annotators list him)
                            res.mentions.append(Mention(s + leader[0], s + leader[1],
                                                        text[s + leader[0]:s + leader[1]], leader[2], "PERSON",
                                                        "gazetteer", "administration"))
            elif t.tag == "ANAPHOR" and t.lemma in self._fixed:
                # a nationality word ("Dutch", "French President") names its country: annotators count
                # the country as mentioned, so it becomes a node even where the text never spells it out
                ent, etype = self._fixed[t.lemma]
                res.mentions.append(Mention(t.start, t.end, text[t.start:t.end], ent, etype, "anaphor", t.lemma))
        for ps, pe, product, _maker, _ms in described:
            res.mentions.append(Mention(ps, pe, text[ps:pe], product, "PRODUCT"))
        if described:
            res.mentions.sort(key=lambda m: (m.start, m.end))
        if weak:
            # names only a weak pattern found are nodes, but relation rules see their words as before
            # (a cue-less guess must not become the organisation a rule was looking for)
            spans_ent = sorted((t.start, t.end) for t in toks if t.tag in ("ENT", "ANAPHOR"))
            k = 0
            for s, e, ent, etype in weak:
                while k < len(spans_ent) and spans_ent[k][1] <= s:
                    k += 1
                if k < len(spans_ent) and spans_ent[k][0] < e:
                    continue  # the text there was read as another name
                res.mentions.append(Mention(s, e, text[s:e], ent, etype, "pattern"))
            res.mentions.sort(key=lambda m: (m.start, m.end))
        rels = self._relations(text, toks, sent_of, spans, sent_lang, doc_id, date)
        # a second reading of the sentences that have something between a name and the rest of its
        # clause (README, "A second reading"): a list's 等 and kind word folded into it; words that
        # stand for a name read as the name; appositions, adverbs, modals, titles before people,
        # makers before compared products, kind words, dates and sums, brackets, saying verbs and
        # parents before units left out; a clause's subject carried into the subjectless clauses
        # after it; lists folded again. Only the sentences that changed are matched again, and the
        # same edge from both readings is kept once
        r_toks, r_sent, changed = _absorb_etc(toks, sent_of)
        r_toks, r_sent, changed = _second_reading(r_toks, r_sent, changed, sent_lang)
        readings = [(toks, sent_of, None)]
        if changed:
            rels += self._relations(text, r_toks, r_sent, spans, sent_lang, doc_id, date, only=changed)
            readings.append((r_toks, r_sent, changed))
        # a third reading, of the sentences whose relative clause names something: without it
        third = _without_relative_clauses(toks, sent_of, sent_lang)
        if third is not None and third[2]:
            t_toks, t_sent, t_changed = _absorb_etc(third[0], third[1])
            t_toks, t_sent, _ = _second_reading(t_toks, t_sent, t_changed | third[2], sent_lang)
            rels += self._relations(text, t_toks, t_sent, spans, sent_lang, doc_id, date, only=third[2])
            readings.append((t_toks, t_sent, third[2]))
        prefix_rels, inner = self._prefix_relations(norm, res.mentions, spans, starts, doc_id, date)
        rels += prefix_rels
        res.mentions.extend(inner)
        for ps, _pe, product, maker, _ms in described:  # the descriptor says it: "the ChatGPT maker"
            si = max(0, bisect.bisect_right(starts, ps) - 1)
            ss, se = spans[si]
            rels.append(Relation(maker, "PRODUCES", product, doc_id, ss, se, text[ss:se], "kb_maker_descriptor",
                                 0.8, date=date))
        for r_toks, r_sent, only in readings if self._fallbacks else ():
            # (each reading's sentences: a clause the second reading gave its subject back counts)
            rels += self._fallback_relations(text, r_toks, r_sent, spans, rels, doc_id, date, only=only)
        if self._parents:
            rels += self._parent_relations(text, toks, sent_of, spans, rels, doc_id, date)
        if self._makers:
            rels += self._maker_relations(text, toks, sent_of, spans, rels, doc_id, date, makers)
            rels += self._foundry_customers(rels, doc_id, date)
        res.relations = _dedupe(rels)
        return res

    def _product_codes(self) -> dict[str, str]:
        """A known product's code written without its maker (a19 for "Apple A19", h20e for "Nvidia
        H20E"): folded code -> product, for codes holding a digit that no name already is and that
        only one product has."""
        gaz, alias_of = self.rules.gazetteer, self.engine.alias_of
        found: dict[str, set[str]] = {}
        for e in gaz.values():
            if e.type != "PRODUCT" or not e.maker:
                continue
            heads = [fold(n).strip() for m in e.maker if m in gaz for n in gaz[m].names()]
            for n in e.names():
                k = fold(n).strip()
                for h in heads:
                    if h and k.startswith(h + " "):
                        rest = k[len(h):].strip()
                        if _BARE_CODE.fullmatch(rest) and not rest.startswith("v") and rest not in alias_of:
                            found.setdefault(rest, set()).add(e.id)
        return {k: next(iter(v)) for k, v in found.items() if len(v) == 1}

    def _bare_code(self, key: str, etype: str) -> str | None:
        """The known product a found product's folded name is the code of, written without its
        maker (a19 -> Apple A19: see _product_codes), else None."""
        return self._bare_codes.get(key) if etype == "PRODUCT" else None

    def _home_states(self, eid: str) -> set[str]:
        """The places a state body's gazetteer names open with (中国商务部 -> china): its state."""
        memo = self._home_memo
        found = memo.get(eid)
        if found is None:
            found = set()
            g = self.rules.gazetteer.get(eid)
            for n in g.names() if g is not None else ():
                inner = self._name_part(fold(n).strip(), eid)
                if inner is not None and inner.type == "LOCATION":
                    found.add(inner.id)
            memo[eid] = found
        return found

    def _leader_of(self, surface: str) -> tuple[int, int, str] | None:
        """(start, end, person) of the known person a state's name is written with ("特朗普政府",
        "the Trump administration": a gazetteer name of the state), else None."""
        m = _ADMINISTRATION.match(surface)
        if m is None:
            return None
        eid = self.engine.alias_of.get(fold(m.group(2)).strip())
        if eid is None or eid not in self.rules.gazetteer or self.rules.gazetteer[eid].type != "PERSON":
            return None
        return m.start(2), m.end(2), eid

    def _parent_relations(self, text, toks, sent_of, spans, rels, doc_id, date) -> list[Relation]:
        """A unit and its parent (the gazetteer's `parent`: AWS and Amazon, 海思 and 华为) named in
        one sentence that speaks of units (旗下, 子公司, unit, subsidiary, lab, owned…: "FAIR, the
        company's research lab, … Meta"): the unit is PART_OF the parent (rule ``kb_parent``,
        confidence 0.6, the first such sentence as evidence); not where a rule already related the
        two, not from a negated sentence. (Named together without such a word, or in different
        sentences, the annotators of the opened sets mostly state no PART_OF: 9 of 13 were wrong.)"""
        related = _related_pairs(rels)
        first: dict[str, int] = {}
        sents: dict[str, set[int]] = {}
        neg: set[int] = set()
        for t, si in zip(toks, sent_of):
            if t.tag == "ENT":
                for ent, etype, _s, _e in _names_of(t):
                    if etype == "ORG":
                        first.setdefault(ent, si)
                        sents.setdefault(ent, set()).add(si)
            elif t.tag == "NEG":
                neg.add(si)
        # "Alphabet's Google", 阿里巴巴的阿里云: the parent written as the unit's owner says it too
        owned: set[tuple[str, str, int]] = set()
        for k, t in enumerate(toks[:-1]):
            if t.tag == "ENT" and t.ent_type == "ORG":
                owner = t.members[-1][0] if t.members else t.entity  # (the list member next to it)
                m = k + 2
                if toks[k + 1].lemma != "OF" or toks[k + 1].text not in ("'s", "’s", "的"):
                    continue
                if m < len(toks) and toks[m].tag == "ENT" and toks[m].ent_type == "ORG" and sent_of[m] == sent_of[k]:
                    unit = toks[m].members[0][0] if toks[m].members else toks[m].entity
                    if self._parents.get(unit) == owner:
                        owned.add((unit, owner, sent_of[k]))
        out = []
        for unit in sorted(first, key=first.get):
            parent = self._parents.get(unit)
            if parent is None or parent not in first or (unit, parent) in related:
                continue
            both = [si for si in sorted((sents[unit] & sents[parent]) - neg)
                    if _UNIT_CUES.search(text[spans[si][0]:spans[si][1]]) or (unit, parent, si) in owned]
            if not both:
                continue
            si, conf = both[0], 0.6
            ss, se = spans[si]
            out.append(Relation(unit, "PART_OF", parent, doc_id, ss, se, text[ss:se], "kb_parent", conf,
                                "asserted", "", date))
        return out

    def _known_heads(self, key: str):
        """The known entries a folded name opens with, longest first: (length, gazetteer entry)."""
        for i in range(len(key) - 1, 0, -1):
            head = key[:i].rstrip(" -")
            if head and head == key[:len(head)]:
                g = self.rules.gazetteer.get(self.engine.alias_of.get(head, ""))
                if g is not None:
                    yield len(head), g

    def _found_product_makers(self, label: str) -> tuple[str, ...]:
        """The makers of a product a finder found: those of the known product family its name
        opens with (昇腾950PR: Huawei's Ascend), or the known firm it opens with (DeepSeek-V2)."""
        for n, g in self._known_heads(fold(label)):
            if n >= 2 and g.type == "PRODUCT" and g.maker:
                return g.maker
            if n >= 2 and g.type == "ORG":
                return (g.id,)
        return ()

    def _maker_relations(self, text, toks, sent_of, spans, rels, doc_id, date, makers=None) -> list[Relation]:
        """A product and its maker (the gazetteer's `maker`) named in one sentence: the maker
        PRODUCES it (Nvidia's H20, 百度自研的昆仑芯P800, Qualcomm … its Snapdragon processors), unless
        a rule already related the two in this document (英伟达推出H800: LAUNCHED says it) or the
        sentence has a negation. A hedge in the sentence makes it reported. A product whose one
        maker is named only in other sentences of the document gives the same edge at a lower
        confidence (rule ``kb_maker_doc``), not from a sentence about export controls."""
        makers = self._makers if makers is None else makers
        related = _related_pairs(rels)
        by_sent: dict[int, list[tuple[str, str]]] = {}
        flags: dict[int, set[str]] = {}
        for t, si in zip(toks, sent_of):
            if t.tag == "ENT":
                for ent, etype, _s, _e in _names_of(t):
                    by_sent.setdefault(si, []).append((ent, etype))
            elif t.tag in ("NEG", "HEDGE"):
                flags.setdefault(si, set()).add(t.tag)
            elif t.tag == "TRIG" and t.lemma in ("EXPORT", "EXPORT_BLOCK"):
                flags.setdefault(si, set()).add("EXPORT")
        out, done = [], set()

        def emit(m: str, eid: str, si: int, rule: str, confidence: float) -> None:
            done.add((m, eid))
            hedged = "HEDGE" in flags.get(si, ())
            ss, se = spans[si]
            out.append(Relation(m, "PRODUCES", eid, doc_id, ss, se, text[ss:se], rule,
                                confidence * (0.8 if hedged else 1.0), "reported" if hedged else "asserted", "", date))

        for si in sorted(by_sent):
            ents = by_sent[si]
            if "NEG" in flags.get(si, ()):
                continue
            orgs = {e for e, ty in ents if ty == "ORG"}
            for eid, etype in ents:
                if etype != "PRODUCT":
                    continue
                for m in makers.get(eid, ()):
                    if m in orgs and (m, eid) not in related and (m, eid) not in done:
                        emit(m, eid, si, "kb_maker", 0.6)
        # a product whose one maker the document names elsewhere (another sentence): the maker
        # PRODUCES it, with the product's first sentence that has no negation as evidence (rule
        # kb_maker_doc, confidence 0.4)
        all_orgs = {e for ents in by_sent.values() for e, ty in ents if ty == "ORG"}
        for si in sorted(by_sent):
            if "NEG" in flags.get(si, ()) or "EXPORT" in flags.get(si, ()) \
                    or _BAN_WORDS.search(text[spans[si][0]:spans[si][1]]):
                continue  # (a chip named in export controls or a ban is what they hit, not what its maker said)
            for eid, etype in by_sent[si]:
                ms = makers.get(eid, ()) if etype == "PRODUCT" else ()
                if len(ms) == 1 and ms[0] in all_orgs and (ms[0], eid) not in related and (ms[0], eid) not in done:
                    emit(ms[0], eid, si, "kb_maker_doc", 0.4)
        return out

    def _fallback_relations(self, text, toks, sent_of, spans, rels, doc_id, date, only=None) -> list[Relation]:
        """The fallback tier (README, "The fallback tier"): a word of a trigger class with a
        ``fallback`` (INVEST: 投资, invested...) between two names of one clause that no rule related
        in this document: the nearest name before it and the nearest after it, of the types the
        class allows, give the class's relation (confidence 0.5; rule ``fallback_<class>``).

        Chinese: the name before may be anywhere in the clause, a name after that a modifier ends
        (对标ChatGPT的文心一言, ABB集团旗下的…) is passed over, 被/遭 before the name turns it into
        the subject (A被B收购), a clause with 由 or 受到 is left alone. English: both names near the
        word with only function words between (``_EN_GLUE``), "by" right after it turns them round.
        Not in a sentence with a negation; reported under a hedge. Not a product's maker or a government body using,
        buying or integrating a product. Run on each reading (``only``: its sentences), so a
        clause the second reading gave its subject back is read too."""
        fb = self._fallbacks
        related = _related_pairs(rels)
        by_sent: dict[int, list[Tok]] = {}
        for t, si in zip(toks, sent_of):
            by_sent.setdefault(si, []).append(t)
        out, done = [], set()
        for si, ts in sorted(by_sent.items()):
            if only is not None and si not in only:
                continue
            if not any(t.tag == "TRIG" and t.lemma in fb for t in ts) or any(t.tag == "NEG" for t in ts):
                continue
            hedged = any(t.tag == "HEDGE" for t in ts)
            for k, t in enumerate(ts):
                spec = fb.get(t.lemma) if t.tag == "TRIG" else None
                if spec is None or (spec.words and t.text.lower() not in spec.words):
                    continue
                pair = _fallback_pair(ts, k, *self._fallback_types[t.lemma], fb,
                                      spec.relation in ("PARTNER_OF", "COMPETES_WITH", "BENCHMARKED_AGAINST"),
                                      spec.relation == "BENCHMARKED_AGAINST")
                if pair is None:
                    continue
                subj, obj = pair
                if spec.relation == "PRODUCES":
                    si_ = next(m for m, u in enumerate(ts) if u is subj)
                    if si_ > 0 and ts[si_ - 1].text in ("为", "為", "替"):
                        continue  # 矽品为辉达代工CoWoS: the firm after 为 is the customer
                if spec.relation in ("ACQUIRES", "BASED_IN") and \
                        _owns_asset_after(ts, next(m for m, u in enumerate(ts) if u is obj), [si] * len(ts)):
                    continue  # 收购通用汽车位于俄亥俄州的旧厂: the plant is bought, and it is there
                if spec.relation == "INVESTOR_IN" and subj.ent_type == "PERSON" and _official(ts, subj):
                    continue  # "French President Emmanuel Macron has backed Mistral": support, not money
                ss, se = spans[si]

                def emit(s_e: str, rel: str, o_e: str) -> None:
                    done.add((s_e, rel, o_e))
                    out.append(Relation(s_e, rel, o_e, doc_id, ss, se, text[ss:se], "fallback_" + t.lemma.lower(),
                                        0.5 * (0.8 if hedged else 1.0), "reported" if hedged else "asserted", "", date))

                if spec.relation == "BUYS":
                    # A向B订购C: the buyer is a customer of the seller after 向 (a firm)
                    seller = _seller_after_xiang(ts, subj, k)
                    for s_e, _s_t, _s0, _s1 in _names_of(subj) if seller is not None else ():
                        if s_e != seller.entity and (s_e, seller.entity) not in related \
                                and (s_e, "CUSTOMER_OF", seller.entity) not in done:
                            emit(s_e, "CUSTOMER_OF", seller.entity)
                if spec.reverse:
                    subj, obj = obj, subj
                symmetric = self.rules.relation_types[spec.relation].symmetric
                for s_e, s_t, _s0, _s1 in _names_of(subj):
                    if s_t not in spec.subject or (spec.state_subject and s_t != "LOCATION"
                                                   and s_e not in self.state_actors):
                        continue
                    for o_e, o_t, _o0, _o1 in _names_of(obj):
                        if o_t not in spec.object or o_e == s_e or (symmetric and o_t != s_t) \
                                or (spec.state_subject and o_e in self.state_actors):
                            continue
                        if (s_e, o_e) in related or (s_e, spec.relation, o_e) in done:
                            continue
                        if o_t == "PRODUCT" and spec.relation in _USER_RELATIONS and (
                                s_e in self._makers.get(o_e, ()) or s_e in self.state_actors):
                            continue  # a maker using its own chip, a ministry warning against using one
                        emit(s_e, spec.relation, o_e)
        return out

    def _foundry_customers(self, rels, doc_id, date) -> list[Relation]:
        """A firm a rule says makes a product the gazetteer gives to one other maker (中芯国际以7纳米
        工艺代工昇腾910B, the MI300X is manufactured by TSMC) makes it for that maker: the maker is
        its CUSTOMER_OF (rule ``kb_foundry``, confidence 0.5, the same evidence), when the sentence
        speaks of manufacturing (代工, 制程, manufactured, process…) and no rule related the two."""
        related = _related_pairs(rels)
        out, done = [], set()
        for r in rels:
            if r.relation != "PRODUCES" or r.rule.startswith("kb_"):
                continue
            makers = self._makers.get(r.object, ())
            if len(makers) != 1 or r.subject in makers or not _FAB_WORDS.search(r.evidence):
                continue
            m = makers[0]
            if (m, r.subject) in related or (m, r.subject) in done:
                continue
            done.add((m, r.subject))
            out.append(Relation(m, "CUSTOMER_OF", r.subject, doc_id, r.start, r.end, r.evidence, "kb_foundry",
                                0.5, r.certainty, "", date))
        return out

    def _maker_descriptors(self, toks: list[Tok]) -> list[tuple[int, int, str, str, int]]:
        """"The ChatGPT maker", "the iPhone maker", "ChatGPT开发商" stand for the product's maker (the
        gazetteer's `maker`, when it names one firm): the two tokens become one name of the maker, so
        rules read it as the firm. Not where the firm is named next ("ChatGPT开发商OpenAI", "the
        ChatGPT maker OpenAI": the rules read that apposition). Returns (start, end, product, maker,
        start of the new name) of each product so read."""
        out = []
        n = len(toks)
        k = 0
        while k < n - 1:
            t, u = toks[k], toks[k + 1]
            if t.tag == "ENT" and t.ent_type == "PRODUCT" and not t.members and u.tag == "TRIG" \
                    and u.lemma == "MAKER" and len(self._makers.get(t.entity, ())) == 1 \
                    and not (k + 2 < n and toks[k + 2].tag == "ENT" and toks[k + 2].ent_type == "ORG"):
                english = u.text.isascii()
                if not english or (k > 0 and toks[k - 1].text.lower() == "the"
                                   and u.text.lower() in ("maker", "developer", "creator", "designer", "manufacturer")):
                    maker = self._makers[t.entity][0]  # (an ORG: the loader checks makers)
                    first = k - 1 if english else k  # ("the" goes with it: "invest in the ChatGPT maker")
                    toks[first:k + 2] = [Tok(toks[first].start, u.end, "ENT", maker, "ORG", maker,
                                             text=" ".join(x.text for x in toks[first:k + 2]) if english
                                             else t.text + u.text)]
                    out.append((t.start, t.end, t.entity, maker, toks[first].start))
                    n -= k + 1 - first
                    k = first
            k += 1
        return out

    def _short_forms(self, toks: list[Tok], low: str) -> None:
        """A short form (商务部) stands for the longer name it ends (美国商务部) last written before it."""
        for i, t in enumerate(toks):
            if t.tag != "ENT" or t.members:
                continue
            longer = self._longer.get(low[t.start:t.end])
            if not longer:
                continue
            for j in range(i - 1, -1, -1):
                u = toks[j]
                if u.tag == "ENT" and u.entity in longer and not u.members:
                    t.entity = u.entity
                    break

    # ------------------------------------------------------------------ entity patterns
    def _entity_patterns(self, norm, toks: list[Tok], starts: list[int]):
        eng = self.engine
        strings = eng.nlp.vocab.strings
        found = []
        # each sentence is matched after a token of its own that marks its start (TAG END, as the
        # stop of the sentence before will be), so a pattern can say what comes before a name and
        # still find one that opens a sentence (星海智算科技有限公司宣布…)
        ptoks: list[Tok] = []
        back: list[int] = []  # ptoks index -> toks index (-1: a start mark)
        ranges = []
        mark = Tok(0, 0, "END", "\n", text="\n")  # (one per call: a token caches its row of one engine's Docs)
        for lo, hi in _sentence_ranges(toks, starts):
            ranges.append((len(ptoks), len(ptoks) + 1 + hi - lo))
            ptoks.append(mark)
            back.append(-1)
            ptoks.extend(toks[lo:hi])
            back.extend(range(lo, hi))
        segs = eng.candidates(ptoks, ranges, lambda lo: "ent")
        for (lo, hi, keys), matches in zip(segs, eng.match(ptoks, segs)):
            for match_id, s, e, align in matches:
                ep = self.rules.entity_patterns[strings[match_id][1:]]
                ent_idx = [back[lo + s + k] for k, a in enumerate(align) if ep.captures.get(a) == "entity"]
                alias_idx = [back[lo + s + k] for k, a in enumerate(align) if ep.captures.get(a) == "alias"]
                if ent_idx and min(ent_idx + alias_idx) >= 0:
                    found.append((ep, ent_idx, alias_idx))
        # a weak (cue-less) pattern gets only what no other pattern found, and never a name that
        # touches a known one (Meta AI + "Studio" is one name half known, not two names)
        strong = [(min(f[1] + f[2]), max(f[1] + f[2])) for f in found if not f[0].weak]
        found = [f for f in found if not f[0].weak or not (
            any(a <= f[1][-1] and f[1][0] <= b for a, b in strong)
            or (f[1][0] > 0 and toks[f[1][0] - 1].tag == "ENT" and toks[f[1][0] - 1].end == toks[f[1][0]].start - 1)
            or (f[1][-1] + 1 < len(toks) and toks[f[1][-1] + 1].tag == "ENT"
                and toks[f[1][-1] + 1].start == toks[f[1][-1]].end + 1))]
        # longest names first, then left to right: overlapping matches keep the longest
        # (of two patterns finding the same name, a weak one last: the other one gives it its type)
        found.sort(key=lambda f: (-(toks[f[1][-1]].end - toks[f[1][0]].start), f[0].weak, toks[f[1][0]].start))
        text = norm.original
        new: dict[str, Entity] = {}
        names: dict[str, tuple[str, str]] = {}  # folded surface -> (entity id, type)
        weak_keys: set[str] = set()  # names only a weak pattern found: nodes, not relation arguments
        for ep, ent_idx, alias_idx in found:
            first, last = toks[ent_idx[0]], toks[ent_idx[-1]]
            if len(ent_idx) == 1 and first.tag == "ENT":
                eid, etype = first.entity, first.ent_type
            else:
                if any(toks[i].tag == "ENT" for i in ent_idx[1:]):
                    continue  # a known name may only open a new one (Qwen + -Long: a variant)
                surface = text[first.start:last.end].strip()
                if ep.label == "PERSON" and _DOT_NAME_TAIL.search(surface):
                    surface = surface[:-1]  # 塔莎·麦考利则退出: a particle after the name is not of it
                key = fold(surface)
                if not surface or key in self.engine.alias_of or len(surface) > 60:
                    continue
                if key in names:
                    eid, etype = names[key]
                elif self._bare_code(key, ep.label) is not None:
                    eid, etype = self._bare_code(key, ep.label), "PRODUCT"
                    names[key] = (eid, etype)
                    if ep.weak:
                        weak_keys.add(key)
                    continue
                elif ep.label == "PERSON" and (near := self._near_dotted_name(surface)) is not None:
                    # 萨姆·奥尔特曼 (machine translation) is the known 萨姆·阿尔特曼: one part the same,
                    # the other one character apart
                    eid, etype = near, "PERSON"
                    names[key] = (eid, etype)
                    continue
                elif (glossed := _glossed_by_known(toks, ent_idx[-1], ep.label)) is not None:
                    # 名为"铁木"(Ironwood): a found name glossed in brackets by a known one is that one
                    eid, etype = glossed, ep.label
                    names[key] = (eid, etype)
                    continue
                else:
                    eid, etype = "p_" + _slug(surface), ep.label
                    if ep.weak and etype == "ORG" and _listed_with_product(toks, ent_idx[0], ent_idx[-1]):
                        etype = "PRODUCT"  # 文心4.5 Turbo和X1 Turbo: a bare Latin name listed with a product is one
                    if eid in self.rules.gazetteer:
                        eid = "p_" + eid
                    ent = new.get(eid) or Entity(eid, etype, surface, source="pattern")
                    ent.name_en = ent.name_en or (surface if not _CJK.search(surface) else "")
                    ent.name_zh = ent.name_zh or (surface if _CJK.search(surface) else "")
                    new[eid] = ent
                    names[key] = (eid, etype)
                    if ep.weak:
                        weak_keys.add(key)
            if alias_idx:
                a0, a1 = toks[alias_idx[0]], toks[alias_idx[-1]]
                alias = text[a0.start:a1.end].strip()
                akey = fold(alias)
                if alias and akey not in self.engine.alias_of and akey not in names:
                    names[akey] = (eid, etype)
                    if eid in new and alias not in new[eid].aliases:
                        new[eid].aliases.append(alias)
        self._title_person_names(norm, toks, names, new)
        self._clause_start_person_names(norm, toks, names, new)
        self._list_member_names(norm, toks, names, new)
        self._english_list_member_names(norm, toks, names, new, weak_keys)
        self._family_model_names(norm, toks, names, new)
        self._sibling_names(norm, toks, names, new)
        self._cloud_unit_names(norm, toks, names, new)
        self._place_suffix_names(norm, toks, names, new)
        self._venture_names(norm, toks, names, new, weak_keys)
        cased: set[str] = set()  # keys that only match capitalised, as written
        self._surname_keys(names, new, weak_keys, cased)
        self._known_surname_keys(toks, names, new, cased)
        self._first_word_keys(toks, names, cased)
        self._short_keys(toks, names)
        if new:
            # a found name written as a known name's own token elsewhere (MiMo, where 小米MiMo is
            # known and read as 小米 + MiMo) is that known name, not a new one
            known_text = {fold(t.text): (t.entity, t.ent_type) for t in toks if t.tag == "ENT" and not t.members}
            # a found word that is the surname of a known person the text names in full ("Smith
            # says" in a headline before "President Brad Smith") is that person, whatever the finder
            # guessed it to be
            surnames = {fold(t.text.rsplit(" ", 1)[1]): (t.entity, "PERSON") for t in toks
                        if t.tag == "ENT" and t.ent_type == "PERSON" and not t.members and " " in t.text.strip()
                        and t.text.isascii()}
            for key, (eid, etype) in list(names.items()):
                hit = known_text.get(key)
                if hit is None and eid in new and " " not in key and key in surnames:
                    hit, etype = surnames[key], "PERSON"
                if hit is None and eid in new and " " not in key and key.isascii():
                    # "siblings Dario and Daniela Amodei": a given name whose known bearer's surname
                    # the text writes is that person
                    bearers = {pid for sn in surnames for pid in self._given_names_of.get((key, sn), ())}
                    if len(bearers) == 1:
                        hit, etype = (next(iter(bearers)), "PERSON"), "PERSON"
                if hit is not None and eid in new and hit[1] == etype:
                    names[key] = hit
                    if all(v[0] != eid for v in names.values()):
                        del new[eid]
        forced, weak = [], []
        if names:
            low = norm.lower
            known = [(t.start, t.end) for t in toks if t.tag == "ENT"]
            taken: list[tuple[int, int]] = []
            for key, (eid, etype) in sorted(names.items(), key=lambda kv: -len(kv[0])):
                i = low.find(key)
                while i >= 0:
                    j = i + len(key)
                    ok = not (key[0].isascii() and key[0].isalnum() and i > 0 and low[i - 1].isascii()
                              and low[i - 1].isalnum())
                    ok = ok and not (key[-1].isascii() and key[-1].isalnum() and j < len(low)
                                     and low[j].isascii() and low[j].isalnum())
                    ok = ok and (key not in cased or text[i].isupper())
                    # a found name may contain a known one (Qwen-Long over Qwen), never cut one
                    if ok and not any(s < j and i < e for s, e in taken) \
                            and not any(s < j and i < e and not (i <= s and e <= j and (i, j) != (s, e))
                                        for s, e in known):
                        if key in weak_keys:
                            weak.append((i, j, eid, etype))
                        else:
                            maker = self._maker_prefix(key) if etype == "PRODUCT" and eid in new else None
                            forced.append((i, j, eid, etype, maker) if maker else (i, j, eid, etype))
                        taken.append((i, j))
                    i = low.find(key, j)
        if self._words:
            self._standalone_words(norm.lower, toks, names, forced)
        return forced, new, sorted(weak)

    def _maker_prefix(self, key: str) -> tuple | None:
        """(length, firm, "ORG") when a found product's folded name opens with a known firm's name
        and a boundary (deepseek-v2, 寒武纪1a: the firm is mentioned too), else None."""
        for n, g in self._known_heads(key):
            if g.type != "ORG":
                continue
            head, nxt = key[:n], key[n:n + 1]
            if nxt in (" ", "-") or not (head[-1].isascii() and head[-1].isalnum() and nxt.isascii() and nxt.isalnum()):
                return (n, g.id, "ORG")
        return None

    def _standalone_words(self, low: str, toks: list[Tok], names: dict, forced: list) -> None:
        """The gazetteer's ``words`` forms where the text's segmentation reads them as words (本田宣布,
        not 日本田中), in a text that does not name their entity in full (then they are names)."""
        known = None
        for key in self._word_list:
            if key in names:
                continue
            i = low.find(key)
            while i >= 0:
                j = i + len(key)
                if known is None:
                    known = [(t.start, t.end) for t in toks if t.tag == "ENT"] + [(f[0], f[1]) for f in forced]
                if not any(s < j and i < e for s, e in known) and stands_alone(low, i, j, self._word_list):
                    eid, etype = self._words[key]
                    forced.append((i, j, eid, etype))
                    known.append((i, j))
                i = low.find(key, j)

    def _add_found_name(self, surface: str, etype: str, names: dict, new: dict, weak_keys: set | None = None) -> None:
        """A name a context finder found becomes a new entity (source ``pattern``) with its folded
        form in ``names``, unless it is known already: found before, a gazetteer alias, or a known
        firm's short or word form (信越, 电装: read by _short_keys and _standalone_words). Where only
        the weak capitalised-name guess had found it (``weak_keys``) with the same type, the cue of
        the finder confirms it: it becomes a name rules can relate."""
        key = fold(surface)
        if weak_keys and key in weak_keys and names.get(key, ("", ""))[1] == etype:
            weak_keys.discard(key)
        if key in names or key in self.engine.alias_of or key in self._all_short_keys:
            return
        known = self._bare_code(key, etype)
        if known is not None:
            names[key] = (known, "PRODUCT")
            return
        eid = "p_" + _slug(surface)
        if eid in self.rules.gazetteer:
            eid = "p_" + eid
        cjk = bool(_CJK.search(surface))
        new[eid] = Entity(eid, etype, surface, source="pattern", name_en="" if cjk else surface,
                          name_zh=surface if cjk else "")
        names[key] = (eid, etype)

    def _title_person_names(self, norm, toks: list[Tok], names: dict, new: dict) -> None:
        """创始人兼首席执行官梁文锋同时也是…, 联合创始人周昕宇和吴育昕同样…: the Chinese names that open
        the words after a title (kg.segment.leading_person_names: two or three characters before a
        word that follows names; a surname of ``lists/surnames_zh.txt``, not a word of
        ``lists/not_names_zh.txt``) are people, where no pattern found them already."""
        if not self._zh_surnames:
            return
        text = norm.text
        for k in range(len(toks) - 1):
            t, u = toks[k], toks[k + 1]
            title = t.tag == "TITLE" or (t.tag == "GAP" and t.text in ("长", "長") and k > 0 and toks[k - 1].tag == "ENT"
                                         and toks[k - 1].ent_type == "ORG" and toks[k - 1].end == t.start)  # 经济部长
            if not title or u.tag not in ("GAP", "FUNC", "STOP") or u.start != t.end or not _CJK.match(text[u.start]):
                continue
            # the Chinese characters after the title (a name may hold a character the lexicon knows:
            # 李在镕, 任正非), up to the next name; past 为/是 (董事长为陈南翔, 行政总裁则是萧鹏)
            start = u.start
            for w in ("则是", "則是", "为", "為", "是"):
                if text.startswith(w, start):
                    start += len(w)
                    break
            end = start
            limit = min(len(text), start + 12)
            nxt = next((x.start for x in toks[k + 1:k + 8] if x.tag == "ENT"), limit)
            while end < limit and _CJK.match(text[end]):
                end += 1  # (the words after a name decide where it ends: read past a name that follows)
            for a, b in leading_person_names(text[start:end], self._after_names_zh, self._not_names_zh):
                if start + b > nxt:
                    break  # (曾任沙特阿美: it would cut a known name)
                if text[start + a] not in self._zh_surnames and text[start + a:start + a + 2] not in self._zh_surnames:
                    break
                self._add_found_name(norm.original[start + a:start + b], "PERSON", names, new)

    def _clause_start_person_names(self, norm, toks: list[Tok], names: dict, new: dict) -> None:
        """张伟曾任职于谷歌, 李华表示…: a Chinese name of two or three characters opening a sentence or
        a clause, with a surname of ``lists/surnames_zh.txt``, right before a verb that only people
        take there (曾任, 此前, 表示, 出任, 加盟…: ``_PERSON_VERBS``), is a person; not a word of
        ``lists/not_names_zh.txt``, and not where the words could be a name the text writes whole."""
        if not self._zh_surnames:
            return
        text = norm.text
        surnames = self._zh_surnames
        n = len(toks)
        # (only a gap that opens the text or follows a clause's punctuation)
        for k in [0] + [i + 1 for i, u in enumerate(toks) if u.text in _CLAUSE_OPENERS and i + 1 < n]:
            t = toks[k] if k < n else None
            if t is None or t.tag != "GAP" or text[t.start] not in surnames or not _CJK.match(text[t.start]):
                continue
            # the characters from here up to the next token that is no gap (a name may run on into a
            # lexicon word: the verb that follows it)
            end = t.end
            j = k + 1
            while j < len(toks) and toks[j].start == end and end - t.start < 8 and toks[j].tag in ("GAP", "TRIG", "FUNC", "HEDGE", "FORMER", "STOP"):
                end = toks[j].end
                j += 1
            chunk = text[t.start:end]
            for n in (2, 3):
                name, rest = chunk[:n], chunk[n:]
                if len(name) < n or not all(_CJK.match(c) for c in name) or not rest.startswith(_PERSON_VERBS):
                    continue
                if name in self._not_names_zh or name[1:] in self._after_names_zh or any(c in _NOT_IN_A_NAME for c in name):
                    break
                self._add_found_name(norm.original[t.start:t.start + n], "PERSON", names, new)
                break

    def _family_model_names(self, norm, toks: list[Tok], names: dict, new: dict) -> None:
        """昇腾950PR, Claude Opus 4.1, Llama 3.1: a product family the gazetteer knows, written
        with a model code it does not (the scan leaves the family alone rather than cut the longer
        name), is a product of its own: the family's name, at most one capitalised word, and a code
        of digits (with letters, or a point: 950PR, 4.1, 9000S; not a year)."""
        low = norm.lower
        for k, t in enumerate(toks[:-1]):
            if t.tag == "ENT" and t.ent_type == "PRODUCT" and not t.members:
                # a known product with a longer code after it (RTX Pro 6000D, 昇腾910C is known):
                # a code of three digits or more, or digits with letters, right after it
                u = toks[k + 1]
                if u.tag in ("LATIN", "NUM") and u.start - t.end <= 1 and _MODEL_CODE.match(u.text) \
                        and not _YEAR.match(u.text) and (sum(c.isdigit() for c in u.text) >= 3 or not u.text.isdigit()) \
                        and "." not in u.text \
                        and not (k + 2 < len(toks) and toks[k + 2].tag in ("LATIN", "NUM", "ENT")
                                 and toks[k + 2].start == u.end):
                    self._add_found_name(norm.original[t.start:u.end], "PRODUCT", names, new)
                continue
            if t.tag not in ("GAP", "LATIN"):
                continue
            fam = self.engine.alias_of.get(low[t.start:t.end])
            if fam is None or self.rules.gazetteer[fam].type != "PRODUCT":
                continue
            j = k + 1
            if toks[j].tag == "LATIN" and _CAP_WORD.match(toks[j].text) and not _MODEL_CODE.match(toks[j].text) \
                    and j + 1 < len(toks) and toks[j].start - toks[j - 1].end <= 1:
                j += 1  # Claude Opus 4.1
            u = toks[j]
            if u.tag not in ("LATIN", "NUM") or not _MODEL_CODE.match(u.text) or u.start - toks[j - 1].end > 1 \
                    or _YEAR.match(u.text):
                continue
            if j + 1 < len(toks) and toks[j + 1].tag in ("LATIN", "NUM", "ENT") and toks[j + 1].start == u.end:
                continue  # more name after it: not sure where it ends
            self._add_found_name(norm.original[t.start:u.end], "PRODUCT", names, new)

    def _english_list_member_names(self, norm, toks: list[Tok], names: dict, new: dict,
                                   weak_keys: set | None = None) -> None:
        """with Tiger Global, Valor Equity Partners and 1789 Capital: an English enumeration ("A, B
        and C", three or more members) that names an organisation the gazetteer knows and nothing
        else it knows has members made of capitalised words it does not know (one to four, 1789
        too): organisations as well."""
        if " and " not in norm.lower:
            return  # (no English enumeration: most Chinese text)
        n = len(toks)
        units: list[tuple[int, int]] = []  # (first, last) token of each member of the current chain
        seps: list[str] = []

        def close():
            del seps[max(len(units) - 1, 0):]  # (a comma after the last member ends the list)
            if len(units) >= 3 and seps and seps[-1] == "and" and "," in seps:
                ents = [toks[a] for a, b in units if a == b and toks[a].tag == "ENT"]
                if ents and all(e.ent_type == "ORG" and _single(e) for e in ents) \
                        and all(a == b and toks[a].tag == "ENT" or _cap_run(toks, a, b) for a, b in units):
                    for a, b in units:
                        if a == b and toks[a].tag == "ENT":
                            continue
                        surface = norm.original[toks[a].start:toks[b].end]
                        if surface.split()[0].lower() not in self._capitalised_non_names:  # (Others, The…)
                            self._add_found_name(surface, "ORG", names, new, weak_keys)
            units.clear()
            seps.clear()

        k = 0
        while k < n:
            t = toks[k]
            if t.tag == "ENT" and not (t.ent_type == "ORG" and not t.members and k + 1 < n
                                       and toks[k + 1].start == t.end + 1 and _cap_word(toks[k + 1])
                                       and toks[k + 1].text.lower() not in self._capitalised_non_names):
                start = k
                k += 1
            elif t.tag == "ENT" or _cap_word(t):
                # (a known firm with capitalised words after it is a longer name: "Fidelity
                # Management & Research Company" is not Fidelity)
                start = k
                while k + 1 < n and k - start < 4 and (_cap_word(toks[k + 1]) or (toks[k + 1].text == "&" and k + 2 < n
                                                                                 and _cap_word(toks[k + 2]))):
                    k += 1
                k += 1
            else:
                close()
                k += 1
                continue
            units.append((start, k - 1))
            if k < n and toks[k].text == "," and k + 1 < n and toks[k + 1].text == "and":
                seps.append("and")
                k += 2
            elif k < n and (toks[k].text == "," or toks[k].text == "and"):
                seps.append(toks[k].text)
                k += 1
            else:
                close()

    def _sibling_names(self, norm, toks: list[Tok], names: dict, new: dict) -> None:
        """Daniela Amodei: a given name (lists/given_names_en.txt) right before a known person's
        surname alone is another person of that family, not the one the gazetteer knows (Dario)."""
        given = self._given_names
        if not given:
            return
        for k in range(len(toks) - 1):
            t, u = toks[k], toks[k + 1]
            if t.tag != "LATIN" or t.text not in given or u.tag != "ENT" or u.ent_type != "PERSON" or u.members \
                    or u.start != t.end + 1 or " " in u.text or not u.text[:1].isupper():
                continue
            known = self.rules.gazetteer.get(u.entity)
            if known is None or fold(known.name_en).startswith(fold(t.text) + " "):
                continue
            self._add_found_name(norm.original[t.start:u.end], "PERSON", names, new)

    def _cloud_unit_names(self, norm, toks: list[Tok], names: dict, new: dict) -> None:
        """华为云, 京东云, 金山云: a firm the gazetteer knows with 云 (cloud) right after it is its
        cloud unit, a firm of its own (named with its parent, so the prefix rules make it PART_OF)."""
        if "云" not in norm.text:
            return
        for k in range(len(toks) - 1):
            t, u = toks[k], toks[k + 1]
            if t.tag != "ENT" or t.ent_type != "ORG" or t.members or u.tag != "GAP" or u.start != t.end \
                    or norm.text[u.start:u.end] not in ("云", "智能云") or not _CJK.search(t.text) \
                    or (k + 2 < len(toks) and toks[k + 2].start == u.end
                        and toks[k + 2].tag not in ("PUNCT", "SEP", "END", "FUNC", "TRIG", "STOP", "HEDGE", "NEG")):
                continue  # (奥拉克尔云基础设施: a longer name)
            self._add_found_name(norm.original[t.start:u.end], "ORG", names, new)

    def _place_suffix_names(self, norm, toks: list[Tok], names: dict, new: dict) -> None:
        """美国印第安纳州西拉法叶, 北海道千岁市, 德国东部萨克森邦: right after a place the gazetteer knows,
        Chinese words ending in a word of an administrative unit (州, 市, 省, 县, 邦, 郡) are a place
        inside it (a direction word such as 东部 may stand between), not 城市, 上市 or 全省."""
        text = norm.text
        if not any(c in text for c in _PLACE_UNITS):
            return
        for k in range(len(toks) - 1):
            t, u = toks[k], toks[k + 1]
            if t.tag != "ENT" or t.ent_type != "LOCATION" or t.members or u.tag != "GAP" or u.start != t.end:
                continue
            m = _PLACE_AFTER_PLACE.match(text, u.start, u.end)
            if m is None or m.group(2) in _NOT_PLACES or m.group(2).endswith(("联邦", "聯邦")):
                continue  # (加州北区联邦法院: federal, not a state)
            self._add_found_name(norm.original[m.start(2):m.end(2)], "LOCATION", names, new)

    def _venture_names(self, norm, toks: list[Tok], names: dict, new: dict, weak_keys: set | None = None) -> None:
        """SoftBank and OpenAI formed a joint venture, SB OpenAI Japan, …; a joint venture called
        Carizon: the capitalised words (known names among them) right after "joint venture" and a
        comma, "called" or "named" are an organisation of their own."""
        if "venture" not in norm.lower:
            return
        n = len(toks)
        for k, t in enumerate(toks):
            if t.tag != "TRIG" or t.text.lower() not in ("joint venture", "venture", "joint-venture"):
                continue
            j = k + 1
            if j < n and (toks[j].text == "," or toks[j].text.lower() in ("called", "named", "dubbed")):
                j += 1
            else:
                continue
            a = j
            while j < n and j - a < 5 and (toks[j].tag in ("LATIN", "ENT", "NUM") and toks[j].text[:1].isupper()
                                           or toks[j].tag == "NUM") and (j == a or toks[j].start <= toks[j - 1].end + 1):
                j += 1
            if j == a or (j < n and toks[j].tag in ("LATIN", "ENT")):
                continue
            if j - a == 1 and toks[a].tag == "ENT":
                continue  # (a known name: it is that firm)
            surface = norm.original[toks[a].start:toks[j - 1].end]
            if surface.split()[0].lower() not in self._capitalised_non_names:
                self._add_found_name(surface, "ORG", names, new, weak_keys)

    def _list_member_names(self, norm, toks: list[Tok], names: dict, new: dict) -> None:
        """投资方包括美团、蚂蚁集团、阿里巴巴和腾讯, 月之暗面、百川智能、阶跃星辰和零一万物: a Chinese
        enumeration (、) of organisations the gazetteer knows, two or more and nothing else named in
        it, has members it does not know: a word of two to six characters between two of its marks,
        or opening it, is an organisation too."""
        text = norm.text
        if "、" not in text:
            return
        n = len(toks)
        k = 0
        while k < n:
            if not (toks[k].tag == "SEP" and toks[k].text == "、"):
                k += 1
                continue
            lo = k - 1  # the enumeration's extent: members and marks (、和及与) in turn
            while lo - 1 >= 0 and toks[lo - 1].tag == "SEP" and toks[lo - 1].text in _LIST_MARKS:
                lo -= 2
            hi = k + 1
            while hi + 1 < n and toks[hi + 1].tag == "SEP" and toks[hi + 1].text in _LIST_MARKS:
                hi += 2
            lo, hi = max(lo, 0), min(hi, n - 1)
            members = toks[lo:hi + 1:2]
            marks = toks[lo + 1:hi:2]
            k = hi + 1
            if not any(m.text == "、" for m in marks) or any(m.tag == "SEP" and m.text not in _LIST_MARKS for m in marks):
                continue
            known = [m for m in members if m.tag == "ENT"]
            if len(known) < 2 or any(m.ent_type != "ORG" or not _single(m) for m in known):
                continue
            for i in range(lo, hi + 1, 2):
                m = toks[i]
                if m.tag != "GAP" or any(0 <= j < n and (toks[j].tag in ("ENT", "LATIN", "NUM", "SUFFIX")
                                                         or toks[j].text[:1].isascii() and toks[j].text[:1].isalnum())
                                         and (toks[j].end == m.start or toks[j].start == m.end) for j in (i - 1, i + 1)):
                    continue  # (小米和红杉中国: a word next to a name is part of a longer one)
                word = text[m.start:m.end]
                if 2 <= len(word) <= 6 and all("\u4e00" <= c <= "\u9fff" for c in word) \
                        and not any(c in _NOT_IN_A_NAME for c in word):
                    self._add_found_name(norm.original[m.start:m.end], "ORG", names, new)

    def _surname_keys(self, names: dict, new: dict, weak_keys: set, cased: set) -> None:
        """A person found by a pattern under a Latin name ("Megan Garcia") is "Garcia" further on,
        not when two of them share it (Matthew and Maria Raine); a weak guess at the surname
        ("Later, Garcia said") gives way to the person."""
        surnames: dict[str, set[str]] = {}
        for key, (eid, etype) in names.items():
            parts = key.split()
            if etype == "PERSON" and eid in new and len(parts) >= 2 and parts[-1].isascii() \
                    and parts[-1].isalpha() and len(parts[-1]) >= 3:
                surnames.setdefault(parts[-1], set()).add(eid)
        for last, eids in surnames.items():
            if len(eids) == 1 and (last not in names or last in weak_keys) and last not in self.engine.alias_of:
                if last in weak_keys:
                    weak_keys.discard(last)
                    guess = names[last][0]
                    if guess in new and all(v[0] != guess for k, v in names.items() if k != last):
                        del new[guess]
                names[last] = (next(iter(eids)), "PERSON")
                cased.add(last)

    def _near_dotted_name(self, surface: str) -> str | None:
        """The known person a found dotted Chinese name is a variant of: the same first part and a
        last part one character apart (萨姆·奥尔特曼 and 萨姆·阿尔特曼), or the other way round; None
        unless exactly one person fits."""
        parts = _DOTS_SPLIT.split(surface.strip())
        if len(parts) < 2 or not all(_CJK_ONLY.match(x) for x in parts):
            return None
        first, last = parts[0], parts[-1]
        found: set[str] = set()
        for pos, same, other in ((0, first, last), (1, last, first)):
            if len(same) < 2 or len(other) < 2:
                continue
            for eid, q_first, q_last in self._dotted.get((pos, same), ()):
                if _one_apart(q_last if pos == 0 else q_first, other):
                    found.add(eid)
        return next(iter(found)) if len(found) == 1 else None

    def _known_surname_keys(self, toks: list[Tok], names: dict, new: dict, cased: set) -> None:
        """A known person the text names in full in Latin letters ("Jensen Huang", "Liang Wenfeng")
        is his surname alone further on ("Huang said", "Liang founded"): the last word, or the first
        where it is an East Asian surname and the last is not. Not where two people the text names
        share it (Jack Ma and Pony Ma), nor a surname that is an English word ("He Tingbo")."""
        east = self._east_asian_surnames
        found: dict[str, set[str]] = {}
        for t in toks:
            if t.tag != "ENT" or t.ent_type != "PERSON" or t.members or not t.text.isascii():
                continue
            parts = t.text.strip().split()
            if len(parts) < 2:
                continue
            last = parts[-1] if not (parts[0] in east and parts[-1] not in east) else parts[0]
            if last[:1].isupper() and last.replace("-", "").isalpha() and len(last) >= 2:
                found.setdefault(fold(last), set()).add(t.entity)
        if not found:
            return
        for key, (eid, etype) in names.items():  # people found by a pattern share surnames too
            parts = key.split()
            if etype == "PERSON" and len(parts) >= 2 and parts[-1] in found:
                found[parts[-1]].add(eid)
        for key, eids in found.items():
            if len(eids) != 1 or key in names or key in self.engine.alias_of or key in self._capitalised_non_names \
                    or key in _EN_FUNCTION_WORDS:
                continue
            names[key] = (next(iter(eids)), "PERSON")
            cased.add(key)

    def _short_keys(self, toks: list[Tok], names: dict) -> None:
        """A gazetteer entity's short forms (广达 for 广达电脑, 字节 for 字节跳动: words or parts of
        words elsewhere) name it in a text that names it otherwise too."""
        if not self._short:
            return
        for t in toks:
            if t.tag != "ENT":
                continue
            for ent, etype, _s, _e in _names_of(t):
                for key in self._short.get(ent, ()):
                    if key not in names and key not in self.engine.alias_of:
                        names[key] = (ent, etype)

    def _first_word_keys(self, toks: list[Tok], names: dict, cased: set) -> None:
        """A company written in full in Latin ("Applied Materials", "Thinking Machines Lab") is its
        first word further on ("Applied said"), written with a capital, when that word is no other
        name, no common capitalised word and the first word of no other company in the document."""
        firsts: dict[str, set[str]] = {}
        for t in toks:
            if t.tag == "ENT" and t.ent_type == "ORG" and not t.members and " " in t.text and t.text.isascii():
                w = t.text.split()[0]
                if len(w) >= 3 and w.isalpha() and w[0].isupper() and not w.isupper():
                    firsts.setdefault(w.lower(), set()).add(t.entity)
        for w, eids in firsts.items():
            if len(eids) == 1 and w not in names and w not in self.engine.alias_of \
                    and w not in self._capitalised_non_names:
                eid = next(iter(eids))
                names[w] = (eid, self.rules.gazetteer[eid].type if eid in self.rules.gazetteer else "ORG")
                cased.add(w)

    # ------------------------------------------------------------------ relations
    def _relations(self, text, toks, sent_of, spans, sent_lang, doc_id, date, only=None) -> list[Relation]:
        """The edges the relation rules find in the sentences of ``toks`` (those in ``only``)."""
        if not self.rules.relation_rules or not toks:
            return []
        eng = self.engine
        out: list[Relation] = []
        # sentence token ranges; spaCy only sees sentences where some rule can fire
        bounds: list[tuple[int, int]] = []
        i = 0
        n = len(toks)
        while i < n:
            j = i
            while j < n and sent_of[j] == sent_of[i]:
                j += 1
            if only is None or sent_of[i] in only:
                bounds.append((i, j))
            i = j
        strings = eng.nlp.vocab.strings
        segs = eng.candidates(toks, bounds, lambda lo: sent_lang[sent_of[lo]], need_ents=True)
        hedges = [i for i, t in enumerate(toks) if t.tag == "HEDGE"]  # token indices, ascending
        for (lo, hi, keys), found in zip(segs, eng.match(toks, segs)):
            matches = [(s + lo, e + lo, strings[mid], align) for mid, s, e, align in found]
            matches.sort(key=lambda m: (m[0], m[1], m[2]))
            for s, e, key, align in matches:
                out.extend(self._match_relations(text, toks, sent_of, spans, sent_lang, doc_id, date,
                                                 s, e, key, align, hedges))
        return out

    def _match_relations(self, text, toks, sent_of, spans, sent_lang, doc_id, date, s, e, key, align,
                         hedges):
        rtypes = self.rules.relation_types
        out: list[Relation] = []
        rid, _, pidx = key.rpartition("#")
        rule = self.rules.relation_rules[rid]
        si = sent_of[s]
        if e - s > MAX_MATCH_TOKENS:
            return out
        if rule.lang != "any" and sent_lang[si] != rule.lang:
            return out
        caps = rule.captures[int(pidx)]
        roles: dict[str, list[int]] = {}
        for k, a in enumerate(align):
            r = caps.get(a)
            if r:
                roles.setdefault(r, []).append(s + k)
        # polarity: a negation inside the match (or just before it) means no edge
        lo = s
        while lo > 0 and s - lo < 2 and sent_of[lo - 1] == si:
            lo -= 1
        if any(toks[i].tag == "NEG" for i in range(lo, e)):
            return out
        if rule.not_after and s > 0 and sent_of[s - 1] == si:
            prev = toks[s - 1]  # a guard token a pattern cannot start with cheaply
            if prev.lemma in rule.not_after or "TAG:" + prev.tag in rule.not_after:
                return out
        if rule.subject_not_after and "subject" in roles:
            k = roles["subject"][0] - 1
            if k >= 0 and sent_of[k] == si and toks[k].lemma in rule.subject_not_after:
                return out  # 向英伟达订购: the organisation after 向 is the seller, not the buyer
        rels = self._rule_relations(rule, roles, toks)
        if not rels:
            return out
        if "object" in roles and rule.relation not in _PERSON_ORG_RELATIONS:
            # 收购苹果前设计总监艾维创立的io公司, 起诉台积电前工程师: a firm written before a title
            # describes a person; it is not what the verb acts on
            # (a title with no name after it may stand for the firm: 约谈英伟达高管)
            # ("the main backer of OpenAI rival Anthropic": the name meant is the one after "rival")
            roles["object"] = [
                i + 2 if _names_next(toks, i, e, sent_of) else i for i in roles["object"]
                if not (toks[i].tag == "ENT" and toks[i].ent_type == "ORG" and i + 2 < len(toks)
                        and sent_of[i + 1] == si and (toks[i + 1].tag == "FORMER" or toks[i + 1].tag == "TITLE"
                                                      and toks[i + 2].ent_type == "PERSON"))]
            if not roles["object"]:
                return out
        # "A, B and Reid Hoffman, the LinkedIn co-founder": an apposition the match reads after a
        # list is about the list's last member only
        # ("Dell and Supermicro, the American server makers": a plural apposition is about them all)
        last_only = {ti for idxs in roles.values() for ti in idxs
                     if len(toks[ti].members) > 1 and ti + 2 < e and toks[ti + 1].text == ","
                     and (toks[ti + 2].text.lower() in _ARTICLES or toks[ti + 2].text.lower() == "its"
                          or toks[ti + 2].tag == "TITLE")
                     and not _plural_apposition(toks, ti + 2)}
        if any(_is_source(toks, i) for i in roles.get("subject", ())):
            return out  # 据路透社报道: the news agency is the source, not the actor
        if any(e > i + 2 and _attribution_after(toks, i, sent_of) for r in ("subject", "object")
               for i in roles.get(r, ())):
            # "…from Hugging Face and GitHub, the Hangzhou-based company said.": the firm that speaks
            # is not an apposition of the name before it
            return out
        if any(_in_closed_relative(toks, i, e, sent_of) for i in roles.get("subject", ())):
            # "Daniel Gross, who co-founded SSI with Ilya Sutskever, also left the start-up": the
            # name inside the relative clause is not who acts after it (the third reading reads it)
            return out
        if rule.relation != "PART_OF" and any(_names_parent(toks, i, e) for r in ("subject", "object")
                                              for i in roles.get(r, ())):
            return out  # 收购ABB集团旗下的机器人业务: the name before 旗下 is the parent of the one meant
        if rule.relation in ("USES", "CUSTOMER_OF", "BUYS", "INTEGRATES") and any(
                toks[k].text.lower() in ("using", "buying", "deploying") and toks[k - 1].text.lower() in ("that", "said", "says", "warned")
                for k in range(max(s, 1), e)):
            return out  # "the department said that using Huawei's chips could violate…": no one in the sentence uses them
        if rule.relation == "PRODUCES" and any(_supplied_to(toks, i, sent_of) for i in roles.get("object", ()) if i == e - 1):
            return out  # SK海力士是英伟达HBM的最大供应商: the HBM supplied to Nvidia, not Nvidia's make
        if rule.relation in ("ACQUIRES", "BASED_IN") and any(
                _owns_asset_after(toks, i, sent_of) for i in roles.get("object", ()) if i == e - 1):
            # 收购通用汽车位于俄亥俄州的旧厂, 收购英特尔的芯片业务: a plant, a business or shares of the
            # firm are bought, not the firm; 位于俄亥俄州的旧厂: the plant is there, not the firm
            return out
        subj_args = self._args(toks, roles.get("subject", []), sent_of, exclude=roles.get("object", []),
                               last_only=last_only)
        obj_args = self._args(toks, roles.get("object", []), sent_of, exclude=roles.get("subject", []),
                              last_only=last_only)
        if "pair" in roles:
            members = self._args(toks, roles["pair"], sent_of)
            if subj_args or obj_args:
                others = subj_args or obj_args
                pairs = [(m, o) for m in members for o in others]
            else:
                pairs = [(a, b) for i, a in enumerate(members) for b in members[i + 1:]]
        else:
            if not subj_args and rule.fallback_subject and "subject" not in roles:
                subj_args = _fallback(toks, s, sent_of, rule.fallback_subject, state_actors=self.state_actors)
            if not obj_args and rule.fallback_object and "object" not in roles:
                de = s >= 2 and toks[s - 1].text == "的"
                k = s - 2 if de else s - 1
                owner = toks[k] if k >= 0 and sent_of[k] == si and toks[k].ent_type == "ORG" else None
                if owner is not None and not de and not owner.anaphor:
                    owner = None  # (a name right before the match without 的 is seldom its owner)
                if owner is not None and owner.anaphor and "ORG" in rule.fallback_object.get("types", ()):
                    ref = _resolve_anaphor(toks, k, sent_of, {a for a, _ in subj_args}, self.state_actors)
                    obj_args = [ref] if ref else []  # 公司股东包括…: the company the word stands for
                elif owner is not None and owner.tag == "ENT" and _single(owner) \
                        and owner.ent_type in rule.fallback_object.get("types", ()) \
                        and owner.entity not in {a for a, _ in subj_args}:
                    obj_args = [(owner.entity, owner.ent_type)]  # 壁仞的投资者包括…: the owner written before
                else:
                    # (a government body sells nothing: 获得美国商务部补助…主要客户包括苹果 are the firm's)
                    obj_args = _fallback(toks, s, sent_of, rule.fallback_object,
                                         exclude={a for a, _ in subj_args} | (self.state_actors if rule.relation == "CUSTOMER_OF" else set()),
                                         state_actors=self.state_actors)
            pairs = [(a, b) for a in subj_args for b in obj_args]
        if rule.state_actor_subject:  # only a state, or a body named with one, orders companies
            pairs = [(a, b) for a, b in pairs if a[1] == "LOCATION" or a[0] in self.state_actors]
        if "REGULATES" in (r for r, _ in rels):  # a government body is not what a state regulates
            pairs = [(a, b) for a, b in pairs if b[0] not in self.state_actors]
        if not pairs:
            return out
        # a hedge word in the sentence, up to 40 tokens before the match or inside it
        hedged = False
        for i in hedges[bisect.bisect_left(hedges, max(0, s - 40)):]:
            if i >= e:
                break
            if sent_of[i] == si:
                hedged = True
                break
        ss, se = spans[si]
        for relname, qualifier in rels:
            rt = rtypes[relname]
            for (sid, stype), (oid, otype) in pairs:
                if sid == oid:
                    continue
                if stype not in rt.domain or otype not in rt.range:
                    if rt.symmetric and otype in rt.domain and stype in rt.range:
                        sid, stype, oid, otype = oid, otype, sid, stype
                    else:
                        continue
                if rt.symmetric and oid < sid:
                    sid, oid = oid, sid
                # the chair of a government body (委员会主席, 会长) heads it; a company's chair chairs it
                name = "HEAD_OF" if relname == "CHAIRMAN_OF" and oid in self.state_actors \
                    and "HEAD_OF" in rtypes else relname
                if relname == "BASED_IN" and sid in self.state_actors and "PART_OF" in rtypes:
                    # 中国国家互联网信息办公室, Britain's CMA: a state's body is part of it; not of
                    # another state its names do not give (美國 商務部: 商務部 read as China's)
                    home = self._home_states(sid)
                    if home and oid not in home:
                        continue
                    name = "PART_OF"
                out.append(Relation(sid, name, oid, doc_id, ss, se, text[ss:se], rule.id,
                                    rule.confidence * (0.8 if hedged else 1.0),
                                    "reported" if hedged else "asserted",
                                    qualifier or rule.qualifier, date))
        return out

    def _rule_relations(self, rule, roles, toks) -> list[tuple[str, str]]:
        if rule.relation != "from_title":
            return [(rule.relation, "")]
        out = []
        for i in roles.get("relation", []):
            for cls_name, former in toks[i].titles or ((toks[i].lemma, ""),):
                cls = self.rules.lexicon.get(cls_name)
                if cls is not None and cls.relation:
                    out.append((cls.relation, ",".join(q for q in (former, cls.qualifier) if q)))
        return out

    def _args(self, toks, idxs, sent_of, exclude=(), last_only=frozenset()) -> list[tuple[str, str]]:
        out = []
        excluded = {toks[i].entity for i in exclude if toks[i].entity}
        for i in idxs:
            t = toks[i]
            if t.tag == "ENT":
                members = t.members or ((t.entity, t.ent_type, 0, 0),)
                for ent, etype, _, _ in (members[-1:] if i in last_only else members):
                    out.append((ent, etype))
            elif t.anaphor:
                ref = self._fixed.get(t.lemma) or _resolve_anaphor(toks, i, sent_of, excluded, self.state_actors)
                if ref:
                    out.append(ref)
        return out


    # ------------------------------------------------------------------ compounds: 美国商务部 -> 美国
    def _name_part(self, key: str, entity: str, at_end: bool = False):
        """The entity named by the longest proper prefix of a folded name (美国商务部工业与安全局
        -> 美国商务部), or with ``at_end`` its longest proper suffix (arm china -> china, 安世中国 ->
        中国; not after "on": a committee on China), not cutting a Latin word ("goog" is not a name
        inside "google"); None if there is none (kept per name and entity: the same names come back)."""
        memo = self._prefix_memo
        found = memo.get((at_end, key, entity), memo)
        if found is not memo:
            return found
        found = None
        cuts = range(1, len(key) - 1) if at_end else range(len(key) - 1, 1, -1)
        for cut in cuts:
            if key[cut - 1].isascii() and key[cut - 1].isalnum() and key[cut].isascii() and key[cut].isalnum():
                continue
            inner = self._loc_keys.get(key[cut:].lstrip() if at_end else key[:cut].rstrip())
            if inner is not None and inner.id != entity:
                if not (at_end and key[:cut].rstrip().endswith((" on", " against", " for", " to"))):
                    found = inner
                break
        if len(memo) > 50_000:
            memo.clear()
        memo[(at_end, key, entity)] = found
        return found

    def _prefix_relations(self, norm, mentions, spans, starts, doc_id, date) -> tuple[list[Relation], list[Mention]]:
        """Relations a name states by its shape (美国商务部 -> 美国, Google DeepMind -> Google), and
        the mention of the inner name, which the text does contain."""
        text = norm.original
        out: list[Relation] = []
        inner_mentions: list[Mention] = []
        # only where the text also names the parent on its own, unless the rule says parent_named:
        # false ("Amazon Web Services" puts Amazon in the story for the annotators of the opened
        # sets). With an ORG parent that holds for Latin names only: the sample's gold reads 亚马逊云
        # as AWS alone, where others read 阿里云 as naming Alibaba. A name a pattern found that
        # starts with a firm's name is mostly that firm itself ("Fidelity Management & Research"),
        # and a state body's committee does not put its chamber in the story: those need the parent
        # named too
        named = {m.entity for m in mentions}
        gaz = self.rules.gazetteer
        for rule in self.rules.prefix_rules:
            inner_types = rule["inner"] if isinstance(rule["inner"], list) else [rule["inner"]]
            must, must_not = rule.get("_outer_name"), rule.get("_outer_name_not")
            for m in mentions:
                if m.type != rule["outer"]:
                    continue
                key = norm.lower[m.start:m.end]  # already folded
                key = _TRAILING_BRACKET.sub("", key) or key  # 英国竞争及市场管理局（cma）: the name before the bracket
                if (must is not None and not must.search(key)) or (must_not is not None and must_not.search(key)):
                    continue
                at_end = rule.get("at_end", False)
                inner = self._name_part(key, m.entity, at_end)
                ids = rule.get("inner_ids")
                if inner is not None and ids is not None and inner.id not in ids:
                    continue
                parent_ok = inner is not None and (inner.id in named or (
                    not rule.get("parent_named", True) and (inner.type != "ORG" or (
                        m.entity in gaz and m.entity not in self.state_actors and key.isascii()))))
                if parent_ok and inner.type in inner_types:
                    si = max(0, bisect.bisect_right(starts, m.start) - 1)
                    ss, se = spans[si]
                    relation = rule["relation"]
                    if relation == "PART_OF" and self._parents.get(m.entity) is not None \
                            and self._parents.get(m.entity) == self._parents.get(inner.id):
                        continue  # SoftBank Vision Fund 2 is SoftBank's, as Vision Fund is: siblings, not a unit of each other
                    if relation == "BASED_IN" and m.entity in self.state_actors:
                        relation = "PART_OF"  # 中国证监会, the US Army: a state's body is part of the state
                    out.append(Relation(m.entity, relation, inner.id, doc_id, ss, se,
                                        text[ss:se], rule["id"], float(rule.get("confidence", 0.9)),
                                        date=date))
                    n = self._part_len(key, inner, at_end)
                    s0 = m.start + len(key) - n if at_end else m.start  # (the name before a trailing bracket)
                    inner_mentions.append(Mention(s0, s0 + n, text[s0:s0 + n], inner.id,
                                                  inner.type, "gazetteer", rule["id"]))
            if rule["id"] == "prefix_state_agency" and must is not None:
                # the state written just before a body named without it (the U.S. Commerce
                # Department, 美國 商務部): the same reading over two names
                ordered = sorted(mentions, key=lambda m: (m.start, m.end))
                for a, b in zip(ordered, ordered[1:]):
                    joined = b.start == a.end or (b.start == a.end + 1 and text[a.end] == " "
                                                    and a.text.isascii() and b.text.isascii())
                    if a.type != "LOCATION" or b.type != "ORG" or b.entity == a.entity or not joined \
                            or not must.search(norm.lower[b.start:b.end]) or b.entity not in self.state_actors:
                        continue  # (中国国家市场监督管理总局, the U.S. Commerce Department; not across a space in Chinese)
                    si = max(0, bisect.bisect_right(starts, b.start) - 1)
                    ss, se = spans[si]
                    out.append(Relation(b.entity, rule["relation"], a.entity, doc_id, ss, se, text[ss:se],
                                        rule["id"], float(rule.get("confidence", 0.9)), date=date))
        return out, inner_mentions

    def _part_len(self, key: str, inner, at_end: bool = False) -> int:
        """The length of the prefix (or with ``at_end`` the suffix) of ``key`` that names ``inner``."""
        for cut in (range(1, len(key) - 1) if at_end else range(len(key) - 1, 1, -1)):
            part = key[cut:] if at_end else key[:cut]
            if self._loc_keys.get(part) is inner:
                return len(part.rstrip())
        return 0

    def _state_bodies(self) -> set[str]:
        """Organisations named as government bodies (美国商务部, 国家市场监督管理总局, Federal Trade
        Commission, Office of Foreign Assets Control): with the states themselves, the actors an
        implicit export-control subject may be, and the only organisations that regulate."""
        return {e.id for e in self.rules.gazetteer.values()
                if e.type == "ORG" and any(_GOV_BODY.search(n) and not _NEWS.search(n) for n in e.names())}


class _LazyLang:
    """Per-sentence language, computed only for sentences where a language-specific rule fired."""

    def __init__(self, text, spans, fixed):
        self.text, self.spans, self.fixed, self.cache = text, spans, fixed, {}

    def __getitem__(self, i):
        if self.fixed:
            return self.fixed
        v = self.cache.get(i)
        if v is None:
            s, e = self.spans[i]
            v = self.cache[i] = detect_language(self.text[s:e])
        return v


# English words that are also surnames (He Tingbo, Long, Young): never read alone as the person
_EN_FUNCTION_WORDS = frozenset(("he", "she", "it", "we", "an", "as", "at", "by", "do", "go", "in", "is", "me", "my",
                                "no", "of", "on", "or", "so", "to", "up", "us", "the", "and", "but", "for", "may",
                                "will", "can", "new", "march", "april", "june", "ai"))
_EN_PREPOSITIONS = frozenset(("for", "to", "with", "from", "by", "against", "into", "than", "over", "like"))
_CLAUSE_JOINERS = frozenset(("and", "but", "although", "though", "while", "whereas", "yet"))


def _clause_opening_name(toks, i: int, start: int, types, exclude) -> tuple[str, str] | None:
    """The name that opens the English clause token ``start`` is in, for a clause joined to the
    sentence by a comma and a conjunction (", and Qualcomm said…", ", and the French start-up Mistral
    AI uses…"); a joined clause that opens with no name ("…, although its cloud…") belongs to the
    clause before it. None when the clause is the sentence's first (``i``: the token before it)."""
    k = start - 1
    while k > i + 1:
        if toks[k].text.lower() in _CLAUSE_JOINERS and toks[k - 1].text in (",", ";"):
            for j in range(k + 1, min(k + 6, start)):
                t = toks[j]
                if t.tag == "ENT":
                    if t.ent_type in types and _single(t) and t.entity not in exclude:
                        return (t.entity, t.ent_type)
                    if t.ent_type != "LOCATION":
                        break
                elif not (t.tag in ("STOP", "GAP", "LATIN", "LISTFILL") or t.lemma in ("FIRM", "MAKER")
                          or (t.anaphor and t.ent_type == "LOCATION")):
                    break
        k -= 1
    return None


def _fallback(toks, start, sent_of, spec, exclude=(), state_actors=frozenset()) -> list[tuple[str, str]]:
    """An implicit argument: the nearest earlier name of the given types (optionally one followed
    by a word of the given classes, as 美国 in 美国出口管制), or the sentence's first such name."""
    types = set(spec.get("types", []))
    if spec.get("state_actor"):
        ok = lambda t: t.ent_type == "LOCATION" or t.entity in state_actors  # noqa: E731
    else:
        ok = lambda t: True  # noqa: E731
    followed = set(spec.get("followed_by", []))
    window = int(spec.get("sentences", 3))
    si = sent_of[start]
    if spec.get("first_in_sentence_with"):
        classes = set(spec["first_in_sentence_with"])
        i = start
        while i >= 0 and si - sent_of[i] <= window:
            k = sent_of[i]
            j = i
            while j > 0 and sent_of[j - 1] == k:
                j -= 1
            e = i
            while e + 1 < len(toks) and sent_of[e + 1] == k:
                e += 1
            if any(toks[m].lemma in classes for m in range(j, e + 1)):
                skip = _holders(toks, j, e + 1) if spec.get("skip_holders") else ()
                for m in range(j, min(e + 1, start)):
                    t = toks[m]
                    if t.tag == "ENT" and t.ent_type in types and _single(t) and t.entity not in exclude \
                            and t.entity not in skip and ok(t) and not _modifies(toks, m, start, classes) \
                            and not _is_source(toks, m):
                        u = toks[m + 1] if m + 1 < len(toks) else None
                        if t.ent_type == "LOCATION" and u is not None and u.tag == "ENT" and u.ent_type == "ORG" \
                                and u.ent_type in types and _single(u) and u.entity in state_actors \
                                and u.entity not in exclude:
                            return [(u.entity, u.ent_type)]  # "the U.S. Commerce Department": the body
                        return [(t.entity, t.ent_type)]
            i = j - 1
        return []
    if spec.get("clause_subject"):
        # the subject of an earlier clause: a name opening its clause (after the sentence start or a
        # comma, and only time words, numbers or hedges before it), the nearest one first

        def subject_at(k: int) -> list | None:
            """What a clause-opening name or anaphor at ``k`` gives (an anaphor says who through the
            clause before: "，公司将…，并推出…"); None when no clause opens with one there."""
            t = toks[k]
            if t.ent_type not in types or not _opens_clause(toks, k, sent_of) or _is_source(toks, k):
                return None  # (a wire dateline's agency opens no clause: "BEIJING (Reuters) - Kunlunxin…")
            if (t.tag == "ENT" and _single(t) or t.anaphor) and k + 1 < len(toks) and toks[k + 1].text in _PARENT_OF:
                # 鸿海旗下的鸿佰科技…: the unit after 旗下 is the clause's subject, not its parent
                for m in range(k + 2, min(k + 4, len(toks))):
                    u = toks[m]
                    if u.tag == "ENT" and u.ent_type in types and _single(u) and u.entity not in exclude:
                        return [(u.entity, u.ent_type)]
            if t.tag == "ENT" and _single(t) and t.entity not in exclude and ok(t):
                return [(t.entity, t.ent_type)]
            if t.anaphor:
                ref = _resolve_anaphor(toks, k, sent_of, set(exclude), state_actors)
                return [ref] if ref and ref[0] not in exclude and ref[1] in types else []
            return None
        i = start - 1
        if spec.get("outside_sentence"):  # only when the sentence itself names none before the match
            while i >= 0 and sent_of[i] == si:
                if toks[i].tag == "ENT" and toks[i].ent_type in types:
                    return []
                i -= 1
            # then the subject of the nearest sentence before that has one: its first clause's
            # (蚂蚁集团总部位于杭州，阿里巴巴持有其股份。集团由董事长…: 蚂蚁集团, not 阿里巴巴)
            while i >= 0 and si - sent_of[i] <= window:
                j = i
                while j > 0 and sent_of[j - 1] == sent_of[i]:
                    j -= 1
                for k in range(j, i + 1):
                    found = subject_at(k)
                    if found is not None:
                        if found and spec.get("prefer_topic"):
                            found = _topic_over_newcomer(toks, j, start, found)
                        return found
                i = j - 1
            return []
        while i >= 0 and si - sent_of[i] <= window:
            found = subject_at(i)
            if found is not None:
                return found
            i -= 1
        return []
    if spec.get("first_in_sentence"):
        i = start - 1
        while i >= 0 and sent_of[i] == si:
            i -= 1
        # "Snap, …, and xAI, which added companions to its Grok chatbot": inside a relative clause,
        # its is the name the clause is about
        for k in range(start - 1, i, -1):
            if toks[k].text.lower() in ("which", "who", "whose") and toks[k].text.isascii():
                m = k - 1 if k - 1 > i and toks[k - 1].lemma == "," else k
                u = toks[m - 1] if m - 1 > i else None
                if u is not None and u.tag == "ENT" and u.ent_type in types and ok(u):
                    last = u.members[-1][0] if u.members else u.entity  # "A and B, which…": B
                    if last not in exclude:
                        return [(last, u.ent_type)]
                break
        opener = _clause_opening_name(toks, i, start, types, exclude)
        if opener is not None:
            # "…on Hugging Face, and Qualcomm said it would run on its Snapdragon processors": the
            # subject of the clause its is in, not the sentence's first name
            return [opener]
        if spec.get("skip_holders"):  # 台积电持股70%，博世与恩智浦各持股10%: shareholders are not the firm held
            k = i + 1
            while k < len(toks) and sent_of[k] == si:
                k += 1
            exclude = set(exclude) | _holders(toks, i + 1, k)
        for j in range(i + 1, start):
            t = toks[j]
            if t.tag == "ENT" and t.ent_type in types and _single(t) and t.entity not in exclude and ok(t) \
                    and not (spec.get("state_actor") and _names_a_unit(toks, j)) and not _is_source(toks, j):
                return [(t.entity, t.ent_type)]
            if t.anaphor and t.ent_type == "ORG" and "ORG" in types and j == i + 1 + (toks[i + 1].tag == "STOP"):
                # "The company, which has invested in OpenAI, has been adding capacity for its Azure
                # cloud": the word opening the sentence, not the name in its relative clause
                ref = _resolve_anaphor(toks, j, sent_of, set(exclude), state_actors)
                return [ref] if ref and ref[0] not in exclude and ok(toks[j]) else []
        return []
    i = start - 1
    while i >= 0 and si - sent_of[i] <= window:
        t = toks[i]
        if t.tag == "ENT" and t.ent_type in types and _single(t) and t.entity not in exclude and ok(t):
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if not followed or (nxt is not None and nxt.lemma in followed):
                return [(t.entity, t.ent_type)]
        if t.anaphor and t.ent_type == "ORG" and "ORG" in types and not followed and sent_of[i] == si:
            # 昆仑芯是百度旗下的公司，其P800芯片已获得中国移动等客户的订单: the firm its stands for,
            # nearer than the names before it
            ref = _resolve_anaphor(toks, i, sent_of, set(exclude), state_actors)
            if ref and ref[0] not in exclude and ref[1] in types:
                return [ref]
        i -= 1
    return []


_HOLDING_WORDS = frozenset(("持股", "持有", "占股", "持有其", "领投", "跟投", "参投", "联合领投", "共同领投"))


def _holders(toks, lo: int, hi: int) -> set[str]:
    """The names in ``toks[lo:hi]`` that hold shares or join a round there (台积电持股70%, 博世各持股
    10%, 由阿里巴巴领投, 腾讯跟投): not the firm held or funded."""
    out: set[str] = set()
    for k in range(lo, hi):
        u = toks[k]
        if u.tag == "ENT":
            m = k + 1
            if m < len(toks) and toks[m].text in ("各", "则", "亦", "也", "分别"):
                m += 1
            if m < len(toks) and toks[m].text in _HOLDING_WORDS:
                out.update(x[0] for x in (u.members or ((u.entity,),)))
    return out


def _attribution_after(toks: list[Tok], i: int, sent_of: list[int]) -> bool:
    """Is the name at ``i`` followed by a closing attribution written as a described firm (", the
    Hangzhou-based company said.", ", the chipmaker said on Tuesday.")?"""
    n, si = len(toks), sent_of[i]
    j = i + 1
    if j >= n or toks[j].text != "," or sent_of[j] != si:
        return False
    j += 1
    if j >= n or toks[j].text.lower() not in ("the", "a"):
        return False
    for k in range(j + 1, min(j + 8, n)):
        t = toks[k]
        if sent_of[k] != si:
            return False
        if t.lemma in ("FIRM", "MAKER") or (t.anaphor and t.ent_type == "ORG"):
            m = k + 1
            if m < n and sent_of[m] == si and toks[m].lemma == "STATE":
                m += 1
                while m < n and sent_of[m] == si and toks[m].tag in ("GAP", "LATIN", "FUNC", "NUM") and m - k <= 5:
                    m += 1
                return m >= n or sent_of[m] != si or toks[m].tag == "END"
            return False
        if not (t.tag in ("STOP", "GAP", "LATIN", "LISTFILL") or t.text in ("-", "based", "headquartered")
                or (t.tag == "ENT" and t.ent_type == "LOCATION") or (t.anaphor and t.ent_type == "LOCATION")):
            return False
    return False


def _in_closed_relative(toks: list[Tok], i: int, e: int, sent_of: list[int]) -> bool:
    """Is the name at ``i`` inside an English relative clause (", who|which …,") that closes before
    ``e``, the end of the match it is the subject of?"""
    si = sent_of[i]
    k = i - 1
    while k > 0 and sent_of[k] == si and toks[k].text not in (",", ";"):
        if toks[k].text in ("who", "which", "whose") and toks[k - 1].text == "," and sent_of[k - 1] == si:
            return any(toks[m].text == "," for m in range(i + 1, e - 1))  # (not a closing guard token)
        k -= 1
    return False


def _official(ts: list[Tok], t: Tok) -> bool:
    """Is the person token ``t`` of ``ts`` written after a president's or a minister's title
    (President Emmanuel Macron, Commerce Secretary Howard Lutnick)?"""
    for k, u in enumerate(ts):
        if u is t:
            return k > 0 and ts[k - 1].tag == "TITLE" and ts[k - 1].lemma in ("TITLE_PRESIDENT", "TITLE_HEAD")
    return False


def _names_parent(toks, i, e) -> bool:
    """Is the name at ``i`` (inside a match ending at ``e``) followed by 旗下 / 子公司 and the name
    of the unit, after the match: a parent named to say whose unit is meant, not an argument?
    (浪潮集团旗下6家子公司, with no unit named, stands for the parent.)"""
    k = i + 1
    if k < len(toks) and toks[k].tag == "SUFFIX":
        k += 1
    if not (k >= e and k < len(toks) and toks[k].text in _PARENT_OF):
        return False
    for j in range(k + 1, min(k + 6, len(toks))):
        if toks[j].tag == "ENT" and toks[j].ent_type in ("ORG", "PRODUCT", "PROJECT"):
            return True
        if toks[j].tag in ("END", "PUNCT"):
            break
    return False


def _names_a_unit(toks, j) -> bool:
    """Is the place at ``j`` part of a company's unit (安世荷兰总部, 英伟达中国分公司), not a state?"""
    t = toks[j]
    if t.ent_type != "LOCATION":
        return False
    before = toks[j - 1] if j > 0 else None
    after = toks[j + 1] if j + 1 < len(toks) else None
    return bool((before is not None and before.tag == "ENT" and before.ent_type == "ORG" and before.end == t.start)
                or (after is not None and after.text.startswith(_UNIT_WORDS)))


_UNIT_WORDS = ("总部", "總部", "分公司", "子公司", "工厂", "工廠", "厂", "廠", "办公室", "辦公室", "团队", "團隊")


def _opens_clause(toks, i, sent_of) -> bool:
    """Is the name at ``i`` the first name of its clause, followed by its predicate?"""
    j = i - 1
    while j >= 0 and sent_of[j] == sent_of[i] and toks[j].tag in ("GAP", "NUM", "HEDGE", "STOP"):
        j -= 1
    opens = j < 0 or sent_of[j] != sent_of[i] or toks[j].tag in ("PUNCT", "END")
    if not opens and toks[j].text == "的" and toks[i].tag == "ENT":
        # 总部位于美国爱达荷州博伊西的美光是…: a name after a modifier that opens the clause (places,
        # words, no other organisation or person in it) still opens it
        k = j - 1
        while k >= 0 and j - k <= 10 and sent_of[k] == sent_of[i] and toks[k].tag not in ("PUNCT", "END") \
                and toks[k].lemma != "的" and (toks[k].tag != "ENT" or toks[k].ent_type == "LOCATION") \
                and not toks[k].anaphor:
            k -= 1
        opens = k < 0 or sent_of[k] != sent_of[i] or toks[k].tag in ("PUNCT", "END")
    if not opens and toks[j].lemma in ("FIRM", "MAKER") and toks[i].tag == "ENT" and not toks[j].text.isascii():
        # IC設計龍頭聯發科公布…, 美国芯片巨头英伟达表示…: a kind of firm written before the name
        # that opens the clause (words, places, no other organisation or person) still opens it
        k = j - 1
        while k >= 0 and j - k <= 6 and sent_of[k] == sent_of[i] and toks[k].tag in ("GAP", "LATIN", "LISTFILL", "TRIG", "NUM", "ENT") \
                and (toks[k].tag != "ENT" or toks[k].ent_type == "LOCATION") and toks[k].lemma not in ("的", "OF"):
            k -= 1
        opens = k < 0 or sent_of[k] != sent_of[i] or toks[k].tag in ("PUNCT", "END")
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    # a name right before 、 is a list member the fold could not close (索尼、<unknown>和丰田), not a subject
    return (opens and nxt is not None and nxt.tag not in ("ENT", "SUFFIX", "LISTFILL", "SEP") and nxt.lemma != "OF"
            and not nxt.text.startswith(_REPORTING))  # 据路透社报道: a source, not an actor


def _plural_apposition(toks, k) -> bool:
    """Does the English apposition starting at token ``k`` name several things ("the American
    server makers", "its two largest customers")? A plural noun before the next comma says so."""
    for t in toks[k:k + 7]:
        w = t.text.lower()
        if t.tag in ("PUNCT", "END") or w in (",", "who", "which", "that", "whose", "with", "of", "in"):
            return False
        if t.tag == "GAP" and not _NUMBER_WORDS.isdisjoint(w.split(" ")):
            return True  # "the three largest U.S. equipment makers", "both companies"
        w = w.split(" ")[-1]  # (the head of a word group: "equipment makers")
        plural = w.isalpha() and len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "ous", "is", "us")) \
            and w not in _NOT_PLURAL
        if t.tag == "TITLE" or t.lemma in ("FIRM", "MAKER"):
            return plural  # the head noun: "the LinkedIn co-founder" / "the American server makers"
        if plural:
            return True
    return False


_NUMBER_WORDS = frozenset(("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "both"))
_NOT_PLURAL = {"this", "its", "has", "was", "does", "news", "says", "series", "chips"}


def _names_of(t: Tok) -> tuple:
    """The names a name token stands for: a folded list's members, else the name itself."""
    return t.members or ((t.entity, t.ent_type, t.start, t.end),)


def _related_pairs(rels: list[Relation]) -> set[tuple[str, str]]:
    """The (a, b) pairs some relation of ``rels`` links, both ways round."""
    return {(r.subject, r.object) for r in rels} | {(r.object, r.subject) for r in rels}


_FAB_WORDS = re.compile(r"代工|制造|製造|生产|生產|量产|量產|投片|流片|制程|製程|工艺|工藝|纳米|納米|奈米|manufactur|made by|fabricat|foundry|"
                        r"produced by|\bprocess(es)?\b|nanometre|nanometer|\dnm", re.I)
_CLAUSE_END = frozenset(",，；;:：")
_USER_RELATIONS = frozenset(["USES", "BUYS", "INTEGRATES"])


def _clause_end(ts: list[Tok], j: int) -> bool:
    """The end of a sentence or a clause's punctuation, not the comma of a number (50,000)."""
    u = ts[j]
    if u.tag == "END":
        return True
    if u.tag != "PUNCT" or u.text not in _CLAUSE_END:
        return False
    return not (u.text == "," and 0 < j < len(ts) - 1 and ts[j - 1].tag == "NUM" and ts[j + 1].tag == "NUM"
                and ts[j - 1].end == u.start and ts[j + 1].start == u.end)


def _fallback_pair(ts: list[Tok], k: int, before: frozenset, after: frozenset,
                   fallback_classes=frozenset(), with_ok: bool = False, compare: bool = False) -> tuple[Tok, Tok] | None:
    """The (subject, object) name tokens around the trigger ``ts[k]`` of one sentence, for the
    fallback tier (see Extractor._fallback_relations), or None. ``before`` and ``after``: the entity
    types the names before and after the word may have (swapped where "by" turns them round);
    names of other types are passed over (华为在麒麟970芯片中集成了…: the chip is not the subject)."""
    t = ts[k]
    en = t.text.isascii()
    reach = 6 if en else len(ts)  # (English: names within six tokens after the word, eight before)
    nxt_text = ts[k + 1].text if k + 1 < len(ts) else ""
    if (nxt_text.lower() in _FB_KIND_EN) if en else nxt_text.startswith(_FB_KIND_ZH):
        return None  # 风险投资基金, 投资公司, an investment fund: a kind of firm, not a verb
    right, ri = None, -1
    by = en and k + 1 < len(ts) and ts[k + 1].lemma == "PASSIVE" and ts[k + 1].text.lower() == "by"
    first = k + 1 + by
    if en and not by and k > 0 and ts[k - 1].text.lower() in _EN_BE:
        # "was founded in 2022 by A, B and C": a passive whose "by" comes after a date or a place
        for j in range(k + 1, min(len(ts), k + 6)):
            u = ts[j]
            if u.text.lower() == "by":
                by, first = True, j + 1
                break
            if not _glue(u):
                break
    if by:
        before, after = after, before
    if not en and nxt_text in ("的", "之"):
        return None  # 参与DeepSeek-V2研发的罗福莉: the word is inside a clause that describes a noun
    inner = False  # another word of the tier between, whose clause has not ended with 的
    for j in range(first, min(len(ts), first + reach)):
        u = ts[j]
        if _clause_end(ts, j):
            break
        if u.tag == "TRIG" and u.lemma in fallback_classes:
            inner = True
        elif u.lemma == "OF" and not en:
            inner = False
        if u.tag == "ENT" and (u.ent_type in after or u.members):
            if inner:
                continue  # 推出整合辉达RTX GPU的芯片: the name belongs to the other word's clause
            nxt = ts[j + 1:j + 3]
            if not en and nxt and nxt[0].lemma == "OF" and u.ent_type == "LOCATION":
                return None  # 任职于总部位于东京的设备商: the word is in a clause describing a noun
            if not en and nxt and (nxt[0].lemma == "OF" or nxt[0].text.startswith("旗下") or (
                    len(nxt) > 1 and (nxt[0].lemma in ("FIRM", "MAKER") or nxt[0].tag == "SUFFIX")
                    and (nxt[1].lemma == "OF" or nxt[1].text.startswith("旗下")))):
                continue  # 对标ChatGPT的文心一言: the name of a modifier
            right, ri = u, j
            break
    left, li = None, -1
    relative = False  # "Microsoft, which has invested $13bn in OpenAI": the name before ", which"
    for j in range(k - 1, max(-1, k - 1 - (8 if en else reach)), -1):
        u = ts[j]
        if en and u.text == "," and 0 < j and _relative_start(ts[j + 1]) and ts[j - 1].tag == "ENT" \
                and (ts[j - 1].ent_type in before or ts[j - 1].members) and all(_glue(w) for w in ts[j + 2:k]):
            left, li, relative = ts[j - 1], j - 1, True
            break
        if _clause_end(ts, j):
            break
        if u.tag == "ANAPHOR" and u.ent_type:
            return None  # 在批准其收购Mellanox时: the subject is a word standing for a name
        if u.tag == "ENT" and (u.ent_type in before or u.members):
            if not en and ts[j + 1].lemma == "OF" and not (compare and j + 2 < len(ts) and ts[j + 2].tag == "GAP") \
                    and not (right is None and _after_dui(ts, j, with_ok)):
                continue  # 将英伟达的软件工具整合到…: the name before is a modifier's (not H20的算力低于…,
                # 完成对B的收购)
            left, li = u, j
            break
    if left is None or _is_source(ts, li):
        return None
    prev = ts[li - 1] if li > 0 else None
    if not en and prev is not None and prev.text in ("向", "从", "從") and right is not None:
        # A向B订购C, A从B收购C: B is where it comes from; the subject is the name before 向
        for j in range(li - 2, -1, -1):
            u = ts[j]
            if _clause_end(ts, j) or u.tag == "ANAPHOR" or u.lemma == "PASSIVE":
                return None
            if u.tag == "ENT" and (u.ent_type in before or u.members):
                if ts[j + 1].lemma == "OF" or _is_source(ts, j):
                    return None
                left, li, prev = u, j, ts[j - 1] if j > 0 else None
                break
        else:
            return None
    if not en and prev is not None and prev.lemma == "PASSIVE":
        if prev.text == "由" and right is None:
            return _topic_before_you(ts, li, after)
        if prev.text not in ("被", "遭", "遭到"):
            return None  # 由台积电代工的倚天710, 受到…: the object is not the name after the word
        for j in range(li - 2, -1, -1):  # A被B收购: B acquires A
            u = ts[j]
            if _clause_end(ts, j):
                break
            if u.tag == "ENT" and (u.ent_type in after or u.members):
                return left, u
        return None
    if right is None:
        return None if en else _subject_before_dui(ts, k, li, before, after, with_ok)
    if en and not (all(_glue(u) and u.lemma != "OF" for u in ts[li + 3 if relative else li + 1:k]) and all(
            _glue(u) or u.lemma == "INCLUDE" or (u.text == "," and not _clause_end(ts, j)) or (u.tag == "GAP" and ts[j + 1].lemma == "INCLUDE")
            or (j == ri - 1 and u.tag == "ENT" and u.ent_type == "ORG" and right.ent_type == "PRODUCT")
            for j, u in enumerate(ts[k + 1:ri], k + 1) if not (by and j == first - 1))):
        return None  # "Nvidia dropped its acquisition of Arm", "backed away from OpenAI": a word between
    if not en and ri + 1 < len(ts) and ts[ri + 1].tag in ("TITLE", "FORMER"):
        return None  # 收购了苹果前设计总监艾维创立的公司: the name belongs to a person's description
    return (right, left) if by else (left, right)


_DUI = ("对", "對", "向")
_WITH_ZH = ("与", "與", "跟", "同")
_KIND_TAGS = ("GAP", "SUFFIX")


def _seller_after_xiang(ts: list[Tok], subj: Tok, k: int) -> Tok | None:
    """The firm after 向/从 between the buyer ``subj`` and the word ``ts[k]`` (A向B订购C), or None."""
    i = next((j for j in range(k - 1, -1, -1) if ts[j] is subj), None)
    if i is None:
        return None
    for j in range(i + 1, k - 1):
        if ts[j].text in ("向", "从", "從") and ts[j + 1].tag == "ENT" and ts[j + 1].ent_type == "ORG" \
                and not ts[j + 1].members:
            return ts[j + 1]
    return None


def _after_dui(ts: list[Tok], li: int, with_ok: bool = False) -> int:
    """The index of the 对/向 (with ``with_ok``, 与/跟/同 too) before the name ``ts[li]``, past up to
    three kind words or places (对美国芯片企业美光), or 0."""
    m = li - 1
    while m > li - 4 and m > 0 and (ts[m].tag in _KIND_TAGS or (ts[m].tag == "TRIG" and ts[m].lemma in ("FIRM", "MAKER"))
                                    or (ts[m].tag == "ENT" and ts[m].ent_type == "LOCATION" and not ts[m].members)):
        m -= 1
    return m if m >= 1 and ts[m].text in (_DUI + _WITH_ZH if with_ok else _DUI) else 0


def _subject_before_dui(ts: list[Tok], k: int, li: int, before: frozenset, after: frozenset,
                        with_ok: bool = False) -> tuple[Tok, Tok] | None:
    """A对B投资, 三星向英伟达供货, 博通完成对云端软件公司VMware的收购: with no name after the word
    ``ts[k]``, the name ``ts[li]`` before it, after 对/向 (and a kind word), is its object and the
    nearest name before 对/向 its subject (not a court after 向: 向法院起诉 files a suit there).
    ``with_ok`` (a partnership, a rivalry, a comparison): after 与/跟/同 too (A与B展开合作,
    A在与B、C等厂商的竞争中)."""
    obj = ts[li]
    m = _after_dui(ts, li, with_ok)
    if not m or obj.ent_type not in after \
            or obj.text.endswith(("法院", "法庭", "仲裁庭")) or k - li > 6 \
            or not all(u.tag in ("GAP", "FUNC", "NUM") or (u.tag == "TRIG" and u.lemma in ("FIRM", "MAKER", "MARKET"))
                       for u in ts[li + 1:k]):
        return None
    if any(u.lemma == "OF" for u in ts[li + 1:k]) and k + 1 < len(ts) and ts[k + 1].tag == "ENT":
        return None  # 对B的投资对象C: the word is a noun of another name
    for j in range(m - 1, -1, -1):
        u = ts[j]
        if _clause_end(ts, j) or u.tag == "ANAPHOR" or u.lemma == "PASSIVE":
            return None
        if u.tag == "ENT" and (u.ent_type in before or u.members):
            return None if ts[j + 1].lemma == "OF" or _is_source(ts, j) else (u, obj)
    return None


def _topic_before_you(ts: list[Tok], li: int, after: frozenset) -> tuple[Tok, Tok] | None:
    """X由A代工, Rapidus成立于2022年，由丰田、索尼等共同出资: the agent ``ts[li]`` after 由 and the
    thing before 由 (a name of the object's types in its clause, else the sentence's first name when
    it opens the sentence, the topic the clauses after it speak of)."""
    agent = ts[li]
    crossed = False
    for j in range(li - 2, -1, -1):
        u = ts[j]
        if _clause_end(ts, j):
            if ts[j].tag == "END":
                return None
            crossed = True
            continue
        if u.tag == "ANAPHOR" or u.lemma == "PASSIVE":
            return None
        if u.tag == "ENT":
            if u.ent_type not in after or u.members or ts[j + 1].lemma == "OF" or _is_source(ts, j):
                if not crossed:
                    return None
                continue
            if crossed and any(w.tag in ("ENT", "ANAPHOR") for w in ts[:j]):
                return None  # not the sentence's first name: not its topic
            return agent, u
    return None


# English words that may stand between a name and the trigger word in the fallback tier:
# auxiliaries, verbs of saying and intent, dates, determiners, prepositions and amounts ("on Tuesday
# said it had agreed to invest $2 billion in")
_EN_GLUE = frozenset("""has have had will would could can may might is was are were be been also already recently
now then later previously formerly once to agreed agrees plans planned plan said says it its their the a an in into on
of with from for by 's ’s up about more than over nearly roughly around some stake stakes shares share deal $ € £ % million
billion trillion bn m announced announces confirmed confirms set expected poised moved moves seeks sought aims aimed
decided last this next earlier week month year quarter monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december jan feb mar apr jun jul aug sep
sept oct nov dec""".split())


def _glue(t: Tok) -> bool:
    """(a kind word after a product's name is glue too: "Ascend chips compete with")"""
    return t.tag in ("NUM", "LISTFILL") or t.text.lower() in _EN_GLUE or (t.tag == "PUNCT" and t.text in "$€£%.")


def _relative_start(t: Tok) -> bool:
    """"which", "who", "which has", "who had": the start of a relative clause, with glue words only."""
    words = t.text.lower().split()
    return bool(words) and words[0] in ("which", "who") and all(w in _EN_GLUE for w in words[1:])


# a dotted (transliterated) name whose last part runs on into a particle of the clause after it
_DOT_NAME_TAIL = re.compile(r"[·・][\u4e00-\u9fff]{3,}[则也亦均都又还将已曾称说是在和与及等的]$")
_MODEL_CODE = re.compile(r"^(?:\d{1,4}(?:\.\d{1,2})?[A-Za-z]{0,3}|[A-Z]{1,2}\d{1,4}[A-Za-z]{0,2})$")  # 950PR, 4.1, 9000S, T1
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_CAP_WORD = re.compile(r"^[A-Z][a-z]+$")
def _cap_word(t: Tok) -> bool:
    """A word of an English name that is not a known one: capitalised (or a number like 1789)."""
    return t.tag in ("LATIN", "GAP", "NUM") and bool(_CAP_OR_NUM.match(t.text))


def _cap_run(toks: list[Tok], a: int, b: int) -> bool:
    return toks[a].text[:1].isupper() or (b > a and toks[b].text[:1].isupper())


_CAP_OR_NUM = re.compile(r"^(?:[A-Z][A-Za-z0-9.\-]*(?: [A-Z][A-Za-z0-9.\-]*)*|\d{2,4})$")
_PLACE_UNITS = "州市省县縣邦郡"
# a direction word, then a name of one to four characters ending in a unit word (and no word that
# ends a clause or joins a name to a verb inside it)
_PLACE_AFTER_PLACE = re.compile(r"((?:东|西|南|北|中|東|东南|东北|西南|西北|東南|東北)部)?"
                                r"((?![在于於的和与與及等将將已从從向对對把被为為是])[\u4e00-\u9fff]{1,4}?[州市省县縣邦郡])")
_NOT_PLACES = frozenset(("城市", "都市", "超市", "股市", "上市", "门市", "門市", "夜市", "各州", "全州", "该州", "該州",
                         "本市", "该市", "該市", "全市", "各省", "全省", "外省", "同省", "全县", "全縣", "各市", "开市",
                         "開市", "退市", "休市", "收市", "早市", "楼市", "樓市", "车市", "車市", "债市", "債市", "汇市",
                         "匯市", "面市", "问市", "問市", "新市", "A股上市", "港股上市"))
# verbs only people take right after their name at the start of a clause (张伟曾任职于谷歌, 李华表示…)
_PERSON_VERBS = ("曾任", "曾在", "曾于", "曾於", "此前曾", "此前在", "此前任", "毕业于", "畢業於", "出身", "表示", "指出",
                 "透露", "坦言", "直言", "强调", "強調", "认为", "認為", "出任", "担任", "擔任", "加盟", "加入了", "离开", "離開",
                 "辞去", "辭去", "创办", "創辦", "联合创立", "聯合創立", "告诉", "告訴", "接受采访", "接受採訪", "现任", "現任")
_CLAUSE_OPENERS = frozenset(("。", "！", "？", "；", ";", "，", ",", "\n", "：", ":", "”", "」", "!", "?"))
_LIST_MARKS = ("、", "和", "及", "与", "與", "以及")
# characters that do not occur in an organisation's name in an enumeration (等, 其他, 这些, 多家…)
_NOT_IN_A_NAME = frozenset("的等其他这那该此些们家各多约近逾数位名个")


_EN_BE = frozenset(["was", "were", "is", "are", "been", "be", "being"])
_FB_KIND_ZH = ("基金", "公司", "机构", "部门", "集团", "银行", "平台")
_FB_KIND_EN = frozenset(["fund", "funds", "firm", "firms", "arm", "vehicle", "company", "bank", "banks"])


def _is_source(toks, i) -> bool:
    """据路透社报道, 根据彭博社消息, 受彭博社委托: a name quoted as the source of the sentence, or
    the party that commissioned it, not its actor."""
    if i == 0 or i + 1 >= len(toks):
        return False
    before, after = toks[i - 1].text, toks[i + 1].text
    if before in ("受", "应", "應") and after.startswith(("委托", "委託", "要求", "邀请", "邀請")):
        return True
    if before in ("(", "（") and after in (")", "）") and i + 2 < len(toks) and toks[i + 2].text in ("-", "–", "—"):
        return True  # a wire dateline: "SAN FRANCISCO, March 3 (Reuters) - Anthropic said…"
    if before not in ("据", "根据", "據", "根據"):
        return False
    for t in toks[i + 1:i + 4]:  # 据彭博社报道, 据彭博社8月报道: a date may sit between source and verb
        if t.text.startswith(_REPORTING + ("消息", "报", "報")) or (
                t.tag == "GAP" and any(t.text.endswith(r) for r in _REPORTING)):
            return True
        if t.tag not in ("NUM", "GAP") or len(t.text) > 3:
            return False
    return False


_BAN_WORDS = re.compile(r"禁|管制|制裁|\b(?:ban|bans|banned|sanction\w*|restrict\w*|curbs?|blacklist\w*)\b", re.I)
_UNIT_CUES = re.compile(r"旗下|子公司|附属|附屬|部门|部門|事业部|事業部|实验室|實驗室|研究院|下属|下屬|隶属|隸屬|"
                        r"\b(?:units?|subsidiar\w*|divisions?|labs?|arms?|owned|owns|parent)\b", re.I)
_REPORTING = ("报道", "報導", "报导", "称", "稱", "援引", "报告", "報告")


def _modifies(toks, m, obj, classes) -> bool:
    """Is name ``m`` part of the noun phrase of the name at ``obj`` (中国GPU初创公司壁仞科技)?"""
    if not 0 < obj - m <= 5:
        return False
    # (a preposition or a verb's word between ends the phrase: Anthropic在由光速创投领投的…)
    return all(toks[k].tag not in ("PUNCT", "END", "ENT") and toks[k].lemma not in classes
               and not (toks[k].tag == "FUNC" and toks[k].lemma in ("IN", "PASSIVE", "TOWARD", "WITH", "COPULA"))
               for k in range(m + 1, obj))


def _sentence_of(toks: list[Tok], starts: list[int]) -> list[int]:
    """The sentence index of each token (tokens in text order): the last sentence starting at
    or before it, 0 before the first."""
    out = []
    k, last = 0, len(starts) - 1
    prev = -1
    for t in toks:
        s = t.start
        if s < prev:  # not in text order: look it up
            k = max(0, bisect.bisect_right(starts, s) - 1)
        while k < last and starts[k + 1] <= s:
            k += 1
        out.append(k)
        prev = s
    return out


def _sentence_ranges(toks: list[Tok], starts: list[int]):
    """(lo, hi) token ranges of the sentences, given the sentences' start offsets."""
    lo, n = 0, len(toks)
    k = 1
    while lo < n:
        while k < len(starts) and starts[k] <= toks[lo].start:
            k += 1
        limit = starts[k] if k < len(starts) else None
        hi = lo + 1
        while hi < n and (limit is None or toks[hi].start < limit):
            hi += 1
        yield lo, hi
        lo = hi


def _single(t) -> bool:
    """A name token that stands for one entity (not an enumeration)."""
    return not t.members or all(m[0] == t.entity for m in t.members)


def _is_board(text: str) -> bool:
    return "董事" in text or "board" in text.lower()


_ASSET_WORD = re.compile(r"(厂|廠|厂房|廠房|业务|業務|部门|部門|股份|股权|股權|资产|資產|部分|专利|專利|团队|團隊|设施|設施|"
                         r"园区|園區|数据中心|數據中心|资料中心|資料中心|事业部|事業部|产线|產線|生产线|生產線|股票|基地|"
                         r"工地|项目|項目|办公室|辦公室|中心)$")


_SUPPLY_WORD = re.compile(r"^的?(最大|主要|唯一|首要|核心|独家|獨家)?(供应商|供應商|供货商|供貨商|订单|訂單|采购|採購|需求|供应|供應)")


def _supplied_to(toks, i: int, sent_of) -> bool:
    """Is the Chinese product name at ``i`` followed by 的…供应商/订单/需求 (英伟达HBM的最大供应商,
    英伟达H20的订单): the firm before it buys it, the compound names no maker."""
    si, n = sent_of[i], len(toks)  # (the pattern only matches Chinese text)
    text = ""
    for k in range(i + 1, min(i + 4, n)):
        if sent_of[k] != si or toks[k].tag in ("ENT", "END") or toks[k].lemma == ",":
            break
        text += toks[k].text
    return bool(text) and bool(_SUPPLY_WORD.match(text))


def _owns_asset_after(toks, i: int, sent_of) -> bool:
    """Is the Chinese name at ``i`` the owner or the place of a plant, a business or shares written
    after it (通用汽车位于俄亥俄州洛兹敦的旧厂, 英特尔的芯片业务, 英特尔4%的股份)?"""
    t = toks[i]
    if t.text.isascii() or i + 1 >= len(toks):
        return False
    si, n = sent_of[i], len(toks)
    j = i + 1
    while j < n and j <= i + 8 and sent_of[j] == si:
        u = toks[j]
        if u.text.startswith("的") and len(u.text) > 1 and u.tag != "ENT":
            return bool(_ASSET_WORD.search(u.text))  # 的股份, 的业务: one token
        if u.text == "的":
            return any(_ASSET_WORD.search(toks[k].text) for k in range(j + 1, min(j + 4, n))
                       if sent_of[k] == si and toks[k].tag != "ENT")
        if u.tag == "END" or u.tag == "PUNCT" and u.text not in ("%", "％") or u.lemma == "," \
                or (u.tag == "ENT" and u.ent_type != "LOCATION"):
            return False
        j += 1
    return False


_DOTS_SPLIT = re.compile(r"[·・‧•]")
_CJK_ONLY = re.compile(r"^[\u4e00-\u9fff]+$")


def _one_apart(a: str, b: str) -> bool:
    """Are two short names one character apart (one replaced, added or left out)?"""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    if len(a) > len(b):
        a, b = b, a
    return any(b[:i] + b[i + 1:] == a for i in range(len(b)))


def _glossed_by_known(toks, b: int, etype: str) -> str | None:
    """The known entity that glosses the name ending at ``toks[b]`` in brackets right after it (a
    closing quote may come between: 名为"铁木"(Ironwood), 稱為「雙子星」（Gemini）), else None."""
    n = len(toks)
    j = b + 1
    if j < n and toks[j].text in ('"', "”", "」", "』", "'", "’"):
        j += 1
    if j + 2 < n and toks[j].text in ("(", "（") and toks[j + 2].text in (")", "）"):
        u = toks[j + 1]
        if u.tag == "ENT" and u.ent_type == etype and not u.members and not u.anaphor:
            return u.entity
    return None


def _listed_with_product(toks, a: int, b: int) -> bool:
    """Is the span ``toks[a..b]`` a list member next to a known product ("A和B", "A、B", "A and B")?"""
    def product(k: int) -> bool:
        return 0 <= k < len(toks) and toks[k].tag == "ENT" and toks[k].ent_type == "PRODUCT"

    def sep(k: int) -> bool:
        return 0 <= k < len(toks) and (toks[k].tag == "SEP" or toks[k].text in ("、", "和", "与", "與", "及", "and"))
    return (sep(a - 1) and product(a - 2)) or (sep(b + 1) and product(b + 2))


def _possessor_only(toks, j: int) -> bool:
    """Is the name at ``j`` only the owner of a product written after it (OpenAI的GPT-4.1, 英伟达H20)
    or a former employer (前OpenAI员工)?"""
    n = len(toks)
    if j > 0 and toks[j - 1].tag == "FORMER":
        return True
    k = j + 1
    if k < n and toks[k].lemma == "OF" and not toks[k].text.isascii():
        k += 1
    return k < n and toks[k].tag == "ENT" and toks[k].ent_type == "PRODUCT"


def _in_person_apposition(toks, j, i) -> bool:
    """The name at ``j`` sits in an apposition about a person that closes before ``i``: "Lip-Bu
    Tan, the former chief executive of Cadence Design Systems, as its new CEO …": what the
    apposition names describes the person, it is not the sentence's organisation."""
    k = j - 1
    while k > 0 and toks[k].lemma != "," and toks[k].tag not in ("END", "PUNCT"):
        k -= 1
    if k <= 0 or toks[k].lemma != "," or not (toks[k - 1].tag == "ENT" and toks[k - 1].ent_type == "PERSON"):
        return False
    if toks[k + 1].text.lower() not in ("the", "a", "an", "its", "his", "her", "former") and toks[k + 1].tag not in ("TITLE", "FORMER"):
        return False
    return any(toks[m].lemma == "," for m in range(j + 1, i))


def _resolve_anaphor(toks, i, sent_of, excluded, state=frozenset()) -> tuple[str, str] | None:
    t = toks[i]
    si = sent_of[i]
    if t.ent_type == "ORG":
        if _COMPANY_WORD.search(t.text):  # "the company" is not the government named in between
            excluded = excluded | state
        # "该局", "the regulator" is a government body: only those are candidates
        only = state if _GOV_WORD.search(t.text) else None

        def named_org(u) -> bool:  # a candidate antecedent: one named organisation, allowed here
            return u.tag == "ENT" and u.ent_type == "ORG" and _single(u) and u.entity not in excluded \
                and (only is None or u.entity in only)
        # a bare board is the board last named with its organisation ("OpenAI董事会")
        if _is_board(t.text):
            for j in range(i - 1, -1, -1):
                u = toks[j]
                if u.board and u.entity not in excluded:
                    return (u.entity, "ORG")
        # 其 ("its") points at the sentence's subject: the first organisation of the sentence; after
        # a government's verb (批准其收购, 要求其停止) it is the company acted on, not the government
        if t.text == "其" and i > 0 and _GOV_VERB.search(toks[i - 1].text):
            excluded = excluded | state
        if t.text == "其":
            j = i - 1
            while j > 0 and sent_of[j - 1] == si:
                j -= 1
            # a government body opening the sentence acts on a company named after it: 其 is that
            # company (市场监管总局宣布对高通立案调查，指其收购…)
            first = next((u for u in toks[j:i] if u.ent_type == "ORG" and (u.tag == "ENT" or u.anaphor)), None)
            if first is not None and (first.entity in state or first.anaphor and _GOV_WORD.search(first.text)):
                for k in range(i - 1, j - 1, -1):
                    u = toks[k]
                    if u.tag == "ENT" and u.ent_type == "ORG" and _single(u) and u.entity not in state \
                            and u.entity not in excluded:
                        return (u.entity, "ORG")
            # the first organisation that opens a clause (与专注于DRAM的长鑫存储一样，长江存储…，其…:
            # not the one compared with), else the first one
            for opener in (True, False):
                for k in range(j, i):
                    u = toks[k]
                    if opener and not _opens_clause(toks, k, sent_of):
                        continue
                    if named_org(u) and not _is_source(toks, k):
                        return (u.entity, "ORG")
                    if u.anaphor and u.ent_type == "ORG" and u.text != "其":  # 该公司…其: the same company
                        return _resolve_anaphor(toks, k, sent_of, excluded, state)
        if t.text.isascii() and i >= 2 and toks[i - 1].text.lower() in ("and", "but") and toks[i - 2].text == ",":
            # "Kunlunxin's P800 chips power Baidu's Ernie models, and the company has won orders": after
            # ", and" the company is the one the sentence opens with, not the last one it names
            j = i - 1
            while j > 0 and sent_of[j - 1] == si:
                j -= 1
            for k in range(j, i):
                u = toks[k]
                if u.tag == "ENT" and u.ent_type == "ORG":
                    if named_org(u) and not _is_source(toks, k):
                        return (u.entity, "ORG")
                    break
        # an organisation's board or "the company": the nearest organisation named before it in
        # the sentence that is not the other argument; else, of those named in the two sentences
        # before, the one named most often there (这家公司 continues the topic, not the last
        # object named); on a tie the first named in the latest of those sentences (its subject:
        # "Marvell competes with Broadcom. The US chipmaker…" is Marvell), then the nearest
        seen: list[str] = []
        subject, subject_sent = None, -1
        for j in range(i - 1, -1, -1):
            if si - sent_of[j] > 2:
                break
            u = toks[j]
            if named_org(u) and not _is_source(toks, j):
                if sent_of[j] == si:
                    if toks[j + 1].lemma == "OF" and not any(_clause_end(toks, m) for m in range(j + 1, i)):
                        continue  # 将台积电的营业秘密泄漏给这家美国芯片大厂: the owner named in its clause is not it
                    if t.text.isascii() and _in_person_apposition(toks, j, i):
                        continue  # "appointed Tan, the former chief executive of Cadence, as its CEO after the board…"
                    if t.text.isascii() and j > 0 and toks[j - 1].text.lower() in _EN_PREPOSITIONS:
                        # "Samsung said it would make chips for Tesla, a boost for the South Korean
                        # company's business": a firm after a preposition is seldom the one meant
                        # when a firm opens the sentence
                        k = j - 1
                        while k > 0 and sent_of[k - 1] == si:
                            k -= 1
                        while k < j and (toks[k].tag in ("STOP", "GAP", "NUM", "HEDGE", "FUNC", "LATIN", "PUNCT")
                                         or toks[k].ent_type == "LOCATION" or _is_source(toks, k)):
                            k += 1  # past a dateline: "SANTA CLARA, California, March 12 (Reuters) - Intel said"
                        if k < j and named_org(toks[k]) and toks[k].entity != u.entity and not _is_source(toks, k):
                            return (toks[k].entity, "ORG")
                    return (u.entity, "ORG")
                if u.entity not in seen:
                    seen.append(u.entity)
                if subject_sent in (-1, sent_of[j]):
                    subject, subject_sent = u.entity, sent_of[j]
        if not seen:
            return None
        # (a name that only owns a product or was someone's employer counts less: OpenAI的GPT-4.1,
        # 前OpenAI员工 speak of another firm's product or people, not of OpenAI)
        counts = Counter(u.entity for j, u in enumerate(toks[:i]) if u.tag == "ENT" and u.entity in seen
                         and si - sent_of[j] <= 2 and not _possessor_only(toks, j))
        return (max(seen, key=lambda e: (counts[e], e == subject, -seen.index(e))), "ORG")
    for j in range(i - 1, -1, -1):
        u = toks[j]
        if t.ent_type == "PRODUCT" and u.tag == "LISTFILL" and not (j > 0 and toks[j - 1].tag == "ENT" and toks[j - 1].ent_type == "PRODUCT"):
            return None  # "一款先进的AI处理器，该芯片…": the chip meant is one the text does not name
        if u.tag == "ENT" and u.ent_type == t.ent_type and _single(u) and u.entity not in excluded:
            return (u.entity, u.ent_type) if si - sent_of[j] <= 3 else None
    return None


_TICKER = re.compile(r"^(?:(?:NASDAQ|Nasdaq|NYSE|Nyse|HKEX|TSE|TWSE|KRX|SSE|SZSE|纳斯达克|納斯達克|纽交所|紐交所|港交所|"
                     r"上交所|深交所)[:：][A-Z0-9]{1,6}|[A-Z0-9]{1,6}\.[A-Z]{1,2}|0\d{3,5}|\d{5,6})$")
# (an exchange, a market suffix, or a Hong Kong / mainland code: 00700, 688256)
_OPEN_QUOTES = ("「", "『", "“", "《", "\"")  # (the ASCII quote of machine-translated text opens and closes)
_CLOSE_QUOTES = ("」", "』", "”", "》", "\"")
_TRANSLIT = re.compile(r"^[\u4e00-\u9fff·・]{2,8}$")
_NAME_DOTS = frozenset(("·", "・", "‧", "•"))
_NAME_PART = re.compile(r"^[\u4e00-\u9fff]{1,6}$")


def _widened(t: Tok, end: int) -> Tok:
    """The name token ``t`` reaching to ``end`` (a ticker, the rest of a dotted name, 等…): the
    same entity, its mention where it was."""
    return Tok(t.start, end, "ENT", t.lemma, t.ent_type, t.entity,
               members=_names_of(t), text=t.text, board=t.board)


def _fold_brackets(toks: list[Tok]) -> list[Tok]:
    """雷蒙多(Gina Raimondo), “蓝海前沿计算集群”(BSFCC): one name token for both writings; a
    transliteration the gazetteer lacks after a title (行政总裁费尔德曼（Andrew Feldman）) joins
    the name in brackets; 第六代TPU「Trillium」: the quoted name is the product, the one before
    it only its kind."""
    out: list[Tok] = []
    i, n = 0, len(toks)
    while i < n:
        t = toks[i]
        if t.tag != "ENT" and t.tag != "GAP":  # each case below starts at a name or a gap
            out.append(t)
            i += 1
            continue
        if (t.tag == "ENT" and t.ent_type == "PRODUCT" and i + 3 < n and toks[i + 1].lemma in _OPEN_QUOTES
                and toks[i + 2].tag == "ENT" and toks[i + 2].ent_type == "PRODUCT"
                and toks[i + 3].lemma in _CLOSE_QUOTES and toks[i + 2].entity != t.entity):
            out.append(Tok(t.start, t.end, "LISTFILL", "LISTFILL", text=t.text))
            i += 1
            continue
        if (t.tag == "GAP" and i + 3 < n and toks[i + 1].lemma in ("(", "（") and _TRANSLIT.match(t.text)
                and toks[i + 2].tag == "ENT"
                and toks[i + 3].lemma in (")", "）") and _opens_name(out, toks[i + 2].ent_type)):
            u = toks[i + 2]
            out.append(Tok(t.start, toks[i + 3].end, "ENT", u.lemma, u.ent_type, u.entity,
                           members=((u.entity, u.ent_type, t.start, t.end), (u.entity, u.ent_type, u.start, u.end)),
                           text=t.text))
            i += 4
            continue
        if (t.tag == "GAP" and i + 2 < n and toks[i + 1].text in _NAME_DOTS and toks[i + 2].tag == "ENT"
                and toks[i + 2].ent_type == "PERSON" and not toks[i + 2].members and len(t.text) <= 4
                and _NAME_PART.match(t.text)):
            # 达里奥·阿莫代: a given name written before a known person's surname is of the name
            u = toks[i + 2]
            out.append(Tok(t.start, u.end, "ENT", u.lemma, u.ent_type, u.entity, text=t.text + toks[i + 1].text + u.text,
                           board=u.board))
            i += 3
            continue
        if (t.tag == "GAP" and i + 4 < n and toks[i + 1].tag == "SUFFIX" and toks[i + 2].lemma in ("(", "（")
                and _TRANSLIT.match(t.text) and toks[i + 3].tag == "ENT" and toks[i + 3].ent_type == "ORG"
                and toks[i + 4].lemma in (")", "）")
                and (_opens_name(out, "ORG") or out and out[-1].text in _PARENT_WORDS)):
            # 谷歌的母公司字母表公司(Alphabet): a transliteration with its company word, glossed
            u = toks[i + 3]
            out.append(Tok(t.start, toks[i + 4].end, "ENT", u.lemma, u.ent_type, u.entity,
                           members=((u.entity, u.ent_type, t.start, toks[i + 1].end), (u.entity, u.ent_type, u.start, u.end)),
                           text=t.text + toks[i + 1].text))
            i += 5
            continue
        if t.tag == "ENT" and not t.anaphor:
            j = i + 1
            if t.ent_type == "PERSON" and j + 1 < n and toks[j].text in _NAME_DOTS and toks[j + 1].tag == "GAP" \
                    and _NAME_PART.match(toks[j + 1].text):
                # 王储穆罕默德·本·萨勒曼: the rest of a dotted name known by its first part
                k = j
                while k + 1 < n and toks[k].text in _NAME_DOTS and toks[k + 1].tag == "GAP" \
                        and _NAME_PART.match(toks[k + 1].text):
                    k += 2
                out.append(_widened(t, toks[k - 1].end))
                i = k
                continue
            if j < n and toks[j].lemma in ("(", "（"):  # Nvidia (NVDA.O), 腾讯（0700.HK）: a stock ticker
                k = j + 1
                while k < n and k - j <= 5 and toks[k].lemma not in (")", "）"):
                    k += 1
                if k < n and k - j <= 5 and toks[k].lemma in (")", "）") \
                        and _TICKER.match("".join(u.text for u in toks[j + 1:k])):
                    out.append(_widened(t, toks[k].end))
                    i = k + 1
                    continue
            while j < n and toks[j].tag == "PUNCT" and toks[j].lemma in "”’\"'」』":
                j += 1
            if j + 3 < n and toks[j].tag == "SUFFIX" and toks[j].text[:1].isascii() and toks[j + 1].lemma in ("(", "（") \
                    and toks[j + 2].tag == "ENT" and toks[j + 2].entity == t.entity:
                j += 1  # "Semiconductor Manufacturing International Corp (SMIC)": the company word is of the name
            if (j + 2 < n and toks[j].lemma in ("(", "（") and toks[j + 1].tag == "ENT"
                    and toks[j + 1].entity == t.entity and toks[j + 2].lemma in (")", "）")):
                t = Tok(t.start, toks[j + 2].end, "ENT", t.lemma, t.ent_type, t.entity,
                        members=((t.entity, t.ent_type, t.start, t.end),
                                 (t.entity, t.ent_type, toks[j + 1].start, toks[j + 1].end)),
                        text=t.text)
                i = j + 2
        out.append(t)
        i += 1
    return out


def _opens_name(out: list[Tok], etype: str) -> bool:
    """Whether the gap after ``out`` starts where a name does, so that all of it is the Chinese
    writing of the ``etype`` name in brackets after it: after a title (a person's name), or after a
    country (德国博世（Bosch）), a company word (芯片制造商安世半导体（Nexperia）), 的, a list
    separator or the start of a clause."""
    if not out:
        return etype != "PERSON"
    p = out[-1]
    if p.tag == "TITLE":
        return etype == "PERSON"
    if etype == "PERSON":
        return False
    if p.tag == "ENT":
        return p.ent_type == "LOCATION" and not p.members
    return p.lemma in _NAME_OPENERS or p.tag in ("SEP", "END")


_PARENT_WORDS = frozenset(("母公司", "母集团", "控股公司", "子公司", "旗下"))
_NAME_OPENERS = frozenset(("FIRM", "MAKER", "OF", "AND", "WITH", ",", "，", "、", "：", ":", "\n"))
_FOLD_TAGS = frozenset(("ENT", "TITLE", "FORMER", "LISTFILL"))  # the tags a fold can start at


def _fold(toks: list[Tok], refold: bool = False) -> list[Tok]:
    """Fold "OpenAI董事会" into OpenAI, title chains (联合创始人兼CEO) into one TITLE token and
    enumerations (A800、H800和L40S) into one ENT token that keeps its members. ``refold``: the
    tokens were folded before (the second reading, after it left out what broke a list): only
    enumerations are folded again, and a member may be a list itself."""
    if refold:
        return _fold_lists(toks, True)
    return _fold_lists(_fold_brackets(toks), False)


def _mixed_actors(part: list[Tok]) -> bool:
    """Does the sentence name an organisation and a person one after the other, joined by a comma
    or "and" (a list the first reading's folding, one type a list, leaves apart)?"""
    for k in range(len(part) - 2):
        a, sep, b = part[k], part[k + 1], part[k + 2]
        if a.tag == "ENT" and b.tag == "ENT" and a.ent_type in _ACTORS and b.ent_type in _ACTORS \
                and a.ent_type != b.ent_type and (sep.tag == "SEP" or sep.lemma in _LIST_PUNCT):
            return True
    return False


def _refolded(toks: list[Tok], sent_of: list[int], changed: set[int]) -> tuple[list, list]:
    """The second reading's tokens with the lists folded again in the sentences that changed: what
    it left out may have split one (紫光集团、国家集成电路产业投资基金（简称“大基金”）和…: the
    bracket is gone, the three names are one list)."""
    out: list[Tok] = []
    out_sent: list[int] = []
    done = 0  # toks[:done] are in out already; nothing is copied for a document where nothing folds
    i, n = 0, len(toks)
    while i < n:
        si = sent_of[i]
        j = i
        while j < n and sent_of[j] == si:
            j += 1
        part = toks[i:j]
        folded = None
        if si in changed and sum(t.tag == "ENT" for t in part) > 1:
            folded = _fold(part, refold=True)
        elif _mixed_actors(part):  # investors "Nvidia, Jeff Bezos and IVP": a list only here
            folded = _fold(part, refold=True)
            if len(folded) < len(part):
                changed.add(si)
        if folded is not None and len(folded) < len(part):
            out.extend(toks[done:i])
            out_sent.extend(sent_of[done:i])
            out.extend(folded)
            out_sent.extend([si] * len(folded))
            done = j
        i = j
    if not done:
        return toks, sent_of
    out.extend(toks[done:])
    out_sent.extend(sent_of[done:])
    return out, out_sent


def _cjk_stops_as_gaps(toks: list[Tok]) -> list[Tok]:
    """A Chinese stop word (目前, 其他, 之前) is a token only so that its characters are not read as
    other words (前 is no FORMER in 目前); to the relation rules it is text between names like any
    other, so it becomes a gap token (English stop words keep their tag: rules read "the", "its")."""
    for i, t in enumerate(toks):
        if t.tag == "STOP" and t.text and "\u4e00" <= t.text[0] <= "\u9fff":
            toks[i] = Tok(t.start, t.end, "GAP", "zh", text=t.text)
    return toks


def _fold_lists(toks: list[Tok], refold: bool) -> list[Tok]:
    out: list[Tok] = []
    i, n = 0, len(toks)
    while i < n:
        t = toks[i]
        if t.tag not in _FOLD_TAGS:  # nothing starts a fold here
            out.append(t)
            i += 1
            continue
        # organisation + its board
        if t.tag == "ENT" and t.ent_type == "ORG" and not refold:
            j = i + 1
            if j < n and toks[j].lemma == "OF" and j + 1 < n and toks[j + 1].anaphor and toks[j + 1].ent_type == "ORG":
                j += 1
            if j < n and toks[j].anaphor and toks[j].ent_type == "ORG":
                t = Tok(t.start, toks[j].end, "ENT", t.lemma, "ORG", t.entity, text=t.text,
                        board=_is_board(toks[j].text))
                i = j
        # title chains
        if t.tag in ("TITLE", "FORMER") and not refold:
            titles, j, start = [], i, t.start
            while j < n:
                former = toks[j].tag == "FORMER"
                k = j + 1 if former else j
                if k < n and toks[k].tag == "TITLE":
                    titles.append((toks[k].lemma, "former" if former else ""))
                    j = k + 1
                    if j < n and toks[j].tag == "SEP" and j + 1 < n and toks[j + 1].tag in ("TITLE", "FORMER"):
                        j += 1
                        continue
                break
            if titles:
                out.append(Tok(start, toks[j - 1].end, "TITLE", titles[0][0], titles=tuple(titles),
                               text=t.text))
                i = j
                continue
        # enumerations of names of one type
        if t.tag == "ENT" and not refold and _mid_list_place_possessive(toks, i):
            out.append(t)  # "Sweden's Ericsson, China's Huawei and Samsung": China's is Huawei's alone
            i += 1
            continue
        if t.tag in ("ENT", "LISTFILL"):
            j = i
            while j < n and toks[j].tag == "LISTFILL":
                j += 1
            if j < n and toks[j].tag == "ENT" and not toks[j].anaphor and not (
                    refold and j > 0 and toks[j].ent_type == "PRODUCT" and toks[j - 1].tag == "ENT"
                    and toks[j - 1].ent_type == "ORG"):  # (DeepSeek V3、Qwen3: a maker's product opens no new list)
                first = toks[j] if j != i else t
                members = list(first.members) if refold and first.members else \
                    [(first.entity, first.ent_type, first.start, first.end)]
                etype = first.ent_type
                k = j + 1
                last = k
                joined, provisional = False, None  # an "and" seen; where a "comma + article" member began
                mixed = None  # where the first member of the other actor type began (second reading only)
                while k < n:
                    if etype == "ORG":
                        # "杭州城投产业基金和上海国投先导基金": a member's fund or unit word (a short word
                        # and a kind of firm) stays with it, and the list goes on after it
                        q = k
                        while q < n and q - k < 2 and toks[q].tag == "GAP" and len(toks[q].text) <= 3 \
                                and _CJK.match(toks[q].text):
                            q += 1
                        if k < q < n - 1 and toks[q].tag == "TRIG" and toks[q].lemma == "FIRM" \
                                and (toks[q + 1].tag == "SEP" or toks[q + 1].text in ("、", "，", ",")):
                            k = q + 1
                    m = k
                    if toks[m].tag == "PUNCT" and toks[m].lemma in _LIST_PUNCT:
                        m += 1
                    if m < n and toks[m].tag == "SEP" and toks[m].lemma == "AND":
                        if m > k and len(members) == 1 and toks[k].lemma == ",":
                            break  # "Microsoft's stake in OpenAI, and the CMA opened…": two clauses
                        m += 1
                    elif m == k and toks[m].lemma == "WITH" and toks[m].text in ("与", "與") and (
                            len(members) >= 2 or (i > 0 and (toks[i - 1].lemma in (_LIST_INTRO | {"PASSIVE", "TOWARD"})
                                                             or toks[i - 1].tag == "TRIG"
                                                             and toks[i - 1].lemma not in ("FIRM", "MAKER")
                                                             or toks[i - 1].text in ("为", "对")))
                            or (m + 2 < n and toks[m + 2].text.startswith(("等", "各", "均", "都", "皆", "分别", "分別")))
                            or (m + 3 < n and toks[m + 2].text in ("一同", "一起") and toks[m + 3].lemma == "PASSIVE")):
                        # A、B与C, 对手A与B, A与B等人, A与B各持股, 由A与B, A与B一同被, 起诉A与B, 为A与B代工:
                        # 与 closes an enumeration (after a verb, not after a kind word: 新创A与B合作)
                        m += 1
                    if m == k:
                        break
                    comma_only = toks[k].tag == "PUNCT" and m == k + 1
                    joined = joined or not comma_only
                    while m < n and toks[m].tag == "LISTFILL":
                        m += 1
                    if etype == "ORG" and m + 1 < n and toks[m].lemma in ("FIRM", "MAKER") \
                            and toks[m].tag == "TRIG" and toks[m + 1].tag == "ENT":
                        m += 1  # "长江存储、AI芯片企业寒武纪": a member's kind word is part of its name
                    if m < n and toks[m].tag == "STOP" and toks[m].text.lower() in _ARTICLES:
                        m += 1  # "Axel Springer, the Associated Press and the Financial Times"
                        if comma_only and provisional is None:
                            provisional = (len(members), last)
                    if refold and etype in _ACTORS and m + 2 < n and toks[m].tag == "ENT" \
                            and toks[m].ent_type in ("ORG", "LOCATION") and toks[m + 1].text in _POSSESSIVE \
                            and toks[m + 2].tag == "ENT" and toks[m + 2].ent_type in _ACTORS:
                        m += 2  # "…, Jeff Bezos, SoftBank's Vision Fund 2 and IVP": the member is the fund
                    if comma_only and m + 1 < n and toks[m + 1].lemma == "OF" and toks[m + 1].text in _POSSESSIVE:
                        break  # "Microsoft, OpenAI's largest backer": an apposition, not a list
                    if m + 1 < n and toks[m + 1].text in _PARENT_OF:
                        break  # "华为云、腾讯云和字节跳动旗下的火山引擎": the member is the unit, not its parent
                    if m < n and toks[m].tag == "ENT" and (toks[m].ent_type == etype or refold and etype in _ACTORS
                                                           and toks[m].ent_type in _ACTORS) \
                            and (_single(toks[m]) or refold) \
                            and not toks[m].anaphor and toks[m].entity != members[-1][0] \
                            and toks[m].start >= toks[k].end \
                            and not (etype == "ORG" and m + 1 < n and toks[m + 1].tag == "ENT"
                                     and toks[m + 1].ent_type == "PRODUCT"):  # "…, Microsoft Azure": the maker of a product
                        if toks[m].ent_type != etype and mixed is None:
                            mixed = (len(members), last)  # investors "Nvidia, Jeff Bezos and IVP"
                        if refold and toks[m].members:
                            members.extend(toks[m].members)
                        else:
                            members.append((toks[m].entity, toks[m].ent_type, toks[m].start, toks[m].end))
                        k = last = m + 1
                        continue
                    break
                # (a member is written after its separator: a subject the second reading carried after
                # a comma is not one: 仅次于苹果，[华为]并与小米竞争)
                if mixed is not None and not joined:  # "At Microsoft, Satya Nadella said": no list
                    members = members[:mixed[0]]
                    last = mixed[1]
                if provisional is not None and not joined:
                    members = members[:provisional[0]]  # "X, the Y unit": an apposition
                    last = provisional[1]
                if etype == "LOCATION" and len(members) == 2 and not joined and toks[j + 1].text == ",":
                    members = members[:1]  # "Menlo Park, California": a place in a place, not a list
                    last = j + 1
                if len(members) == 2 and not joined and last < n and _NEW_CLAUSE.match(toks[last].text) \
                        and toks[j + 1].text in (",", "，"):
                    members = members[:1]  # "燧原的股东是腾讯,壁仞科技则已上市": a new clause, not a list
                    last = j + 1
                if len(members) > 1:
                    seen, uniq = set(), []
                    for mem in members:
                        if mem[0] not in seen:
                            seen.add(mem[0])
                            uniq.append(mem)
                    out.append(Tok(first.start, toks[last - 1].end, "ENT", first.lemma, etype, first.entity,
                                   members=tuple(uniq), text=first.text))
                    i = last
                    continue
                if j != i:  # 显卡RTX4090: the category word belongs to the name
                    out.extend(toks[i:j])
                    i = j
                    t = toks[i] if t.tag != "ENT" else t
                    continue
        out.append(t)
        i += 1
    return out


_MEASURE_WORDS = "家个款名所位种类项"
_ACTORS = frozenset(("ORG", "PERSON"))
_ABOUT_ZH = frozenset(("近", "约", "逾", "超过", "超", "多达", "共", "另外", "其他"))
_ETC_HEADS = ("实体", "巨头", "机构", "对手", "国家", "地区", "企业", "厂商", "公司", "大厂", "业者", "客户",
              "同行", "单位", "品牌", "平台", "产品", "芯片", "模型", "城市", "省份", "集团", "伙伴")


def _unnamed_units(toks: list[Tok], k: int) -> bool:
    """浪潮集团旗下6家子公司: 旗下 at ``k`` is followed by units counted but not named."""
    for j in range(k + 1, min(k + 5, len(toks))):
        u = toks[j]
        if u.tag == "ENT" or u.tag in ("END", "PUNCT"):
            return False
        if u.text.endswith(("公司", "企业", "实体", "单位")):  # (token text is simplified)
            return True
    return False


def _absorb_etc(toks: list[Tok], sent_of: list[int]) -> tuple[list, list, set]:
    """长江存储、寒武纪等36家中国实体; 三星电子、SK海力士等国际巨头: 等 and the kind of thing the
    names are (a number, a measure word, a place, up to two words ending in a kind noun) after a
    name or a list belong to it, so that what the sentence says next reads straight after the names;
    so do units counted but not named (浪潮集团旗下6家子公司列入实体清单: the group stands for them).
    Returns the tokens, their sentences and the sentences that changed."""
    n = len(toks)

    def absorbs(i: int) -> bool:
        t = toks[i]
        return (t.tag == "ENT" and not t.anaphor and i + 1 < n and sent_of[i + 1] == sent_of[i]
                and (toks[i + 1].text in ("等", "等等") or toks[i + 1].text in _PARENT_OF and _unnamed_units(toks, i + 1)))
    first = next((i for i in range(n) if absorbs(i)), None)
    if first is None:
        return toks, sent_of, set()  # most documents: nothing to copy
    out: list[Tok] = list(toks[:first])
    sents: list[int] = list(sent_of[:first])
    changed: set[int] = set()
    i = first
    while i < n:
        t = toks[i]
        if not absorbs(i):
            out.append(t)
            sents.append(sent_of[i])
            i += 1
            continue
        j = i + 2
        if j + 1 < n and toks[j].tag == "GAP" and toks[j].text in _ABOUT_ZH and toks[j + 1].tag == "NUM":
            j += 1  # 等近10家芯片企业
        if j < n and toks[j].tag == "NUM":
            j += 1
        k = j
        if j < n and toks[j].tag == "GAP" and toks[j].text[:1] in _MEASURE_WORDS and len(toks[j].text) == 1:
            k = j + 1
        end = i + 1  # the last token absorbed: 等 at least
        m = k
        while m < n and m - k < 3 and sent_of[m] == sent_of[i]:
            u = toks[m]
            if u.tag == "ENT" and u.ent_type == "LOCATION" and _single(u):
                m += 1
                continue
            if u.lemma in ("FIRM", "MAKER") or u.tag == "SUFFIX" or (
                    u.tag in ("GAP", "LISTFILL") and u.text.endswith(_ETC_HEADS)):
                end = m
                m += 1
                continue
            if u.tag in ("GAP", "LISTFILL") and not u.text.endswith(("的", "将", "被")):
                m += 1
                continue
            break
        out.append(_widened(t, toks[end].end))
        sents.append(sent_of[i])
        changed.add(sent_of[i])
        i = end + 1
    return out, sents, changed


_BARE_CODE = re.compile(r"[a-z]{1,3}\d{1,4}[a-z]{0,3}")  # a19, p800, mi308x: a model code, not v2 or 7b
_ADMINISTRATION = re.compile(r"^((?:the )?)(.+?)\s*(?:政府|administration|Administration)$", re.I)
_PRODUCT_DEMONSTRATIVES = frozenset(("这款", "該款", "这款", "這款", "该款", "此款", "这颗", "這顆", "这一款", "這一款"))
_PRODUCT_KIND = re.compile(r"(芯片|晶片|处理器|處理器|加速器|加速卡|产品|產品|模型|GPU|显卡|顯卡)$", re.I)


def _names_product_before(toks: list[Tok], i: int) -> bool:
    """Is the last product word before ``i`` a named product (H20, H20芯片), in the sentence of ``i`` or
    the one before? Not where an unnamed one comes between (发布了一款新产品，这款…的芯片)."""
    stops = 0
    for k in range(i - 1, -1, -1):
        u = toks[k]
        if u.tag == "ENT" and u.ent_type == "PRODUCT":
            return True
        if _PRODUCT_KIND.search(u.text) and not (k > 0 and toks[k - 1].tag == "ENT" and toks[k - 1].ent_type == "PRODUCT"):
            return False
        if u.tag == "PUNCT" and u.text in "。！？!?":
            stops += 1
            if stops > 1:
                return False
    return False


def _demonstratives(toks: list[Tok]) -> list[Tok]:
    """这家台湾晶圆代工龙头, 该芯片巨头, 这家总部位于加州森尼韦尔的公司: a demonstrative and a kind of
    firm (with at most a place, or a city after its state, and two words between) stand for an organisation named before; the kind word becomes an
    organisation anaphor. The place stays a name ("this Taiwanese foundry" is based in Taiwan).
    A bare 公司 opening a clause ("英伟达表示，公司将推出…") is "the company" too, and so is English
    "the" + up to three words (one may be a place) + a firm word, unless a name follows it ("the AI
    start-up Anthropic" is an apposition, not an anaphor)."""
    for i, t in enumerate(toks):
        if t.tag == "SUFFIX" and t.text in ("公司", "该司", "該司", "集团") and (i == 0 or toks[i - 1].tag in ("PUNCT", "END")) \
                and i + 1 < len(toks) and toks[i + 1].tag in ("FUNC", "GAP", "TRIG", "HEDGE", "STOP"):
            toks[i] = Tok(t.start, t.end, "ANAPHOR", "ORGAN", "ORG", anaphor=True, text=t.text)  # "，公司将推出…"
            continue
        if t.tag == "STOP" and t.text.lower() == "the":  # "the AI start-up said": the firm meant before
            j, places = i + 1, 0
            while j < len(toks) and j <= i + 3 and toks[j].lemma not in ("FIRM", "MAKER") and (
                    toks[j].tag in ("GAP", "LATIN", "LISTFILL")
                    or (toks[j].ent_type == "LOCATION" and (toks[j].tag == "ENT" or toks[j].anaphor)
                        and places == 0)):  # "the US chipmaker", "the Chinese start-up"
                places += toks[j].ent_type == "LOCATION"
                j += 1
            if j < len(toks) and toks[j].lemma in ("FIRM", "MAKER") and toks[j].tag != "ANAPHOR" and (
                    j + 1 >= len(toks) or toks[j + 1].tag not in ("ENT", "LATIN")):
                u = toks[j]  # keeps its class, so "the Hangzhou-based company" rules still see FIRM
                toks[j] = Tok(u.start, u.end, "ANAPHOR", u.lemma, "ORG", anaphor=True, text=u.text)
            continue
        if t.tag == "GAP" and t.text in _PRODUCT_DEMONSTRATIVES:
            # 这款专为中国市场推出的芯片, 这款由英伟达开发的AI芯片: "this chip", its description
            # between, stands for the product named before; the kind word becomes a product anaphor
            for j in range(i + 1, min(i + 10, len(toks))):
                u = toks[j]
                if u.tag == "LISTFILL" and _PRODUCT_KIND.search(u.text):
                    if j > i + 1 and toks[j - 1].lemma == "OF" and _names_product_before(toks, i):
                        toks[j] = Tok(u.start, u.end, "ANAPHOR", "PRON_PRODUCT", "PRODUCT", anaphor=True, text=u.text)
                    break
                if u.tag in ("PUNCT", "END", "NEG", "SEP", "ANAPHOR") or u.tag == "ENT" and u.ent_type == "PRODUCT":
                    break
            continue
        if t.lemma != "DEMONSTRATIVE":
            continue
        j, gaps, places = i + 1, 0, 0
        while j < len(toks) and j <= i + 5:
            u = toks[j]
            if u.lemma == "FIRM" or (u.tag == "SUFFIX" and u.text in ("公司", "企业", "企業")):
                toks[j] = Tok(u.start, u.end, "ANAPHOR", "ORGAN", "ORG", anaphor=True, text=u.text)
                break
            if (u.tag in ("GAP", "TRIG", "LISTFILL") or u.lemma == "OF") and gaps < 2:
                gaps += 1
            elif u.tag == "ENT" and u.ent_type == "LOCATION" and _single(u) and (
                    places == 0 or (places == 1 and toks[j - 1].tag == "ENT")):  # 加州森尼韦尔: a city in its state
                places += 1
            else:
                break
            j += 1
    return toks


_APPOSITION_OPENERS = frozenset(("a", "an", "the", "its", "who", "which", "whose", "one", "now", "formerly",
                                  "previously", "also", "both", "then",
                                  # participles: "Google, owned by Alphabet, unveiled…"
                                  "owned", "based", "founded", "co-founded", "backed", "led", "run", "controlled",
                                  "headquartered", "valued", "known", "created", "formed", "spun", "majority-owned",
                                  "wholly-owned", "listed"))


def _relative_with_name(toks: list[Tok], i: int, j: int) -> bool:
    """``NAME , which|who VERB … NAME … ,`` (tokens i … j): a relative clause that says something of
    its own about the name before it."""
    return toks[i + 2].text.lower() in ("which", "who") and toks[i + 3].tag == "TRIG" \
        and any(toks[k].tag == "ENT" for k in range(i + 4, j))


def _without_relative_clauses(toks: list[Tok], sent_of: list[int], sent_lang) -> tuple[list, list, set] | None:
    """The tokens without the relative clauses that name something (Nokia, which sold its handset
    business to Microsoft in 2014, bought Alcatel-Lucent): the second reading reads such a clause
    on from the name before it, this third one reads the rest of the sentence on from the name."""
    if not any(t.text in ("which", "who") for t in toks):
        return None
    return _without_appositions(toks, sent_of, sent_lang, whole=True)


def _without_appositions(toks: list[Tok], sent_of: list[int], sent_lang, whole: bool = False,
                         v: _View | None = None) -> tuple[list, list, set] | None:
    """The tokens without the English appositions and relative clauses that sit between a name and
    the rest of its clause: ``NAME , (a|an|the|who|which…) … , VERB`` loses ``, … ,`` (at most 12
    tokens, no name of a person in it, and not when a name follows the second comma, which is a
    list). A relative clause that names something keeps its words (it is read on from the name);
    with ``whole``, only such clauses are dropped, whole. None when the document has none; else the
    tokens, their sentences and the sentences that changed."""
    drop: set[int] = set()
    n = len(toks)
    after = 0  # the first token not inside an apposition already dropped
    for i in _view(toks, v).at("ENT"):  # (each one opens with a name)
        if i < after:
            continue
        if i + 3 >= n:
            break
        t = toks[i]
        # (the sentence's language last: it may have to be detected)
        if t.tag == "ENT" and toks[i + 1].lemma == "," \
                and (toks[i + 2].text.lower().split(" ")[0] in _APPOSITION_OPENERS
                     or toks[i + 2].tag == "ENT" and toks[i + 2].ent_type in ("LOCATION", "ORG")
                     and toks[i + 3].text in _POSSESSIVE) \
                and sent_lang[sent_of[i]] == "en":  # (", China's largest chipmaker,")
            si = sent_of[i]
            j = i + 2
            relative = whole and toks[i + 2].text.lower() in ("who", "which", "whose")
            while j < n and j - i <= 13 and sent_of[j] == si and toks[j].lemma not in (",", ";") \
                    and toks[j].tag not in ("END",) and (toks[j].ent_type != "PERSON" or relative):
                j += 1  # (a person in a relative clause: "Gross, who co-founded SSI with Sutskever, left")
            if j < n - 1 and j - i <= 13 and sent_of[j] == si and toks[j].lemma == "," \
                    and sent_of[j + 1] == si and toks[j + 1].tag != "ENT" and toks[j + 1].tag != "END" \
                    and not (toks[j + 1].text.lower() in _APPOSITION_OPENERS and len(toks[j - 1].members) > 1):
                # (", whose … from OpenAI and Google, and xAI, which…": the list ends a coordination)
                if _relative_with_name(toks, i, j):
                    if not whole:
                        drop.update((i + 1, i + 2))  # "AMD, which bought Xilinx in 2022, …": the clause
                    else:                            # is about the name: it reads on from it (and in
                        drop.update(range(i + 1, j + 1))  # a reading of its own, the rest of the sentence)
                elif not whole:
                    drop.update(range(i + 1, j + 1))
                after = j + 1
            elif not whole and j < n and j - i <= 13 and (toks[j].tag == "END" or sent_of[j] != si) \
                    and toks[i + 2].text in ("which", "who") \
                    and any(toks[m].tag == "ENT" for m in range(i + 3, j)) \
                    and not any(toks[m].text.lower() in ("its", "their") for m in range(i + 3, j)):
                # (not with an "its" in it: "xAI, which competes with OpenAI through its Grok" reads
                # its as the clause's name only while "which" is there)
                # "…in OpenAI, which will buy millions of Nvidia's processors.": a relative clause
                # that ends the sentence reads on from the name too
                drop.update((i + 1, i + 2))
                after = j
    return _reduced(toks, sent_of, drop, v=v)


_AND_ITS = frozenset(("及其", "和其", "与其"))  # (token text is simplified)
_AND_ITS_WORDS = _AND_ITS | {"its", "Its"}


def _with_officers_joined(toks: list[Tok], sent_of: list[int], sent_lang, v: _View | None = None) \
        -> tuple[list, list, set] | None:
    """起诉OpenAI及其首席执行官阿尔特曼; sued OpenAI and its chief executive, Sam Altman: after a
    verb, a firm and its officer named with a title are one list, so that the verb reaches both
    (the officer's title was read in the first reading). None when the document has none; else
    the tokens, their sentences and the sentences that changed."""
    if _AND_ITS_WORDS.isdisjoint(_view(toks, v).texts):
        return None
    out: list[Tok] = []
    out_sent: list[int] = []
    changed: set[int] = set()
    i, n = 0, len(toks)
    while i < n:
        t = toks[i]
        if t.tag == "ENT" and t.ent_type == "ORG" and not t.members and i > 0 and toks[i - 1].tag == "TRIG" \
                and i + 3 < n:
            j = i + 1
            if toks[j].text in _AND_ITS:
                j += 1
            elif toks[j].lemma == "AND" and toks[j + 1].text.lower() == "its":
                j += 2
            else:
                j = i
            if i < j < n and toks[j].tag == "TITLE":
                k = j + 1
                if k < n and toks[k].lemma == ",":
                    k += 1
                if k < n and toks[k].tag == "ENT" and toks[k].ent_type == "PERSON" and not toks[k].members \
                        and sent_of[k] == sent_of[i] == sent_of[i - 1]:
                    p = toks[k]
                    out.append(Tok(t.start, p.end, "ENT", t.lemma, t.ent_type, t.entity,
                                   members=((t.entity, t.ent_type, t.start, t.end),
                                            (p.entity, p.ent_type, p.start, p.end)), text=t.text))
                    out_sent.append(sent_of[i])
                    changed.add(sent_of[i])
                    i = k + 1
                    continue
        out.append(t)
        out_sent.append(sent_of[i])
        i += 1
    return (out, out_sent, changed) if changed else None


_EN_AUX = frozenset("has have had is are was were will would could may might can also now already "
                    "has also have also had also".split())
_EN_CONTROL = frozenset("agreed agrees agree plans planned plan aims aimed aim intends intended intend decided "
                        "decides decide wants wanted want hopes hoped hope moved moves sought seeks seek set poised "
                        "preparing prepares prepared planning looking seeking going due about offered offers "
                        "promised promises pledged pledges committed vowed vows signed".split())
_EN_MODAL = frozenset("will would could may might can".split())
_EN_AUX_CONTROL = _EN_AUX | _EN_CONTROL


def _without_en_modals(toks: list[Tok], sent_of: list[int], sent_lang, v: _View | None = None) \
        -> tuple[list, list, set] | None:
    """The tokens without what English puts between a subject and its verb to say the act is
    planned or agreed: Meta agreed to buy a stake in Scale AI; Nvidia plans to invest, is set to
    buy, has also agreed to acquire (a hedge such as "is expected to" stays: it makes the edge
    reported). None when the document has none; else the tokens, their sentences and the
    sentences that changed."""
    drop: set[int] = set()
    n = len(toks)
    v = _view(toks, v)
    if _EN_AUX_CONTROL.isdisjoint(map(str.lower, v.texts)):
        return None  # (no auxiliary, modal or verb of planning: nothing is left out)
    for i in sorted(set(v.at("ENT")).union(v.anaphors())):  # (a subject: a name or a word for one)
        if i >= n - 2:
            break
        t = toks[i]
        j = i + 1
        while j < n and toks[j].text.lower() in _EN_AUX and toks[j].tag != "HEDGE":
            j += 1
        k = j
        if k < n and toks[k].text.lower() in _EN_CONTROL and toks[k].tag != "HEDGE" \
                and k + 1 < n and toks[k + 1].text.lower() == "to":
            k += 2
        elif not (j > i + 1 and toks[j - 1].text.lower() in _EN_MODAL):
            continue  # only a modal ("will acquire") or a verb of planning + "to" is left out
        if k < n and toks[k].tag == "TRIG" and sent_of[k] == sent_of[i] and sent_lang[sent_of[i]] == "en":
            drop.update(range(i + 1, k))
    return _reduced(toks, sent_of, drop, near=1, v=v)


def _without_kind_words(toks: list[Tok], sent_of: list[int], sent_lang, v: _View | None = None) \
        -> tuple[list, list, set] | None:
    """The tokens without the kind word after a product's name (Huawei's Ascend chips are made by
    SMIC; 昇腾910B芯片由中芯国际代工): the name is the thing the verb is about. None when the
    document has none; else the tokens, their sentences and the sentences that changed."""
    drop = {k for k in _view(toks, v).at("LISTFILL") if k >= 1 and toks[k - 1].tag == "ENT"
            and toks[k - 1].ent_type == "PRODUCT" and sent_of[k - 1] == sent_of[k]
            and not (k + 2 < len(toks) and toks[k + 1].tag == "SEP"
                     and toks[k + 2].tag not in ("ENT", "LISTFILL", "STOP"))}  # (its MI350 chips and signed…)
    return _reduced(toks, sent_of, drop, near=1, v=v)


_EN_ADVERBS = frozenset("also now already recently previously still further later then formally officially "
                        "quietly jointly separately eventually finally initially originally subsequently "
                        "publicly privately currently once since".split())


def _without_en_adverbs(toks: list[Tok], sent_of: list[int], sent_lang, v: _View | None = None) \
        -> tuple[list, list, set] | None:
    """The tokens without English adverbs of time and manner near a name (OpenAI also said it had
    hired Fidji Simo; Nvidia has since invested in…): they carry no argument, and rules allow
    only a few words between a name and its verb. None when the document has none; else the
    tokens, their sentences and the sentences that changed."""
    v = _view(toks, v)
    if _EN_ADVERBS.isdisjoint(map(str.lower, v.texts)):
        return None
    drop = {k for k in v.at("GAP") if toks[k].text.lower() in _EN_ADVERBS and sent_lang[sent_of[k]] == "en"}
    return _reduced(toks, sent_of, drop, near=3, v=v)


def _without_one_of(toks: list[Tok], sent_of: list[int], sent_lang, v: _View | None = None) \
        -> tuple[list, list, set] | None:
    """The tokens without English "one of" or "among" before a name's possessive or "the" (Nvidia
    is one of TSMC's largest customers; Microsoft, one of the biggest investors in OpenAI; AMD is
    among Nvidia's rivals): one of several is still one, and rules read "X is Y's largest customer".
    None when the document has none; else the tokens, their sentences and the sentences that
    changed."""
    v = _view(toks, v)
    drop: set[int] = set()
    n = len(toks)
    for k in v.at("GAP"):
        w = toks[k].text.lower()
        if w not in ("one", "among") or k + 2 >= n or sent_lang[sent_of[k]] != "en":
            continue
        j = k + 1
        if w == "one":
            if toks[j].text.lower() != "of":
                continue
            j += 1
        u = toks[j]
        if sent_of[j] != sent_of[k]:
            continue
        if (u.tag == "ENT" and u.ent_type == "ORG" and j + 1 < n and toks[j + 1].text in _POSSESSIVE) \
                or u.text.lower() == "the":
            drop.update(range(k, j))
    return _reduced(toks, sent_of, drop, v=v)


_COMPARED_WITH = frozenset(("与", "和", "跟", "同", "比", "较", "对标", "超越", "超过", "than", "to", "against", "with",
                            "like", "versus", "vs"))


def _mid_list_place_possessive(toks: list[Tok], i: int) -> bool:
    """Is the name at ``i`` written with a place's possessive that continues a list of names written
    so ("Sweden's Ericsson, China's Huawei and Samsung": ``, PLACE 's`` before it)?"""
    return i >= 3 and toks[i - 1].text in _POSSESSIVE and toks[i - 2].tag == "ENT" \
        and toks[i - 2].ent_type == "LOCATION" and toks[i - 3].text in (",", "and")


def _without_place_possessives(toks: list[Tok], sent_of: list[int], sent_lang, v: _View | None = None) \
        -> tuple[list, list, set] | None:
    """The tokens without the places' possessives written before the names of a list ("competes with
    Sweden's Ericsson, China's Huawei and Samsung"): the list is then read as one (the first reading
    has each place's edge). Only where one such name follows a comma or "and" after another name.
    None when the document has none; else the tokens, their sentences and the sentences that changed."""
    drop: set[int] = set()
    for i in _view(toks, v).at("ENT"):
        if toks[i].ent_type == "ORG" and _mid_list_place_possessive(toks, i) and i >= 4 \
                and toks[i - 4].tag == "ENT" and sent_of[i - 4] == sent_of[i]:
            drop.update((i - 2, i - 1))
            k = i - 4  # the list's first name may have its own place before it
            if k >= 2 and toks[k - 1].text in _POSSESSIVE and toks[k - 2].tag == "ENT" \
                    and toks[k - 2].ent_type == "LOCATION" and sent_of[k - 2] == sent_of[i]:
                drop.update((k - 2, k - 1))
    if not drop:
        return None
    return _reduced(toks, sent_of, drop, v=v)


def _without_product_owners(toks: list[Tok], sent_of: list[int], sent_lang, v: _View | None = None) \
        -> tuple[list, list, set] | None:
    """The tokens without the makers written before products compared with after a preposition,
    each member of a list (可与深度求索的DeepSeek-V3、月之暗面的Kimi K2相媲美; beat OpenAI's GPT-4o and
    Google's Gemini): the products are what the sentence compares (the first reading has the makers'
    edges). Only a list whose first member follows the preposition loses them all, so a maker never
    becomes the maker of the others. None when the document has none; else the tokens, their
    sentences and the sentences that changed."""
    def owned(k: int) -> bool:  # ORG 的/'s PRODUCT at k
        return (k + 2 < len(toks) and toks[k].tag == "ENT" and toks[k].ent_type == "ORG" and _single(toks[k])
                and (toks[k + 1].text == "的" or toks[k + 1].text in _POSSESSIVE)
                and toks[k + 2].tag == "ENT" and toks[k + 2].ent_type == "PRODUCT"
                and sent_of[k] == sent_of[k + 2])
    drop: set[int] = set()
    for k in _view(toks, v).at("ENT"):
        if not 1 <= k < len(toks) - 2:
            continue
        before = k - 1
        if toks[before].text == "了" and before > 0:
            before -= 1  # 超越了深度求索的DeepSeek-R1
        if toks[k].tag != "ENT" or not (owned(k) and toks[before].text.lower() in _COMPARED_WITH
                                        and sent_of[before] == sent_of[k]):
            continue
        if k > 1 and toks[k - 2].tag == "ENT":  # "…的GPT-4o和Anthropic的Claude": 和 joins a list here
            continue
        run = [k]
        m = k + 3
        while m + 1 < len(toks) and (toks[m].lemma in ("、", ",", "AND") or toks[m].tag == "SEP") and owned(m + 1):
            run.append(m + 1)
            m += 4
        for r in run:
            drop.update((r, r + 1))
    return _reduced(toks, sent_of, drop, v=v)


def _without_person_titles(toks: list[Tok], sent_of: list[int], sent_lang, v: _View | None = None) \
        -> tuple[list, list, set] | None:
    """The tokens without the title (and its organisation) written before a person after a verb or
    a preposition: founded by former OpenAI CTO Mira Murati; 由前OpenAI首席技术官穆拉蒂创立 (the
    first reading has the title's own edge). None when the document has none; else the tokens,
    their sentences and the sentences that changed."""
    drop: set[int] = set()
    for p in _view(toks, v).at("TITLE"):
        p += 1  # (the person after the title)
        if not 2 <= p < len(toks):
            continue
        if not (toks[p].tag == "ENT" and toks[p].ent_type == "PERSON" and toks[p - 1].tag == "TITLE"):
            continue
        k, si = p - 1, sent_of[p]
        if k > 0 and toks[k - 1].text in _POSSESSIVE:
            k -= 1  # OpenAI's former CTO
        if k > 0 and toks[k - 1].tag == "FORMER":
            k -= 1
        if k > 1 and toks[k - 1].tag == "GAP" and len(toks[k - 1].text) <= 4 and _CJK.search(toks[k - 1].text) \
                and toks[k - 2].tag == "ENT" and toks[k - 2].ent_type == "ORG":
            k -= 1  # 前英伟达全球副总裁张建中: a word of scope between the firm and the title
        if k > 0 and toks[k - 1].tag == "ENT" and toks[k - 1].ent_type == "ORG" and _single(toks[k - 1]):
            k -= 1
            if k > 0 and toks[k - 1].tag == "TRIG" and toks[k - 1].lemma in ("FIRM", "MAKER") \
                    and _CJK.search(toks[k - 1].text):
                # 由量化基金幻方量化创始人梁文锋创立: the firm's kind word (and a word before it) too
                k -= 1
                if k > 0 and toks[k - 1].tag == "GAP" and len(toks[k - 1].text) <= 4 and _CJK.search(toks[k - 1].text):
                    k -= 1
        if k > 0 and toks[k - 1].tag == "FORMER":
            k -= 1
        if k > 0 and sent_of[k - 1] == si and toks[k - 1].tag in ("TRIG", "FUNC") \
                and not (toks[k - 1].lemma == "OF" or toks[k - 1].text in _POSSESSIVE):
            drop.update(range(k, p))
        elif k > 2 and sent_of[k - 1] == si and toks[k - 1].tag == "SEP" and toks[k - 2].tag == "ENT" \
                and toks[k - 2].ent_type == "PERSON" and k - 3 in drop:
            # "by former DeepMind researcher Arthur Mensch and former Meta researchers Guillaume
            # Lample and Timothee Lacroix": the list after the preposition goes on
            drop.update(range(k, p))
    return _reduced(toks, sent_of, drop, v=v)


_TIME_WORD = re.compile(r"^(今年|去年|明年|前年|今年初|今年底|今年年初|今年年底|去年底|去年初|年初|年底|年中|上月|本月|下月|"
                        r"上周|本周|下周|上週|本週|下週|当天|當天|当日|當日|近日|日前|早前|稍早|同年|同月|当时|當時|如今|近期|"
                        r"今年稍早|今年早些时候|今年早些時候|週[一二三四五六日]|周[一二三四五六日]|星期[一二三四五六日天])$")
_TIME_UNIT = re.compile(r"^(年|月|日|号|號|年初|年底|年中|年末|月初|月底|月中|月末|年间|年間|年时|年時)"
                        r"(起|也|已|还|還|将|將|又|再|则|則|就|便|才|均|都|亦|即|正)?$")  # 8月也宣布: one gap


_MEANINGFUL_TAGS = frozenset(("ENT", "TRIG", "TITLE", "FORMER"))


def _indices(seq: list, value) -> list[int]:
    """The ascending indices of ``value`` in ``seq`` (list.index does the scanning)."""
    out: list[int] = []
    i = -1
    index = seq.index
    try:
        while True:
            i = index(value, i + 1)
            out.append(i)
    except ValueError:
        return out


class _View:
    """What the reducers of the second reading look for, as plain lists made once per token list
    (and shared by the reducers that leave the list as it is): the tags and texts of the tokens,
    and on demand their lemmas, anaphor flags and where each tag is. A reducer reads only the
    tokens that can start what it rewrites; these lists find them without a Python loop."""

    __slots__ = ("toks", "tags", "texts", "_lemmas", "_anaphors", "_at")

    def __init__(self, toks: list[Tok], tags: list[str] | None = None, texts: list[str] | None = None):
        self.toks = toks
        self.tags = [t.tag for t in toks] if tags is None else tags
        self.texts = [t.text for t in toks] if texts is None else texts
        self._lemmas = self._anaphors = None
        self._at: dict[str, list[int]] = {}

    def at(self, tag: str) -> list[int]:
        """The indices of the tokens tagged ``tag``, ascending."""
        found = self._at.get(tag)
        if found is None:
            if tag == "GAP":  # (most tokens of a Chinese text: one pass in C)
                found = self._at[tag] = list(compress(range(len(self.tags)), map(tag.__eq__, self.tags)))
            else:
                found = self._at[tag] = _indices(self.tags, tag)
        return found

    @property
    def lemmas(self) -> list[str]:
        if self._lemmas is None:
            self._lemmas = [t.lemma for t in self.toks]
        return self._lemmas

    def anaphors(self) -> list[int]:
        """The indices of the tokens that stand for a name (``Tok.anaphor``), ascending."""
        if self._anaphors is None:
            self._anaphors = _indices([t.anaphor for t in self.toks], True)
        return self._anaphors

    def with_text(self, *texts: str) -> list[int]:
        """The indices of the tokens whose text is one of ``texts``, ascending."""
        if len(texts) == 1:
            return _indices(self.texts, texts[0])
        return sorted(set().union(*(_indices(self.texts, x) for x in texts)))


def _view(toks: list[Tok], v: "_View | None") -> _View:
    return v if v is not None and v.toks is toks else _View(toks)


class _Reduced(tuple):
    """What a reducer returns (tokens, sentences, sentences changed), with the view of the new
    tokens when the reducer had one of the old (``view``; None otherwise)."""

    view = None


def _reduced(toks: list[Tok], sent_of: list[int], drop: set[int], near: int = 0,
             v: _View | None = None) -> tuple[list, list, set] | None:
    """``toks`` without the tokens at ``drop``, their sentences, and the sentences worth reading
    again: those where a dropped token follows a name (what a reading drops before the first name
    of its sentence brings no name nearer to anything), with at most ``near`` kept tokens between
    the name and the dropped run when ``near`` is given. None when nothing is dropped."""
    if not drop:
        return None
    changed: set[int] = set()
    # nothing a rule reads after the run (a name, a rule word, a title): dropping it brings no two
    # such things together, and the sentence reads as before
    n = len(toks)

    def read_after(k: int) -> bool:
        si, j = sent_of[k], k + 1
        while j < n and sent_of[j] == si:
            if j not in drop and (toks[j].tag in _MEANINGFUL_TAGS or toks[j].anaphor):
                return True
            j += 1
        return False
    drop_runs = [k for k in drop if k - 1 not in drop and read_after(k)]
    if near:
        for k in drop_runs:
            j, kept = k - 1, 0
            while j >= 0 and sent_of[j] == sent_of[k] and kept <= near:
                if toks[j].tag == "ENT" or toks[j].anaphor:
                    changed.add(sent_of[k])
                    break
                kept += j not in drop
                j -= 1
    else:
        for k in drop_runs:  # a name before the run in its sentence (sentences are runs of tokens)
            si = sent_of[k]
            j = k - 1
            while j >= 0 and sent_of[j] == si:
                if toks[j].tag == "ENT" or toks[j].anaphor:
                    changed.add(si)
                    break
                j -= 1
    # the tokens between the dropped ones, copied a slice at a time (and the view's lists with them)
    lists = [toks, sent_of]
    if v is not None and v.toks is toks:
        lists += [v.tags, v.texts]
    outs = [[] for _ in lists]
    prev = 0
    for k in sorted(drop):
        if prev <= k < n:
            for src, dst in zip(lists, outs):
                dst += src[prev:k]
            prev = k + 1
    for src, dst in zip(lists, outs):
        dst += src[prev:]
    r = _Reduced((outs[0], outs[1], changed))
    if len(outs) > 2:
        r.view = _View(outs[0], outs[2], outs[3])
    return r


_EN_WEEKDAY = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_EN_MONTH = frozenset("january february march april may june july august september october november december "
                      "jan feb mar apr jun jul aug sep sept oct nov dec".split())
_EN_TIME_PREP = frozenset("on in since by from during until at".split())
_EN_RELATIVE = frozenset("last this next earlier later early late".split())
_EN_PERIOD = frozenset("week month year quarter weekend spring summer autumn fall winter".split())
_EN_MONEY_PRE = frozenset("$ us$ € £ ¥ hk$ nt$".split())
_EN_MAGNITUDE = frozenset("billion million trillion bln mln bn".split())
_EN_CURRENCY = frozenset("yuan euros euro dollars won yen pounds rupees riyals dirhams renminbi".split())
_EN_ABOUT = frozenset("about nearly roughly around approximately almost some over".split())
# the words an English date or sum can open with (a number opens one too): any other token is
# no adjunct, which is what almost every token of a Chinese text is
_EN_ADJUNCT_OPENERS = (_EN_TIME_PREP | _EN_WEEKDAY | _EN_MONTH | _EN_RELATIVE | _EN_MONEY_PRE | _EN_ABOUT
                       | frozenset(("up", "as", "more")))


def _en_adjunct_end(toks: list[Tok], i: int, sent_of: list[int]) -> int:
    """Where an English date or sum of money starting at ``i`` ends (``i`` when none starts
    there): on Tuesday, in October 2024, last week, earlier this year, (up to) $5 billion,
    38 billion yuan."""
    if toks[i].tag != "NUM" and toks[i].text.lower() not in _EN_ADJUNCT_OPENERS:
        return i
    n, si = len(toks), sent_of[i]

    def low(k):
        return toks[k].text.lower() if k < n and sent_of[k] == si else ""
    j = i
    if low(j) in _EN_TIME_PREP:
        j += 1
    w = low(j)
    if w in _EN_WEEKDAY:
        return j + 1
    if w in _EN_MONTH and toks[j].tag == "LATIN":
        j += 1
        if low(j) == "." and j + 1 < n and sent_of[j + 1] == si and toks[j + 1].tag == "NUM":
            j += 1  # "Jan. 5" (a sentence's last full stop stays)
        if j < n and sent_of[j] == si and toks[j].tag == "NUM":
            j += 1
            if low(j) == "," and j + 1 < n and sent_of[j + 1] == si and toks[j + 1].tag == "NUM":
                j += 2
        return j
    if w and toks[j].tag == "NUM" and j > i and re.fullmatch(r"(19|20)\d\d", w):
        return j + 1  # in 2024
    if j == i and w in _EN_RELATIVE:
        k = j + 1
        if low(k) == "this" or low(k) == "last" or low(k) == "next":
            k += 1
        if low(k) in _EN_PERIOD:
            return k + 1
    # money
    j = i
    if low(j) == "up" and low(j + 1) == "to" or low(j) == "as" and low(j + 1) == "much" and low(j + 2) == "as":
        j += 2 if low(j) == "up" else 3
    elif low(j) == "more" and low(j + 1) == "than":
        j += 2
    elif low(j) in _EN_ABOUT:
        j += 1
    sym = low(j) in _EN_MONEY_PRE
    if sym:
        j += 1
    if j < n and sent_of[j] == si and toks[j].tag == "NUM":
        j += 1
        if low(j) in _EN_MAGNITUDE:
            j += 1
        cur = low(j) in _EN_CURRENCY
        if cur:
            j += 1
        if sym or cur:  # a bare number is no sum: "12 Chinese entities" stays
            return j
    return i


def _without_time_adjuncts(toks: list[Tok], sent_of: list[int], sent_lang, v: _View | None = None) \
        -> tuple[list, list, set] | None:
    """The tokens without time adjuncts and sums of money (今年9月, 于2017年, 2024年12月25日, 近日;
    on Tuesday, in October 2024, last week, $38 billion): they sit between a subject and its verb,
    where a rule allows only a few words. None when the document has none; else the tokens, their
    sentences and the sentences that changed."""
    drop: set[int] = set()
    n = len(toks)
    time_word, time_unit = _TIME_WORD.match, _TIME_UNIT.match
    v = _view(toks, v)
    # where a run of time words, an English date or a sum can start: a gap, a number, an opener
    # (a gap that is no time word and no opener starts nothing: the regex runs in map, not in a loop)
    gaps = v.at("GAP")
    starts = set(compress(gaps, map(time_word, map(v.texts.__getitem__, gaps)))).union(
        v.at("NUM"), compress(range(n), map(_EN_ADJUNCT_OPENERS.__contains__, map(str.lower, v.texts))))
    after = 0
    for i in sorted(starts):
        if i < after:
            continue
        t = toks[i]
        tag = t.tag
        if tag != "GAP" and tag != "NUM" and tag == "ENT":
            continue
        j = i
        while j < n:  # a run of time words and number + unit pairs
            t = toks[j]
            if t.tag == "GAP" and time_word(t.text):
                j += 1
            elif t.tag == "NUM" and j + 1 < n and toks[j + 1].tag == "GAP" and time_unit(toks[j + 1].text):
                j += 2
            else:
                break
        if j == i and tag != "ENT":
            j = _en_adjunct_end(toks, i, sent_of)
        if j > i:
            k = i
            if k > 0 and toks[k - 1].text in ("于", "於", "在") and sent_of[k - 1] == sent_of[i]:
                k -= 1  # 于2017年创立: the preposition goes with its date
            drop.update(range(k, j))
            after = j
    return _reduced(toks, sent_of, drop, near=1, v=v)  # a date right after a name, or after its 将/已


def _without_zh_asides(toks: list[Tok], sent_of: list[int], sent_lang, v: _View | None = None) \
        -> tuple[list, list, set] | None:
    """The tokens without two Chinese asides: a verb of saying and its comma (OpenAI宣布，已与AWS
    签署协议: the content clause reads on from the subject), and a parent named before its unit
    (与亚马逊旗下的云计算部门亚马逊云科技签署: the unit is the one meant; the primary reading keeps
    the parent). None when the document has none; else the tokens, their sentences and the
    sentences that changed."""
    drop: set[int] = set()
    n = len(toks)
    v = _view(toks, v)
    for i in sorted(set(_indices(v.lemmas, "STATE")).union(v.at("ENT"))):  # (a verb of saying, a parent)
        t = toks[i]
        if t.lemma == "STATE" and t.tag == "TRIG" and i + 1 < n and toks[i + 1].text in ("，", ",") \
                and sent_of[i + 1] == sent_of[i] and not t.text.isascii() \
                and i + 2 < n and toks[i + 2].tag not in ("ENT", "ANAPHOR", "PUNCT", "END"):
            # (a clause with a subject of its own, 黄仁勋表示，英伟达将…, reads well already)
            drop.add(i + 1)
            if i + 2 < n and (toks[i + 2].tag == "FUNC" or toks[i + 2].tag == "GAP" and len(toks[i + 2].text) == 1):
                drop.add(i)  # the clause goes on without a subject of its own (，已与…, ，将向…)
        elif t.lemma == "STATE" and t.tag == "TRIG" and i + 1 < n and sent_of[i + 1] == sent_of[i] \
                and not t.text.isascii() and toks[i + 1].tag == "FUNC" and toks[i + 1].lemma in ("OBJ_MARKER", "TOWARD", "WITH"):
            drop.add(i)  # 宣布将向OpenAI投资: what is announced reads on from the subject
        elif t.lemma == "STATE" and t.tag == "TRIG" and t.text.isascii() and i > 0 and toks[i - 1].tag == "ENT" \
                and toks[i - 1].ent_type in ("ORG", "PERSON") and sent_of[i - 1] == sent_of[i]:
            # "Nvidia said (on Tuesday) (that) it would work with Uber": the subject reads on
            j = i + 1
            j = _en_adjunct_end(toks, j, sent_of) if j < n else j
            if j < n and toks[j].text.lower() == "that":
                j += 1
            if j < n and sent_of[j] == sent_of[i] and toks[j].text.lower() in (
                    ("it",) if toks[i - 1].ent_type == "ORG" else ("he", "she")):
                drop.update(range(i, j + 1))
        elif t.tag == "ENT" and t.ent_type == "ORG" and i + 2 < n and toks[i + 1].text in _PARENT_OF:
            j = i + 2
            if toks[j].lemma == "OF":
                j += 1
            k = j
            while k < n and k - j < 3 and sent_of[k] == sent_of[i] and (
                    toks[k].tag in ("GAP", "LISTFILL") or toks[k].lemma in ("FIRM", "UNIT")):
                k += 1
            if k < n and sent_of[k] == sent_of[i] and toks[k].tag == "ENT" and toks[k].ent_type == "ORG":
                drop.update(range(i, k))
    return _reduced(toks, sent_of, drop, v=v)


def _without_zh_modifiers(toks: list[Tok], sent_of: list[int], sent_lang, v: _View | None = None) \
        -> tuple[list, list, set] | None:
    """The tokens without a Chinese modifier clause between a verb and the name it modifies
    (小米推出了搭载自研4G基带的手表芯片玄戒T1; 投资了专注推理芯片的初创公司X): a clause ending in 的
    that names nothing, so no argument is lost, and that holds something a rule's filler does not
    pass (a rule word, a Latin word, a title) or is longer than a filler. None when the document
    has none; else the tokens, their sentences and the sentences that changed."""
    drop: set[int] = set()
    n = len(toks)
    for i in _view(toks, v).at("TRIG"):
        t = toks[i]
        if t.tag != "TRIG" or t.text.isascii() or i + 2 >= n:
            continue
        si = sent_of[i]
        j, last_of, odd = i + 1, -1, False
        while j < n and j - i <= 12 and sent_of[j] == si:
            u = toks[j]
            if u.tag in ("ENT", "END") or u.anaphor or (u.tag == "PUNCT" and u.lemma != "“" and u.lemma != "”"):
                break
            if u.lemma == "OF":
                last_of = j
            elif u.tag not in ("GAP", "FUNC", "NUM", "SUFFIX", "LISTFILL"):
                odd = True
            j += 1
        if last_of < 0 or j >= n or sent_of[j] != si or toks[j].tag != "ENT" or j - last_of > 4:
            continue
        if any(toks[k].tag not in ("GAP", "LISTFILL", "SUFFIX", "NUM") and toks[k].lemma not in ("FIRM", "UNIT")
               for k in range(last_of + 1, j)):
            continue  # (the name's kind may stand between: 的初创公司月之暗面)
        if odd or last_of - i > 5:
            drop.update(range(i + 1, last_of + 1))
    return _reduced(toks, sent_of, drop, v=v)


_CLAUSE_ADVERBS = frozenset(("并", "並", "也", "还", "還", "已", "则", "則", "又", "再", "更", "亦", "均", "仍", "正", "便",
                             "即", "随后", "隨後", "同时", "同時", "此外", "并且", "並且", "已经", "已經", "正在", "首次",
                             "随即", "隨即", "进而", "進而", "从而", "從而", "也将", "也將", "还将", "還將", "并将", "並將",
                             "已于", "已於", "将于", "將於", "计划", "計劃", "预计", "預計", "拟", "擬", "曾", "曾经", "曾經"))
_CARRY_FUNCS = frozenset(("OBJ_MARKER", "WITH", "TOWARD", "IN", "PASSIVE"))
_CLAUSE_ADVERB_HEADS = frozenset("并並也还還又再亦仍已则則")
_EN_PRESENT = re.compile(r"^[a-z]+s$(?<!ers)(?<!ors)(?<!ments)(?<!ships)(?<!ions)(?<!ss)")  # relies, sells, uses
_EN_PAST = re.compile(r"^(?:[a-z]+ed|said|won|led|bought|sold|made|struck|took|became|began|unveiled|agreed|will|would|plans|"
                      r"says|has|had|also)$")  # a verb that goes on with the subject: "… and signed a deal"


def _with_carried_subjects(toks: list[Tok], sent_of: list[int], sent_lang, v: _View | None = None) \
        -> tuple[list, list, set] | None:
    """The tokens with the subject of a Chinese clause carried into the subjectless clauses after it
    (英伟达周二发布财报，并宣布将向OpenAI投资1000亿美元: 英伟达 is read again after the comma), so
    every rule, not only those that look back, sees who acts. The carried token is a copy of the
    name (same offsets). None when no clause needs one; else the tokens, their sentences and the
    sentences that changed."""
    carried: list[tuple[int, Tok]] = []  # (token index, the subject copied after it)
    changed: set[int] = set()
    subject: Tok | None = None
    subject_sent = -1
    n = len(toks)
    v = _view(toks, v)
    # only names, commas, semicolons and "and" do something: the rest is copied as it is (a
    # subject holds to the end of its sentence)
    for i in sorted(set(v.at("ENT")).union(v.at("SEP"), v.with_text(",", ";"))):
        t = toks[i]
        if subject is not None and sent_of[i] != subject_sent:
            subject = None
        if t.tag == "ENT" and t.ent_type in ("ORG", "PERSON") and _single(t) and subject is None \
                and _opens_clause(toks, i, sent_of) and not _is_source(toks, i):
            subject, subject_sent = t, sent_of[i]
        elif t.text in (",", ";") and subject is not None and i + 1 < n and sent_of[i + 1] == sent_of[i] \
                and not toks[i + 1].text.isascii():  # (the normalised text has ASCII commas)
            u = toks[i + 1]
            if (u.tag == "TRIG" and u.lemma not in ("FIRM", "MAKER", "STATE", "BASED", "HEADQUARTERS")) \
                    or (u.tag == "FUNC" and u.lemma in _CARRY_FUNCS) \
                    or (u.tag in ("GAP", "HEDGE") and (u.text in _CLAUSE_ADVERBS or (
                        len(u.text) <= 4 and u.text[:1] in _CLAUSE_ADVERB_HEADS and _CJK.match(u.text[-1])))):
                # (并继续, 也已: an adverb written together with the words after it)
                carried.append((i, subject))
                changed.add(sent_of[i])
        elif t.tag == "SEP" and t.text.lower() == "and" and subject is not None and i + 1 < n \
                and sent_of[i + 1] == sent_of[i] and toks[i + 1].tag in ("TRIG", "GAP") \
                and (_EN_PAST.match(toks[i + 1].text) or toks[i + 1].tag == "TRIG"
                     and _EN_PRESENT.match(toks[i + 1].text.split(" ")[0])) and toks[i - 1].tag != "ENT":
            # "AMD unveiled its MI350 chips and signed a deal with OpenAI": the subject goes on
            carried.append((i, subject))
            changed.add(sent_of[i])
    if not changed:
        return None
    out: list[Tok] = []
    sents: list[int] = []
    prev = 0
    for i, subj in carried:
        out += toks[prev:i + 1]
        sents += sent_of[prev:i + 1]
        out.append(subj)
        sents.append(sent_of[i])
        prev = i + 1
    out += toks[prev:]
    sents += sent_of[prev:]
    return out, sents, changed


def _after_clause_break(toks: list[Tok], i: int, sent_of: list[int]) -> bool:
    """Is token ``i`` at the start of its sentence or right after a comma or semicolon (an article
    or demonstrative between): not after a word such as "unlike"?"""
    j = i - 1
    while j >= 0 and sent_of[j] == sent_of[i] and toks[j].tag == "STOP":
        j -= 1
    return j < 0 or sent_of[j] != sent_of[i] or toks[j].tag in ("PUNCT", "END")


_TIME_OPENERS = frozenset(("in", "on", "by", "since", "last", "this", "earlier", "later", "then", "after", "until"))


def _clause_it(toks: list[Tok], i: int, sent_of: list[int]) -> tuple[str, str] | None:
    """The organisation a lowercase "it" opening a clause before a verb stands for: after a fronted
    time phrase ("In September it agreed to buy…", "Last year it raised…"), the subject of the
    sentence before; after ", and" / ", but" ("Nokia is losing ground, and it competes with
    Ericsson"), the organisation that opens the sentence. None elsewhere."""
    j = i - 1
    while j > 0 and sent_of[j - 1] == sent_of[i]:
        j -= 1
    before = toks[j:i]
    if before and before[0].text.lower() in _TIME_OPENERS and len(before) <= 4 \
            and all(u.tag in ("FUNC", "LATIN", "GAP", "NUM", "STOP") and not u.ent_type for u in before):
        ref = _previous_subject(toks, i, sent_of, "ORG")
        if ref is None and j > 0:  # else the one organisation the sentence before names
            k = j - 1
            while k > 0 and sent_of[k - 1] == sent_of[j - 1]:
                k -= 1
            prev = [u for u in toks[k:j] if u.tag == "ENT" and u.ent_type != "LOCATION"]
            named = {u.entity for u in prev if u.ent_type == "ORG" and _single(u)}
            others = any(u.ent_type != "ORG" or not _single(u) for u in prev)
            if len(named) == 1 and not others:
                ref = (next(iter(named)), "ORG")
        return ref
    if i >= 2 and toks[i - 1].text in ("and", "but") and toks[i - 2].text == ",":
        first = toks[j]
        if first.tag == "ENT" and first.ent_type == "ORG" and _single(first) and not _is_source(toks, j) \
                and not any(u.tag == "ENT" and u.ent_type == "ORG" for u in toks[j + 1:i]):
            return (first.entity, "ORG")
    return None


def _topic_over_newcomer(toks: list[Tok], j: int, start: int, found: list) -> list:
    """The document's topic instead of ``found`` (a clause subject in the sentence starting at
    ``j``) when that subject is named there for the first time and one organisation was named at
    least three times before and more than any other ("CoreWeave signs a deal … CoreWeave …
    Microsoft was CoreWeave's largest customer last year. Chief Executive Michael Intrator said…":
    CoreWeave's chief executive, not Microsoft's)."""
    eid = found[0][0]
    if any(t.tag == "ENT" and t.entity == eid for t in toks[:j]):
        return found
    counts = Counter(t.entity for t in toks[:start] if t.tag == "ENT" and t.ent_type == "ORG" and _single(t))
    if not counts:
        return found
    (top, n), *rest = counts.most_common(2)
    if top != eid and n >= 3 and (not rest or rest[0][1] < n):
        return [(top, "ORG")]
    return found


def _named_as_state_body(toks: list[Tok], i: int, entity: str) -> bool:
    """Is ``entity`` written before token ``i`` with a government body's name (美国商务部, the Commerce
    Department)?"""
    return any(u.tag == "ENT" and u.entity == entity and _GOV_BODY.search(u.text) for u in toks[:i])


def _recent_subject(toks: list[Tok], i: int, sent_of: list[int], etype: str, window: int = 4) \
        -> tuple[str, str] | None:
    """The name that opens the nearest of the ``window`` sentences before token ``i``'s that opens
    with one name of type ``etype`` ("Anthropic said it raised $13 billion. Fidelity and Lightspeed
    co-led the round. … The San Francisco-based start-up": Anthropic), when sentences opened by a
    list or by no name come between."""
    k = i - 1
    while k >= 0 and sent_of[k] == sent_of[i]:
        k -= 1
    seen = 0
    while k >= 0 and seen < window:
        ref = _previous_subject(toks, k + 1, sent_of, etype)
        if ref is not None:
            return ref
        s = sent_of[k]
        while k >= 0 and sent_of[k] == s:
            k -= 1
        seen += 1
    return None


def _previous_subject(toks: list[Tok], i: int, sent_of: list[int], etype: str) -> tuple[str, str] | None:
    """The name that opens the sentence before token ``i``'s (its subject), if it is one name of
    type ``etype``."""
    k = i - 1
    while k >= 0 and sent_of[k] == sent_of[i]:
        k -= 1
    if k < 0:
        return None
    prev = sent_of[k]
    while k > 0 and sent_of[k - 1] == prev:
        k -= 1
    while k < i and sent_of[k] == prev and toks[k].tag in ("STOP", "GAP", "NUM", "HEDGE", "FUNC"):
        k += 1
    if k < i and sent_of[k] == prev and toks[k].tag == "ENT" and toks[k].ent_type == etype and _single(toks[k]) \
            and _opens_clause(toks, k, sent_of) and not _is_source(toks, k):
        return (toks[k].entity, etype)
    return None


def _closing_attribution(toks: list[Tok], i: int, sent_of: list[int]) -> bool:
    """Is the word at ``i`` the speaker of a closing attribution (", the company said.", "，该公司表示。"):
    after a comma, with only a verb of saying (and a time word) before the sentence ends?"""
    if i == 0 or sent_of[i - 1] != sent_of[i] or toks[i - 1].text not in (",", "，"):
        return False
    j = i + 1
    if j < len(toks) and sent_of[j] == sent_of[i] and toks[j].lemma == "STATE":
        j += 1
        while j < len(toks) and sent_of[j] == sent_of[i] and toks[j].tag in ("GAP", "NUM") and j - i <= 3:
            j += 1
        return j >= len(toks) or sent_of[j] != sent_of[i] or toks[j].tag == "END"
    return False


def _with_named_anaphors(toks: list[Tok], sent_of: list[int], sent_lang, v: _View | None = None) \
        -> tuple[list, list, set] | None:
    """The tokens with the name meant in place of a word that stands for it at the start of a
    clause (The chipmaker said it would invest in Intel; 该公司表示…; 他随后…), and of an English
    sentence's opening "It" when the sentence before opens with an organisation (Anthropic was
    founded in 2021. It is backed by Amazon): every rule, not only those that read anaphors, then
    sees who acts. The name is a copy at the word's offsets. None when there is none; else the
    tokens, their sentences and the sentences that changed."""
    out: list[Tok] | None = None
    changed: set[int] = set()
    v = _view(toks, v)
    for i in sorted(set(v.anaphors()).union(v.with_text("It", "it"))):  # (no other token does anything)
        t = toks[i]
        ref = None
        if t.anaphor and t.ent_type in ("ORG", "PERSON") and t.text != "其" and _opens_clause(toks, i, sent_of) \
                and _after_clause_break(toks, i, sent_of) and not _closing_attribution(toks, i, sent_of):
            k = i - 1
            while k >= 0 and sent_of[k] == sent_of[i] and not (toks[k].tag == "ENT" and toks[k].ent_type == t.ent_type):
                k -= 1
            if k >= 0 and sent_of[k] == sent_of[i]:  # named before it in its sentence: the nearest
                ref = _resolve_anaphor(toks, i, sent_of, frozenset())
            else:  # the subject of the sentence before, else as the first reading resolves it
                ref = _previous_subject(toks, i, sent_of, t.ent_type)
                if ref is not None and _COMPANY_WORD.search(t.text) and _named_as_state_body(toks, i, ref[0]):
                    ref = None  # "公司" is no government body (美国商务部将摩尔线程列入实体清单。公司股东…)
                ref = ref or _resolve_anaphor(toks, i, sent_of, frozenset())
        elif t.text == "It" and (i == 0 or sent_of[i - 1] != sent_of[i]) and i + 1 < len(toks) \
                and sent_of[i + 1] == sent_of[i] and toks[i + 1].tag in ("TRIG", "FUNC", "GAP", "HEDGE") \
                and not toks[i + 1].text.startswith("'"):
            ref = _previous_subject(toks, i, sent_of, "ORG")
        elif t.text == "it" and i > 0 and sent_of[i - 1] == sent_of[i] and i + 1 < len(toks) \
                and sent_of[i + 1] == sent_of[i] and toks[i + 1].tag in ("TRIG", "HEDGE", "GAP") \
                and sent_lang[sent_of[i]] == "en":
            ref = _clause_it(toks, i, sent_of)
        if ref is None:
            continue
        for j in range(i - 1, -1, -1):
            u = toks[j]
            if u.tag == "ENT" and u.entity == ref[0] and _single(u):
                if out is None:
                    out = list(toks)
                out[i] = Tok(t.start, t.end, "ENT", u.lemma, u.ent_type, u.entity, text=u.text)
                changed.add(sent_of[i])
                break
    if out is None:
        return None
    return out, list(sent_of), changed


def _with_described_firms(toks: list[Tok], sent_of: list[int], sent_lang, v: _View | None = None) \
        -> tuple[list, list, set] | None:
    """The tokens with the name meant in place of "the PLACE-based firm" opening an English sentence
    (Nvidia reported record sales. The Santa Clara-based chipmaker said it would…; The Denver-based
    company, run by Alex Karp, …): the firm that opens the sentence before, as for "the company".
    Not where the sentence names the firm next ("The Hangzhou-based start-up, DeepSeek, …"). None
    when there is none; else the tokens, their sentences and the sentences that changed."""
    v = _view(toks, v)
    n = len(toks)
    out_t: list[Tok] = []
    out_s: list[int] = []
    changed: set[int] = set()
    last = 0
    for i in v.at("STOP"):
        if i < last or toks[i].text not in ("The", "the") or not (i == 0 or sent_of[i - 1] != sent_of[i]) \
                or i + 4 >= n or sent_lang[sent_of[i]] != "en":
            continue
        loc, dash, based = toks[i + 1], toks[i + 2], toks[i + 3]
        if not (loc.tag == "ENT" and loc.ent_type == "LOCATION" and dash.text == "-"
                and based.text.lower() in ("based", "headquartered")):
            continue
        j = i + 4
        if toks[j].tag in ("GAP", "LISTFILL") and j + 1 < n and toks[j + 1].lemma in ("FIRM", "MAKER"):
            j += 1
        if toks[j].lemma not in ("FIRM", "MAKER") or any(sent_of[k] != sent_of[i] for k in range(i, j + 1)):
            continue
        if j + 2 < n and toks[j + 1].lemma == "," and toks[j + 2].tag in ("ENT", "LATIN"):
            continue  # "The Hangzhou-based start-up, DeepSeek, said": the name is given
        ref = _previous_subject(toks, i, sent_of, "ORG") or _recent_subject(toks, i, sent_of, "ORG")
        if ref is None:
            continue
        u = next((w for w in reversed(toks[:i]) if w.tag == "ENT" and w.entity == ref[0] and _single(w)), None)
        if u is None:
            continue
        out_t.extend(toks[last:i])
        out_s.extend(sent_of[last:i])
        out_t.append(Tok(toks[i].start, toks[j].end, "ENT", u.lemma, u.ent_type, u.entity, text=u.text))
        out_s.append(sent_of[i])
        changed.add(sent_of[i])
        last = j + 1
    if not changed:
        return None
    out_t.extend(toks[last:])
    out_s.extend(sent_of[last:])
    return out_t, out_s, changed


_OPEN_PAREN = frozenset(("(", "（"))
_CLOSE_PAREN = frozenset((")", "）"))


def _without_parentheses(toks: list[Tok], sent_of: list[int], sent_lang, v: _View | None = None) \
        -> tuple[list, list, set] | None:
    """The tokens without what brackets hold inside a sentence (Nvidia (NVDA.O) said…; 大基金（简称
    “大基金”）和…; at most 12 tokens): tickers, abbreviations and asides sit between a name and its
    verb. Brackets that join two writings of one name were folded into it before. None when the
    document has none; else the tokens, their sentences and the sentences that changed."""
    drop: set[int] = set()
    n = len(toks)
    v = _view(toks, v)
    after = 0  # the first token after the brackets dropped last
    for i in sorted({i for p in _OPEN_PAREN for i in _indices(v.texts, p) + _indices(v.lemmas, p)}):
        if i < after:
            continue
        if toks[i].lemma in _OPEN_PAREN or toks[i].text in _OPEN_PAREN:
            j = i + 1
            while j < n and j - i <= 13 and sent_of[j] == sent_of[i] and toks[j].tag != "END" \
                    and not (toks[j].lemma in _CLOSE_PAREN or toks[j].text in _CLOSE_PAREN) \
                    and not (toks[j].lemma in _OPEN_PAREN or toks[j].text in _OPEN_PAREN):
                j += 1
            if j < n and j - i <= 13 and sent_of[j] == sent_of[i] and (toks[j].lemma in _CLOSE_PAREN
                                                                     or toks[j].text in _CLOSE_PAREN) \
                    and (i > 0 and toks[i - 1].tag == "ENT"
                         or not any(toks[k].tag == "ENT" for k in range(i + 1, j))):
                # (a name in brackets after words that are no name is that name: 日本先进半导体制造
                # 公司（JASM）keeps it)
                drop.update(range(i, j + 1))
                after = j + 1
    return _reduced(toks, sent_of, drop, v=v)


_RELATIONAL_NOUNS = frozenset(("RIVAL", "CUSTOMER", "SUPPLIER", "INVESTOR"))


def _names_next(toks: list[Tok], i: int, end: int, sent_of: list[int]) -> bool:
    """Is the name at ``i``, where a match ends, only a modifier of the name after it ("the main
    backer of OpenAI rival Anthropic", 投资英伟达竞争对手AMD): a word such as rival, then a name
    of the same type?"""
    return (i + 1 >= end and i + 2 < len(toks) and sent_of[i + 2] == sent_of[i]
            and toks[i + 1].lemma in _RELATIONAL_NOUNS and toks[i + 1].tag == "TRIG"
            and toks[i + 2].tag == "ENT" and toks[i + 2].ent_type == toks[i].ent_type)


_REDUCERS = (_with_named_anaphors, _with_described_firms, _with_officers_joined, _without_place_possessives,
             _without_appositions, _without_en_adverbs, _without_one_of,
             _without_en_modals, _without_person_titles, _without_product_owners, _without_kind_words,
             _without_time_adjuncts, _without_parentheses, _without_zh_asides, _without_zh_modifiers,
             _with_carried_subjects)


def _second_reading(r_toks, r_sent, changed: set, sent_lang):
    """The reducers of the second reading, one after another, then lists folded again; returns the
    tokens, their sentences and the sentences that changed."""
    v = None  # (the view of r_toks, shared until a reducer changes them)
    for reduce in _REDUCERS:
        if v is None or v.toks is not r_toks:
            v = _View(r_toks)
        reduced = reduce(r_toks, r_sent, sent_lang, v=v)
        if reduced is not None:
            r_toks, r_sent, dropped = reduced
            changed |= dropped
            v = getattr(reduced, "view", None)
    r_toks, r_sent = _refolded(r_toks, r_sent, changed)  # (may add sentences to changed)
    return r_toks, r_sent, changed


def _dedupe(rels: list[Relation]) -> list[Relation]:
    seen: dict[tuple, Relation] = {}
    for r in rels:
        k = (r.subject, r.relation, r.object, r.start)
        if k not in seen or r.confidence > seen[k].confidence:
            seen[k] = r
    out = list(seen.values())
    specific = {(r.subject, r.object) for r in out if r.relation in _SPECIFIC_ROLES}
    # "led by chief executive Satya Nadella": the title says more than "led by" of the same sentence
    titled = {(r.subject, r.object, r.start) for r in out if r.relation in _TITLED_ROLES}
    return [r for r in out if not (r.relation == "EMPLOYED_BY" and (r.subject, r.object) in specific)
            and not (r.relation == "HEAD_OF" and (r.subject, r.object, r.start) in titled)]


def merge(results: list[DocResult], rules: RuleSet) -> Extraction:
    """Entities and relations of several documents: one entity per id, relations kept per evidence."""
    ex = Extraction(docs=[r.doc_id for r in results])
    seen_alias: dict[str, list[str]] = {}
    counts: Counter = Counter()
    for r in results:
        for m in r.mentions:
            counts[m.entity] += 1
            al = seen_alias.setdefault(m.entity, [])
            if m.text not in al:
                al.append(m.text)
        for eid, ent in r.new_entities.items():
            if eid not in ex.entities:
                ex.entities[eid] = Entity(eid, ent.type, ent.label, ent.name_en, ent.name_zh, "", "pattern",
                                          list(ent.aliases))
            else:
                for a in ent.aliases:
                    if a not in ex.entities[eid].aliases:
                        ex.entities[eid].aliases.append(a)
        ex.relations.extend(r.relations)
    langs = Counter(r.language for r in results)
    ex.language = langs.most_common(1)[0][0] if langs else ""
    for eid in sorted(counts):
        g = rules.gazetteer.get(eid)
        if g is not None:
            ent = Entity(eid, g.type, g.label, g.name_en, g.name_zh, g.wikidata, "gazetteer")
            known = g.names()
        else:
            ent = ex.entities.get(eid) or Entity(eid, "ORG", eid, source="pattern")
            known = [ent.label, *ent.aliases]
        seen = seen_alias.get(eid, [])
        ent.aliases = seen + [a for a in known if a not in seen]
        ent.mentions = counts[eid]
        ex.entities[eid] = ent
    # entities only mentioned through relations (anaphors) still need a node; drop unmentioned ones
    ex.entities = {k: v for k, v in ex.entities.items() if v.mentions > 0}
    ex.relations = [r for r in ex.relations if r.subject in ex.entities and r.object in ex.entities]
    return ex


_DEFAULT: Extractor | None = None


def extract(text: str, rules: RuleSet | None = None, *, doc_id: str = "doc", lang: str | None = None) -> Extraction:
    """Extract entities and relations from one text with the built-in rules (or ``rules``)."""
    global _DEFAULT
    if rules is not None:
        return Extractor(rules).extract(text, doc_id=doc_id, lang=lang)
    if _DEFAULT is None:
        _DEFAULT = Extractor()
    return _DEFAULT.extract(text, doc_id=doc_id, lang=lang)
