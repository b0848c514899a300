"""The fallback tier: a trigger class's ``fallback`` (rules/lexicon.yaml) reads the nearest names
around one of its words in a clause no rule related (README, "The fallback tier")."""

from __future__ import annotations

import dataclasses

import pytest

from kg.errors import RuleError
from kg.extractor import Extractor
from kg.rules import load_rules


def triples(extractor, text):
    return {(r.subject, r.relation, r.object): r for r in extractor.extract(text).relations}


def test_invest_word_between_two_names(extractor):
    got = triples(extractor, "微軟去年斥資15億美元入股總部位於阿布扎比的G42。")
    r = got[("microsoft", "INVESTOR_IN", "g42")]
    assert r.rule == "fallback_invest" and r.confidence == 0.5 and r.certainty == "asserted"
    assert r.evidence == "微軟去年斥資15億美元入股總部位於阿布扎比的G42。"
    # the place belongs to the name after it (總部位於阿布扎比的G42), not to the investor
    assert ("g42", "BASED_IN", "abu_dhabi") in got
    assert ("microsoft", "BASED_IN", "abu_dhabi") not in got


def test_a_name_ending_a_modifier_is_passed_over(extractor):
    # 部署高通的AI200: Qualcomm modifies the chip; 利雅得的数据中心: the place modifies the centre
    got = triples(extractor, "Humain明年起将在利雅得的数据中心分批部署高通的AI200。")
    assert got[("humain", "USES", "qualcomm_ai200")].rule == "fallback_use"
    assert not any(s == "humain" and o == "qualcomm" for s, _, o in got)


@pytest.mark.parametrize("text,subject,relation,obj,rule", [
    ("英特尔被软银入股。", "softbank", "INVESTOR_IN", "intel", "fallback_invest"),  # A被B: B is the subject
    # HIRE: {relation: EMPLOYED_BY, reverse: true}: the one hired works for the one hiring
    ("Meta去年挖来了谷歌的庞若鸣。", "ruoming_pang", "EMPLOYED_BY", "meta", "fallback_hire"),
])
def test_the_construction_decides_which_name_is_the_subject(extractor, text, subject, relation, obj, rule):
    got = triples(extractor, text)
    assert got[(subject, relation, obj)].rule == rule
    assert (obj, relation, subject) not in got


def test_names_of_a_type_the_relation_does_not_take_are_passed_over(extractor):
    got = triples(extractor, "安世半导体当年以6300万英镑收购了英国最大的芯片厂Newport Wafer Fab。")
    assert got[("nexperia", "ACQUIRES", "newport_wafer_fab")].rule == "fallback_acquire"


def test_negation_gives_nothing_and_a_hedge_makes_it_reported(extractor):
    assert ("microsoft", "INVESTOR_IN", "g42") not in triples(
        extractor, "微軟去年斥資15億美元卻沒有入股總部位於阿布扎比的G42。")
    r = triples(extractor, "據報導，微軟去年斥資15億美元入股總部位於阿布扎比的G42。")[("microsoft", "INVESTOR_IN", "g42")]
    assert r.certainty == "reported" and r.confidence == pytest.approx(0.4)


def test_a_rule_that_fired_wins(extractor):
    got = triples(extractor, "腾讯投资了智谱。")
    assert got[("tencent", "INVESTOR_IN", "zhipu")].rule == "zh_investor"


@pytest.mark.parametrize("text", [
    "Microsoft invested time in talks with Anthropic.",  # a word between the trigger and the name
    "Nvidia dropped its acquisition of Arm.",
    "Regulators blocked Nvidia's takeover of Arm.",
    "Microsoft backed away from OpenAI.",
])
def test_english_only_with_function_words_between(extractor, text):
    assert not [r for r in extractor.extract(text).relations if r.rule.startswith("fallback_")]


def test_no_name_across_a_clause_boundary(extractor):
    # the subject is in another clause: the tier does not guess it
    assert not [r for r in extractor.extract("英伟达表示，将在明年大规模采购H20。").relations
                if r.rule.startswith("fallback_")]


def test_a_word_standing_for_a_name_stops_the_search(extractor):
    # 其 is the subject: the regulator named before it is not
    got = triples(extractor, "市场监管总局在批准其收购以色列公司Mellanox时附加了条件。")
    assert not any(rel == "ACQUIRES" for _, rel, _ in got)


def test_a_users_class_gets_a_fallback_from_data(tmp_path):
    text = "英伟达授权英特尔使用其技术。"
    assert not Extractor().extract(text).relations
    (tmp_path / "lexicon.yaml").write_text(
        "classes:\n  USER_LICENSE:\n    zh: [授权]\n    fallback: {relation: PARTNER_OF}\n", encoding="utf-8")
    got = triples(Extractor(load_rules(tmp_path)), text)
    assert got[("nvidia", "PARTNER_OF", "intel")].rule == "fallback_user_license"


def test_only_a_trigger_class_can_have_one(tmp_path):
    (tmp_path / "lexicon.yaml").write_text(
        "classes:\n  USER_HEDGE:\n    kind: hedge\n    zh: [坊间传闻]\n    fallback: {relation: PARTNER_OF}\n",
        encoding="utf-8")
    with pytest.raises(RuleError, match="only a trigger class can have a 'fallback'") as e:
        load_rules(tmp_path)
    assert "USER_HEDGE" in str(e.value) and "lexicon.yaml:5" in str(e.value)


def test_not_a_maker_using_its_own_product(extractor):
    # the same clause with a user of the chip gives USES; with its maker (gazetteer `maker`) it does not
    assert triples(extractor, "沙特的Humain明年起将在利雅得的数据中心分批部署H100。")[
        ("humain", "USES", "h100")].rule == "fallback_use"
    got = triples(extractor, "英伟达明年起将在利雅得的数据中心分批部署H100。")
    assert ("nvidia", "USES", "h100") not in got


def test_a_place_ending_a_modifier_stops_it(extractor):
    # 总部位于东京的…设备商: the place belongs to the firm after it, not to the person before
    got = triples(extractor, "陈力铭离职后任职于总部位于东京的日本半导体设备商东京威力科创的台湾子公司。")
    assert not [t for t, r in got.items() if r.rule.startswith("fallback_") and t[1] == "BASED_IN"]


def test_english_dates_and_verbs_of_intent_between(extractor):
    # ("plans to compete with" is a rule of its own since session 13: en_competes)
    got = triples(extractor, "AMD in October announced plans to vie with Nvidia.")
    r = got.get(("amd", "COMPETES_WITH", "nvidia")) or got[("nvidia", "COMPETES_WITH", "amd")]
    assert r.rule == "fallback_compete"
    # "that" opens a relative clause: the name before it is not the subject
    assert not [r for r in extractor.extract("It uses the Blackwell design that will be faster than the H20.").relations
                if r.rule.startswith("fallback_")]


def test_names_of_the_other_side_s_type_and_other_clauses_are_passed_over(extractor):
    # 在麒麟970手机芯片中: the product is no subject of INTEGRATES (ORG); Huawei is
    got = triples(extractor, "华为在麒麟970手机芯片中集成了寒武纪1A处理器IP。")
    assert got[("huawei", "INTEGRATES", "cambricon_1a")].rule == "fallback_integrate"
    # 推出整合辉达RTX GPU小晶片的处理器: RTX is what is integrated, not what is launched
    got = triples(extractor, "英特尔将推出整合英伟达RTX GPU小晶片的x86处理器。")
    assert ("intel", "LAUNCHED", "rtx_family") not in got
    # 参与DeepSeek-V2研发的罗福莉: a word before 的 describes the noun after it
    got = triples(extractor, "任职于深度求索、曾参与DeepSeek-V2研发的罗福莉已加盟小米MiMo团队。")
    assert not [t for t, r in got.items() if r.rule == "fallback_produce"]


def test_english_kind_word_before_such_as_is_read_through(extractor):
    # (a symmetric relation is stored once, in either order; since session 11 the rule
    # en_competes_such_as reads "competes … with <kind> such as" before the fallback tier does)
    got = triples(extractor, "CoreWeave competes directly with hyperscalers such as Amazon Web Services and Google Cloud.")
    pairs = {frozenset((s, o)): r for (s, rel, o), r in got.items() if rel == "COMPETES_WITH"}
    assert {frozenset(("coreweave", "aws")), frozenset(("coreweave", "google_cloud"))} <= set(pairs)
    assert pairs[frozenset(("coreweave", "aws"))].rule in ("en_competes_such_as", "fallback_compete")
    # without that rule the fallback tier still reads through the kind word
    rs = load_rules()
    bare = Extractor(dataclasses.replace(rs, relation_rules={k: v for k, v in rs.relation_rules.items()
                                                             if k != "en_competes_such_as"}))
    got = triples(bare, "CoreWeave competes directly with hyperscalers such as Amazon Web Services and Google Cloud.")
    assert got[("coreweave", "COMPETES_WITH", "aws")].rule == "fallback_compete"


def test_english_amounts_and_a_makers_name_before_the_product(extractor):
    # 50,000 is one number, not a clause's comma; AMD names the maker of the MI450, not the object
    got = triples(extractor, "Oracle will deploy 50,000 AMD MI450 chips starting next year.")
    assert got[("oracle", "USES", "mi450")].rule == "fallback_use"


def test_chinese_object_before_the_word_after_dui_or_xiang(extractor):
    # A对B投资, A向B供货: the name after 对/向 is the object of the word that follows it
    for text in ("杭州城投产业基金向智谱注资逾10亿元。", "杭州城投产业基金对智谱追加注资。"):
        assert ("hangzhou_chengtou", "INVESTOR_IN", "zhipu") in triples(extractor, text), text
    got = triples(extractor, "高通向英特尔发起收购。")
    assert ("qualcomm", "ACQUIRES", "intel") in got
    # a court after 向 is where a suit is filed, not the one sued
    assert not [t for t in triples(extractor, "台积电向智慧财产及商业法院提起诉讼。") if t[1] == "SUES"]


@pytest.mark.parametrize("text,expected", [
    # 由A…代工: the agent after 由 is the subject, the name before 由 in its clause the object
    ("昇腾910B据称由中芯国际以改良的7纳米工艺在上海工厂小批量代工。", {("smic", "PRODUCES", "ascend_910b")}),
    # 由A…领投 in a clause of its own: the object is the name that opens the sentence
    ("寒武纪当年完成融资，由国投创业牵头领投。", {("sdic_venture", "INVESTOR_IN", "cambricon")}),
    # 与B、C…竞争: a rivalry, a partnership or a comparison with the names after 与
    ("火山引擎此后在企业市场上与阿里云、百度智能云围绕大模型价格展开了竞争。",
     {("volcano_engine", "COMPETES_WITH", "alibaba_cloud"), ("volcano_engine", "COMPETES_WITH", "baidu_ai_cloud")}),
    # 完成对(kind word)B的收购: the word is a noun whose object is the name after 对
    ("微软宣布完成对人工智能公司Inflection的全面收购。", {("microsoft", "ACQUIRES", "inflection_ai")}),
    # "Name, which has …": the name before the relative clause is the subject
    ("Microsoft, which has already invested about $13 billion in OpenAI, said on Tuesday it was pleased.",
     {("microsoft", "INVESTOR_IN", "openai")}),
    # a passive whose "by" comes after a date
    ("The H20 was manufactured last year by TSMC.", {("tsmc", "PRODUCES", "h20")}),
])
def test_chinese_and_english_constructions_around_the_word(extractor, text, expected):
    got = triples(extractor, text)
    for t in expected:
        assert t in got and got[t].rule.startswith("fallback_"), (text, t, sorted(got))


def test_a_seller_after_xiang_is_not_the_buyer():
    # A向B订购C: B is where C comes from; the buyer is the name before 向 (the fallback alone, so
    # no wording rule reads the sentence first)
    rules = dataclasses.replace(load_rules(), relation_rules={})  # (a copy: load_rules() is cached)
    got = triples(Extractor(rules), "据传字节跳动等中国互联网公司随后向英伟达大量订购A800和H800。")
    assert ("bytedance", "BUYS", "a800") in got and ("bytedance", "BUYS", "h800") in got
    assert not any(s == "nvidia" and r == "BUYS" for s, r, _ in got)
    # and the buyer is a customer of the firm it buys from
    assert got[("bytedance", "CUSTOMER_OF", "nvidia")].rule == "fallback_buy"


def test_you_with_no_object_in_its_clause_and_a_name_before_that_is_not_the_topic(extractor):
    # 英伟达 is an organisation, not a product: 由台积电代工 has no object here
    assert not [t for t in triples(extractor, "英伟达发布新品，由台积电代工。") if t[1] == "PRODUCES" and t[0] == "tsmc"]
    # the name that opens the sentence is its topic only if no other name stands before it
    got = triples(extractor, "据华为称，昇腾910B量产提速，由中芯国际代工。")
    assert ("smic", "PRODUCES", "ascend_910b") not in got or got[("smic", "PRODUCES", "ascend_910b")].rule != "fallback_produce"


def test_the_name_before_which_is_the_subject_not_the_name_before_it(extractor):
    got = triples(extractor, "Amazon sells capacity to Anthropic, which agreed to use Trainium chips.")
    assert ("anthropic", "USES", "trainium") in got
    assert ("amazon", "USES", "trainium") not in got
