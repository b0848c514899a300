"""A gazetteer entity's `short` forms (广达 for 广达电脑) name it only in a text that names it in
full too: alone they are ordinary words or parts of words."""

from __future__ import annotations

import pytest

import kg
from conftest import user_gazetteer
from kg.errors import RuleError
from kg.rules import load_rules

GAZ = """entities:
  - id: zorbak_computer
    type: ORG
    name_en: Zorbak Computer
    name_zh: 佐巴克电脑
    aliases: [佐巴克電腦]
    short: [佐巴克]
"""


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    return user_gazetteer(tmp_path_factory.mktemp("rules"), GAZ)


def mentions(text, rules):
    from kg.extractor import Extractor

    res = (Extractor(rules) if rules is not None else Extractor()).extract_doc(text)
    return [(m.text, m.entity) for m in res.mentions]


def test_short_form_after_the_full_name(rules):
    got = mentions("佐巴克电脑周一公布财报。佐巴克表示，服务器订单增长。", rules)
    assert got == [("佐巴克电脑", "zorbak_computer"), ("佐巴克", "zorbak_computer")]


def test_short_form_in_traditional_script(rules):
    got = mentions("佐巴克電腦週一公佈財報。佐巴克表示，伺服器訂單增長。", rules)
    assert ("佐巴克", "zorbak_computer") in got


def test_short_form_alone_is_nothing(rules):
    assert mentions("佐巴克表示，服务器订单增长。", rules) == []
    assert not kg.extract("佐巴克表示，服务器订单增长。", rules).entities


def test_short_form_claimed_by_another_entity_is_an_error(tmp_path):
    (tmp_path / "gazetteer").mkdir()
    (tmp_path / "gazetteer" / "x.yaml").write_text(
        "entities:\n  - id: zorbak_chips\n    type: ORG\n    name_en: Zorbak Chips\n    short: [英伟达]\n",
        encoding="utf-8")
    with pytest.raises(RuleError) as e:
        load_rules(tmp_path)
    assert "zorbak_chips" in str(e.value) and "short form '英伟达' is a name of 'nvidia'" in str(e.value)


# `words`: a short form that names the entity wherever the text's segmentation (jieba) reads it as a
# word of its own, even in a text that never names the entity in full
WORDS_GAZ = """entities:
  - id: zorbak_motor
    type: ORG
    name_en: Zorbak Motor
    name_zh: 信越汽车
    words: [信越]
"""


@pytest.fixture(scope="module")
def words_rules(tmp_path_factory):
    return user_gazetteer(tmp_path_factory.mktemp("rules"), WORDS_GAZ)


@pytest.mark.parametrize("text", ["信越周一公布财报，服务器订单增长。", "丰田、信越和索尼宣布合作。", "信越表示，订單增長。"])
def test_word_form_standing_alone_names_the_entity(words_rules, text):
    assert ("信越", "zorbak_motor") in mentions(text, words_rules)


@pytest.mark.parametrize("text", ["市场的信心越来越强。", "投资人自信越来越足。"])
def test_word_form_inside_other_words_is_nothing(words_rules, text):
    # 自信/越来越: the characters of 信越 belong to two other words
    assert mentions(text, words_rules) == []


def test_built_in_word_forms_stand_alone_only():
    got = mentions("索尼、电装和丰田均为JASM的股东，本田也在观望。", None)
    assert ("电装", "denso") in got and ("本田", "honda") in got
    assert mentions("日本田中角荣时代，配电装置老化。", None) == [("日本", "japan")]


def test_word_form_needs_chinese(tmp_path):
    (tmp_path / "gazetteer").mkdir()
    (tmp_path / "gazetteer" / "x.yaml").write_text(WORDS_GAZ.replace("[信越]", "[信]"), encoding="utf-8")
    with pytest.raises(RuleError) as e:
        load_rules(tmp_path)
    assert "zorbak_motor" in str(e.value) and "two or more characters" in str(e.value)


def test_jieba_is_quiet_and_keeps_its_cache_with_kg(tmp_path):
    # a fresh process: the segmenter is built once per process, on the first words form met
    import subprocess
    import sys

    cache = tmp_path / "cache"
    code = "import kg; print(sorted(kg.extract('本田宣布，丰田也在观望。').entities))"
    env = {**__import__("os").environ, "KG_CACHE_DIR": str(cache)}
    env.pop("KG_NO_CACHE", None)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "honda" in r.stdout and r.stderr == ""
    assert (cache / "jieba.cache").is_file()
