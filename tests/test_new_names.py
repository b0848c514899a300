"""Names no gazetteer entry knows, found by their context: a Chinese name after a title (the words
that follow names say where it ends: kg.segment.leading_person_names), an unknown member of an
enumeration of firms, an investment firm's suffix, a known family with a new model code, "X AI".
Each test drops the gazetteer entries its sentences name, as news names what the gazetteer has
never seen."""

from __future__ import annotations

import dataclasses

import pytest

from kg.extractor import Extractor
from kg.rules import load_rules
from kg.segment import leading_person_names

import kg


NOT_NAMES = frozenset(load_rules().lists["not_names_zh"])
AFTER = tuple(load_rules().lists["after_names_zh"])


def names(text):
    return [text[a:b] for a, b in leading_person_names(text, AFTER, NOT_NAMES)]


@pytest.mark.parametrize("text,expected", [
    ("梁文锋同时也是量化私募基金的创始人", ["梁文锋"]),  # the name, then an adverb
    ("陈南翔。该公司", ["陈南翔"]),
    ("张建中曾担任英伟达全球副总裁", ["张建中"]),  # 张建 is not followed by a word that follows names
    ("唐杰则担任其首席科学家", ["唐杰"]),  # the shorter reading first
    ("李在镕今年7月获判无罪", ["李在镕"]),
    ("李明远同时也是公司创始人", ["李明远"]),
    ("周昕宇和吴育昕同样毕业于清华", ["周昕宇", "吴育昕"]),  # two names joined by 和
    ("何立峰及美国财政部长", ["何立峰"]),
    ("高度关注此事", []),  # not a name
    ("王表示将扩产", []),  # a surname alone is no name
    ("方面表示将扩产", []),  # a common word (lists/not_names_zh.txt)
    ("费尔德曼（Andrew", []),  # a longer transliterated name: no word that follows names after 2 or 3
    ("冯德莱恩、时任德国总理", []),
    ("由庆桂显接任", []),  # a function word is no surname
])
def test_leading_person_names(text, expected):
    assert names(text) == expected


@pytest.fixture(scope="module")
def bare():
    """The rules without the people the sentences below name, as news names people the gazetteer
    has never seen."""
    rules = load_rules()
    drop = {"jing_xiandong", "han_xinyi", "kuo_jyh_huei", "lee_jae_yong", "chen_nanxiang", "peng_xiao"}
    return Extractor(dataclasses.replace(rules, gazetteer={k: v for k, v in rules.gazetteer.items() if k not in drop}))


@pytest.mark.parametrize("text,person", [
    ("寒武纪首席执行官李明远同时也是公司创始人。", "李明远"),
    ("三星電子會長李在鎔今年7月獲判無罪。", "李在鎔"),  # 在 is a word of the lexicon, not the name's end
    ("經濟部長郭智輝曾表示。", "郭智輝"),  # a ministry's 长 is a title
    ("长江存储现任董事长为陈南翔。", "陈南翔"),  # past 为
    ("G42行政總裁則是蕭鵬。", "蕭鵬"),  # past 则是
    ("集团目前由董事长井贤栋和首席执行官韩歆毅领导。", "井贤栋"),  # a rarer surname, a three-character name
])
def test_a_new_person_after_a_title(bare, text, person):
    ex = bare.extract(text)
    found = {e.label: e for e in ex.entities.values()} if isinstance(ex.entities, dict) else {e.label: e for e in ex.entities}
    assert person in found and found[person].type == "PERSON" and found[person].source == "pattern", sorted(found)


def test_the_new_person_takes_the_title(bare):
    got = {(r.subject, r.relation, r.object) for r in bare.extract("寒武纪首席执行官李明远同时也是公司创始人。").relations}
    assert ("p_李明远", "CEO_OF", "cambricon") in got


def test_no_person_where_the_title_is_followed_by_other_words(bare):
    ex = bare.extract("华为首席执行官高度关注此事。英伟达副总裁表示将扩产。")
    ents = ex.entities.values() if isinstance(ex.entities, dict) else ex.entities
    assert not [e for e in ents if e.type == "PERSON"]


@pytest.fixture(scope="module")
def no_investors():
    rules = load_rules()
    drop = {"meituan", "hongshan", "xiaohongshu", "stepfun", "zero_one_ai", "gaorong", "qiming_venture"}
    return Extractor(dataclasses.replace(rules, gazetteer={k: v for k, v in rules.gazetteer.items() if k not in drop}))


def _labels(ex, etype):
    ents = ex.entities.values() if isinstance(ex.entities, dict) else ex.entities
    return {e.label for e in ents if e.type == etype and e.source == "pattern"}


def test_an_unknown_member_of_an_enumeration_of_firms_is_a_firm(no_investors):
    ex = no_investors.extract("投资方包括美团、蚂蚁集团、阿里巴巴、腾讯和小米等。")
    assert _labels(ex, "ORG") == {"美团"}
    ex = no_investors.extract("月之暗面、百川智能、阶跃星辰和MiniMax均未被列入实体清单。")
    assert "阶跃星辰" in _labels(ex, "ORG")


@pytest.mark.parametrize("text", [
    "投资方包括美团、蚂蚁集团、阿里巴巴、腾讯、小米和红杉中国等。",  # 红杉 is part of a longer name: 红杉中国
    "腾讯、阿里巴巴和其他公司都参与了。",  # not a name
    "北京、上海和深圳的企业都参与了。",  # places: not an enumeration of firms
])
def test_no_member_that_is_part_of_a_name_or_no_name(no_investors, text):
    assert not _labels(no_investors.extract(text), "ORG") - {"美团"}


def test_an_investment_firm_by_its_suffix(no_investors):
    ex = no_investors.extract("据报道腾讯和高榕资本参与了月之暗面的新一轮融资。")
    assert "高榕资本" in _labels(ex, "ORG")
    assert not _labels(no_investors.extract("腾讯全年资本开支大增，注册资本不变。"), "ORG")


@pytest.fixture(scope="module")
def no_variants():
    rules = load_rules()
    drop = {"ascend_950pr", "ascend_950dt", "claude_opus_41", "llama_31"}
    return Extractor(dataclasses.replace(rules, gazetteer={k: v for k, v in rules.gazetteer.items() if k not in drop}))


@pytest.mark.parametrize("text,product,triple", [
    ("华为将在2026年第一季度推出昇腾950PR。", "昇腾950PR", ("huawei", "LAUNCHED")),
    ("Anthropic released Claude Opus 4.1, an upgrade.", "Claude Opus 4.1", ("anthropic", "LAUNCHED")),
])
def test_a_known_family_with_a_new_model_code_is_a_new_product(no_variants, text, product, triple):
    ex = no_variants.extract(text)
    assert product in _labels(ex, "PRODUCT")
    assert any((r.subject, r.relation) == triple and r.object.startswith("p_") for r in ex.relations)


@pytest.mark.parametrize("text", ["Claude 2024 was a big year for Anthropic.", "Intel sold 3 Gaudi chips."])
def test_no_product_from_a_year_or_a_count(no_variants, text):
    assert not _labels(no_variants.extract(text), "PRODUCT")


@pytest.fixture(scope="module")
def no_labs():
    rules = load_rules()
    drop = {"silo_ai", "sakana_ai"}
    return Extractor(dataclasses.replace(rules, gazetteer={k: v for k, v in rules.gazetteer.items() if k not in drop}))


def test_a_capitalised_name_before_ai_is_a_lab(no_labs):
    ex = no_labs.extract("In July 2024 AMD agreed to buy Silo AI, a Helsinki-based AI lab.")
    assert _labels(ex, "ORG") == {"Silo AI"}
    assert any(r.subject == "amd" and r.relation == "ACQUIRES" for r in ex.relations)


@pytest.mark.parametrize("text", ["Generative AI is booming.", "Responsible AI matters to regulators.",
                                  "Chinese AI firms grew fast."])
def test_no_lab_from_a_kind_of_ai(no_labs, text):
    assert not _labels(no_labs.extract(text), "ORG")


@pytest.fixture(scope="module")
def no_funds():
    rules = load_rules()
    drop = {"tiger_global", "capital_1789", "dst_global"}
    return Extractor(dataclasses.replace(rules, gazetteer={k: v for k, v in rules.gazetteer.items() if k not in drop}))


def test_unknown_members_of_an_english_enumeration_of_firms(no_funds):
    ex = no_funds.extract("The round drew Tiger Global, Valor Equity Partners and 1789 Capital.")
    assert {"Tiger Global", "1789 Capital"} <= _labels(ex, "ORG")
    assert "DST Global" in _labels(no_funds.extract("DST Global, Andreessen Horowitz, Bpifrance and Nvidia also took part."), "ORG")


def test_an_english_enumeration_ended_by_a_comma_and_a_known_firm_with_more_words():
    """A comma after the last member ends the list ("…and Salesforce Ventures, the company said");
    a known firm followed by capitalised words is a longer name (Fidelity Management & Research
    Company is not Fidelity plus a stray "Company"); a member only the weak capitalised-name guess
    found becomes a firm the rules can relate."""
    ex = Extractor(load_rules()).extract(
        "Anthropic raised money. The round included Cisco Systems, Fidelity Management & Research Company, "
        "General Catalyst, Jane Street and Salesforce Ventures, the company said.")
    orgs = _labels(ex, "ORG")
    assert {"Fidelity Management & Research Company", "Jane Street"} <= orgs and "Company" not in orgs
    investors = {r.subject for r in ex.relations if r.relation == "INVESTOR_IN" and r.object == "anthropic"}
    assert {"cisco", "general_catalyst", "salesforce_ventures", "p_jane_street",
            "p_fidelity_management__research_company"} <= investors


@pytest.mark.parametrize("text", ["Paris, London and Nvidia were mentioned.", "On Monday, Nvidia and Intel said so.",
                                  "Nvidia, Intel and Others gained."])
def test_no_english_member_from_places_or_two_member_lists(no_funds, text):
    assert not _labels(no_funds.extract(text), "ORG")


def test_a_known_firm_with_cloud_after_it_is_its_cloud_unit():
    rules = load_rules()
    x = Extractor(dataclasses.replace(rules, gazetteer={k: v for k, v in rules.gazetteer.items() if k != "huawei_cloud"}))
    ex = x.extract("阿里雲的主要對手包括華為雲、騰訊雲和火山引擎。")
    assert "華為雲" in _labels(ex, "ORG")
    # not the start of a longer name
    assert not _labels(x.extract("奥拉克尔云基础设施是其主要客户之一。"), "ORG")


def test_a_known_firms_short_form_in_an_enumeration_stays_that_firm(no_investors):
    # 信越 is a built-in `words` form: the enumeration does not make it a firm of its own
    got = {(m.text, m.entity) for m in no_investors.extract_doc("丰田、信越和索尼宣布合作。").mentions}
    assert not any(e.startswith("p_") for _, e in got), got


def test_a_given_name_before_a_known_persons_surname_is_another_person():
    rules = load_rules()
    x = Extractor(dataclasses.replace(rules, gazetteer={k: v for k, v in rules.gazetteer.items() if k != "daniela_amodei"}))
    ex = x.extract("Anthropic was founded by Dario Amodei, its chief executive, and Daniela Amodei, its president.")
    assert "Daniela Amodei" in _labels(ex, "PERSON")
    assert not _labels(x.extract("Dario Amodei said on Monday."), "PERSON")  # the known one is no new person


def test_a_particle_after_a_dotted_name_is_not_part_of_it():
    rules = load_rules()
    x = Extractor(dataclasses.replace(rules, gazetteer={k: v for k, v in rules.gazetteer.items() if k != "tasha_mccauley"}))
    assert "塔莎·麦考利" in _labels(x.extract("原董事会成员海伦·托纳和塔莎·麦考利则退出了董事会。"), "PERSON")


def test_two_capitalised_words_before_its_title_are_a_person():
    ex = Extractor(load_rules()).extract(
        "Nvidia criticized the rule. Ned Finkle, its vice president of government affairs, said it was misguided.")
    assert "Ned Finkle" in _labels(ex, "PERSON")
    assert ("p_ned_finkle", "EXECUTIVE_OF", "nvidia") in {(r.subject, r.relation, r.object) for r in ex.relations}
    ex = Extractor(load_rules()).extract("Nvidia rose. Blackwell Ultra, its new chip, sold out.")
    assert not _labels(ex, "PERSON")


@pytest.fixture(scope="module")
def no_cn_firms():
    rules = load_rules()
    drop = {"sophgo", "recurrent_ai", "zhang_yiming", "tang_jie"}
    return Extractor(dataclasses.replace(rules, gazetteer={k: v for k, v in rules.gazetteer.items() if k not in drop}))


@pytest.mark.parametrize("text,name", [("同一天被列入清单的还有芯片设计公司算能科技。", "算能科技"),
                                       ("他还联合创立了对话式AI公司循环智能。", "循环智能")])
def test_a_chinese_name_between_a_kind_of_firm_and_a_suffix_is_a_firm(no_cn_firms, text, name):
    assert name in _labels(no_cn_firms.extract(text), "ORG")


@pytest.mark.parametrize("text", ["这家公司人工智能技术领先。", "一家芯片公司科技实力很强。"])
def test_no_firm_from_words_after_a_kind_of_firm(no_cn_firms, text):
    assert not _labels(no_cn_firms.extract(text), "ORG")


def test_a_firm_named_in_brackets_too_stays_one_firm(no_cn_firms):
    # the bracket joins the two writings (燃焰科技 is a machine translation of Enflame, 燧原科技)
    ex = no_cn_firms.extract("芯片设计公司燃焰科技(Enflame)获得投资。")
    assert "enflame" in ex.entities and not any(e.startswith("p_") for e in ex.entities)


def test_a_name_after_you_before_a_verb_of_founding_is_a_person(no_cn_firms):
    ex = no_cn_firms.extract("由张一鸣创立的字节跳动已把人工智能列为最优先的业务。")
    assert "张一鸣" in _labels(ex, "PERSON")
    assert ("p_张一鸣", "FOUNDER_OF", "bytedance") in {(r.subject, r.relation, r.object) for r in ex.relations}
    assert not _labels(no_cn_firms.extract("这家公司由政府领导。"), "PERSON")


def test_a_word_that_follows_names_is_not_part_of_the_name_after_a_title(no_cn_firms):
    assert "唐杰" in _labels(no_cn_firms.extract("清华大学教授唐杰则担任其首席科学家。"), "PERSON")


@pytest.fixture(scope="module")
def no_units():
    rules = load_rules()
    drop = {"apple_intelligence", "microsoft_ai", "ibm_cloud", "openai_foundation", "indiana", "west_lafayette",
            "chitose", "saxony"}
    return Extractor(dataclasses.replace(rules, gazetteer={k: v for k, v in rules.gazetteer.items() if k not in drop}))


def test_a_known_firm_with_a_unit_or_product_word_is_a_new_name(no_units):
    ex = no_units.extract("Microsoft created a new division called Microsoft AI, and IBM would offer the chip on IBM Cloud.")
    assert {"Microsoft AI", "IBM Cloud"} <= _labels(ex, "ORG")
    assert ("p_microsoft_ai", "PART_OF", "microsoft") in {(r.subject, r.relation, r.object) for r in ex.relations}
    ex = no_units.extract("When Apple unveiled Apple Intelligence at its conference, it said so.")
    assert ("apple", "LAUNCHED", "p_apple_intelligence") in {(r.subject, r.relation, r.object) for r in ex.relations}
    assert not _labels(no_units.extract("Nvidia AI chips are popular."), "ORG") - {"Nvidia"}


@pytest.mark.parametrize("text,place", [("美國印第安納州西拉法葉興建工廠。", "印第安納州"), ("日本北海道千歲市的工廠。", "千歲市"),
                                        ("台積電在德國東部薩克森邦德勒斯登興建的晶圓廠。", "薩克森邦")])
def test_a_unit_of_a_known_place_after_it_is_a_place(no_units, text, place):
    assert place in _labels(no_units.extract(text), "LOCATION")


@pytest.mark.parametrize("text", ["中国城市的发展很快。", "公司在美国上市。", "美国各州都在补贴芯片产业。", "美光在加州北区联邦法院起诉。"])
def test_no_place_from_words_ending_in_a_unit_word(no_units, text):
    assert _labels(no_units.extract(text), "LOCATION") <= {"中国", "美国", "加州"}


@pytest.fixture(scope="module")
def no_models():
    rules = load_rules()
    drop = {"rtx4080", "rtx5090d", "cloudmatrix384", "hanguang_800", "yitian_710", "surge_s1", "xring_t1",
            "deepseek_v2", "rtx_pro_6000d", "cambricon_1a"}
    return Extractor(dataclasses.replace(rules, gazetteer={k: v for k, v in rules.gazetteer.items() if k not in drop}))


@pytest.mark.parametrize("text,name", [
    ("消費級的RTX 4080則未被列入此次管制範圍。", "RTX 4080"), ("面向遊戲玩家的RTX 5090D並未被納入。", "RTX 5090D"),
    ("較早前亦推出CloudMatrix 384超節點。", "CloudMatrix 384"), ("2019年推出AI推理晶片含光800。", "含光800"),
    ("又發佈伺服器處理器倚天710。", "倚天710"), ("小米曾推出澎湃S1手机芯片。", "澎湃S1"),
    ("Chinese firms were told to cancel orders for the RTX Pro 6000D, another chip.", "RTX Pro 6000D")])
def test_model_codes_the_gazetteer_lacks_are_products(no_models, text, name):
    assert name in _labels(no_models.extract(text), "PRODUCT")


@pytest.mark.parametrize("text", ["The US 2025 budget was cut.", "The H20 10 units shipped.", "芯片公司2025年上市。",
                                  "美国对芯片課徵約100%關稅。"])
def test_no_product_from_years_counts_or_rates(no_models, text):
    assert not _labels(no_models.extract(text), "PRODUCT") - {"H20"}


def test_a_firms_own_model_keeps_the_firm_mentioned(no_models):
    ex = no_models.extract("曾参与DeepSeek-V2研发的罗福莉已加盟小米。")
    assert "deepseek" in ex.entities and "DeepSeek-V2" in _labels(ex, "PRODUCT")
    assert ("deepseek", "PRODUCES", "p_deepseek_v2") in {(r.subject, r.relation, r.object) for r in ex.relations}


@pytest.fixture(scope="module")
def no_places_products():
    rules = load_rules()
    drop = {"gemini_for_government", "grok_for_government", "new_albany", "aq", "li_yunghui", "abilene"}
    return Extractor(dataclasses.replace(rules, gazetteer={k: v for k, v in rules.gazetteer.items() if k not in drop}))


@pytest.mark.parametrize("text,etype,name", [
    ("xAI introduced Grok for Government the same day.", "PRODUCT", "Grok for Government"),
    ("The campus is set to come online in New Albany, Ohio, next year.", "LOCATION", "New Albany"),
    ("It was built in Abilene, Texas.", "LOCATION", "Abilene"),
    ("今年6月，蚂蚁集团推出了AI健康应用AQ。", "PRODUCT", "AQ"),
    ("鴻海研究院人工智慧研究所所長栗永徽表示，計畫順利。", "PERSON", "栗永徽")])
def test_names_from_a_cue_next_to_them(no_places_products, text, etype, name):
    assert name in _labels(no_places_products.extract(text), etype)


def test_no_place_from_a_firm_before_a_state(no_places_products):
    assert _labels(no_places_products.extract("Apple, Texas Instruments and Nvidia rose."), "LOCATION") == set()


def test_a_found_name_that_is_a_known_names_own_token_is_that_name():
    # 小米MiMo is known (小米 + MiMo); "推理大模型MiMo" elsewhere is the same product, and the
    # known name keeps its maker's mention
    ex = Extractor(load_rules()).extract("小米发布了推理大模型MiMo。罗福莉已加盟小米MiMo团队。")
    assert "xiaomi_mimo" in ex.entities and not any(e.startswith("p_") for e in ex.entities)
    assert ("luo_fuli", "EMPLOYED_BY", "xiaomi") in {(r.subject, r.relation, r.object) for r in ex.relations}


@pytest.mark.parametrize("text,name", [("张三曾任职于谷歌。", "张三"), ("谷歌发布财报。王力表示，收入增长。", "王力"),
                                       ("高通表示将推出新芯片。李华此前曾在百度工作。", "李华")])
def test_a_chinese_name_opening_a_clause_before_a_persons_verb(text, name):
    assert name in _labels(Extractor(load_rules()).extract(text), "PERSON")


@pytest.mark.parametrize("text", ["程序表示完成。", "周期指出变化。", "高通表示将推出新芯片。"])
def test_no_person_from_words_or_firms_opening_a_clause(text):
    assert not _labels(Extractor(load_rules()).extract(text), "PERSON")


@pytest.mark.parametrize("text,found", [("中金公司和平安证券担任联席保荐人。", {"平安证券"}), ("他购买了有价证券。", set()),
                                        ("多家商业银行下调利率。", set())])
def test_a_securities_firm_or_bank_by_its_word(text, found):
    assert {n for n in _labels(Extractor(load_rules()).extract(text), "ORG") if n.endswith(("证券", "银行"))} == found


@pytest.mark.parametrize("text,name,partners", [
    ("SoftBank and OpenAI formed a joint venture, SB OpenAI Japan, to sell AI services.", "SB OpenAI Japan", {"softbank", "openai"}),
    ("Horizon Robotics and Volkswagen set up a joint venture called Carizon.", "Carizon", {"horizon_robotics", "volkswagen"})])
def test_a_joint_venture_named_after_its_word_is_a_firm_its_partners_hold(text, name, partners):
    ex = Extractor(load_rules()).extract(text)
    assert name in _labels(ex, "ORG")
    eid = next(e.id for e in ex.entities.values() if e.label == name)
    assert partners <= {r.subject for r in ex.relations if r.relation == "INVESTOR_IN" and r.object == eid}


def test_a_dotted_name_one_character_off_a_known_one_is_that_person():
    # machine translation writes 萨姆·奥尔特曼 for the known 萨姆·阿尔特曼
    ex = kg.extract("开放人工智能首席执行官萨姆·奥尔特曼说，公司将继续扩大算力。")
    assert "sam_altman" in ex.entities and not any(e.startswith("p_") for e in ex.entities)
    # two parts that both differ are no variant
    ex = kg.extract("首席执行官萨拉·奥尔特说，公司将继续扩大算力。")
    assert "sam_altman" not in ex.entities


def test_a_dotted_name_ending_in_a_kind_of_thing_is_no_person():
    ex = kg.extract("第一吉瓦预计将于2026年下半年在英伟达的维拉·鲁宾平台上部署。")
    assert not any(e.type == "PERSON" for e in ex.entities.values())
