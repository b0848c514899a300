"""Reading documents: encodings detected, binary files refused, one clear error per problem.

Decoding order (``decode_bytes``), first that applies wins:

1. ``encoding=`` given (``--encoding``): decode with it, undecodable bytes become U+FFFD;
2. a byte-order mark: UTF-8, UTF-32 (LE/BE), UTF-16 (LE/BE);
3. a known binary signature (PNG, PDF, zip, ...) or many NUL/control bytes: ``BinaryInput``;
4. UTF-16 without a BOM (the NUL high bytes of ASCII characters sit at one parity);
5. strict UTF-8;
6. Chinese legacy encodings: GB18030 (a superset of GBK and GB2312) and Big5 are each tried
   strictly; the one whose characters are more often common Chinese characters (after folding
   traditional to simplified) wins. Short GBK texts are exactly where statistical detectors
   guess wrong, so this runs before charset-normalizer;
7. UTF-8 with a few stray bytes (valid multi-byte UTF-8 dominates): UTF-8, bad bytes -> U+FFFD;
8. charset-normalizer;
9. last resort: UTF-8 with replacement. Undecodable bytes never crash a run.

A decoded text that is mostly control characters is refused as binary.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

__all__ = ["Document", "read_text", "decode_bytes", "BinaryInput", "sniff_binary"]

_MAGIC = {
    b"\x89PNG": "PNG image", b"%PDF": "PDF document", b"PK\x03\x04": "zip archive",
    b"PK\x05\x06": "zip archive", b"PK\x07\x08": "zip archive",
    b"\xff\xd8\xff": "JPEG image", b"GIF87a": "GIF image", b"GIF89a": "GIF image", b"\x7fELF": "executable",
    b"BZh": "bzip2 archive", b"\xfd7zXZ\x00": "xz archive", b"Rar!\x1a\x07": "rar archive",
    b"7z\xbc\xaf\x27\x1c": "7z archive", b"\x1f\x8b": "gzip archive", b"\x28\xb5\x2f\xfd": "zstd archive",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "MS Office document", b"II*\x00": "TIFF image",
    b"MM\x00*": "TIFF image", b"OggS": "Ogg file", b"fLaC": "FLAC audio", b"\x1aE\xdf\xa3": "Matroska video",
    b"\x00asm": "WebAssembly module", b"\xca\xfe\xba\xbe": "Java class or Mach-O file",
    b"\xcf\xfa\xed\xfe": "Mach-O executable", b"SQLite format 3\x00": "SQLite database",
    b"wOFF": "WOFF font", b"wOF2": "WOFF2 font",
}
_RIFF = {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}

MAX_BYTES = 200 * 1024 * 1024  # a bigger "text" is certainly a mistake


class BinaryInput(InputError):
    """The file is not text."""


@dataclass
class Document:
    id: str
    text: str
    encoding: str = "utf-8"
    path: str = ""
    date: str = ""
    source: str = ""
    url: str = ""


# ---------------------------------------------------------------- binary sniffing

_CTRL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))  # TAB LF FF CR ESC are text


def sniff_binary(data: bytes) -> str | None:
    """What kind of binary ``data`` is ("PNG image", "binary data"), or None if it may be text.

    Call it on BOM-less data only (UTF-16/32 text is full of NUL bytes)."""
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            return what
    if data[:4] == b"RIFF" and data[8:12] in _RIFF:
        return _RIFF[data[8:12]]
    if data[4:8] == b"ftyp":
        return "MP4/MOV/HEIF media file"
    head = data[:8192]
    if not head:
        return None
    if _looks_utf16(head):
        return None
    nul = head.count(0)
    ctrl = sum(head.count(b) for b in _CTRL)
    if nul > len(head) // 100 + 1 or ctrl * 10 > len(head):
        return "NUL or control bytes"
    return None


def _looks_utf16(head: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' for BOM-less UTF-16: the NUL bytes (high bytes of ASCII
    characters) sit at one parity only, and the bytes decode strictly to printable text."""
    head = head[: len(head) // 2 * 2]
    if len(head) < 4:
        return None
    ne, no = head[0::2].count(0), head[1::2].count(0)
    if ne + no == 0:
        return None
    for enc, right, wrong in (("utf-16-le", no, ne), ("utf-16-be", ne, no)):
        if right < 2 or wrong * 4 > right:
            continue
        try:
            text = head.decode(enc)
        except UnicodeDecodeError:
            try:  # the sample may end inside a surrogate pair
                text = head[:-2].decode(enc)
            except UnicodeDecodeError:
                continue
        if not text:
            continue
        odd = sum(1 for c in text if (ord(c) < 32 and c not in "\t\n\r\f") or 0xE000 <= ord(c) <= 0xF8FF
                  or 0xFFF0 <= ord(c))
        if odd * 20 <= len(text):
            return enc
    return None


# ---------------------------------------------------------------- Chinese legacy encodings

# The most frequent Chinese characters (simplified; traditional text is folded first). A text
# decoded with the right codec is full of them; decoded with the wrong one it is mostly rare
# characters, private-use code points and stray symbols.
_COMMON_ZH = frozenset(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过"
    "发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前"
    "开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重"
    "并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常"
    "先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报"
    "才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼"
    "书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术"
    "领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失"
    "转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技"
    "际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显"
    "吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投"
    "某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇"
    "察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男钱破网热助倒育属"
    "坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微尼继送急"
    "血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲冲射略"
    "范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘"
    "读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛"
    "托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野"
    "架域沙掉括舰鱼杂误湾吉减编楚肯测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗"
    "固席松秘谢鲁遇康虑幸均销钟诗藏赶剧票损忽巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输"
    "摇招婚脱补谓督毒油疗旅泽材灭逐莫笔亡鲜词圣择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁"
    "阴园谋宋避抓荣姑孙逃牙束跳顶玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握戏"
    "隐熟骨访弱蒙歌店鬼软典欲萨伙遭盘爸扩盖弄雄稳忘亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞"
    "努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹尤竞街促延震弃甲伟麻川申缓潜闪售灯针哲络抵朱埃抱鼓植纯夏忍"
    "页杰筑折郑贝尊吴秀混臣雅振染盛怒舞圆搞狂措姓残秋培迷诚宽宇猛摆梅毁伸摩盟末乃悲拍丁赵尖芯片模型"
    "英伟达微软谷歌苹果亚马逊华为阿里巴巴腾讯百度字节跳动台积电三星英特尔超威半导体晶圆算力智能人工"
    "，。、；：？！“”‘’（）《》「」『』—…"
)
_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# what a wrong legacy decoding leaves behind: private use, kana, bopomofo, box drawing, Greek and
# Cyrillic (GBK's and Big5's symbol rows), enclosed and compatibility signs
_ODD_RE = re.compile("[\ue000-\uf8ff\u3040-\u30ff\u3100-\u312f\u2500-\u25ff\u0370-\u04ff"
                     "\u2460-\u24ff\u3200-\u33ff\ufe30-\ufe4f]")


def _zh_score(text: str) -> tuple[int, int]:
    """(common Chinese characters minus twice the odd ones, non-ASCII characters) in ``text``,
    traditional folded to simplified first."""
    try:
        from .normalize import to_simplified

        folded = to_simplified(text)
    except Exception:  # OpenCC missing or failing: score the text as it is
        folded = text
    common = sum(1 for c in folded if c in _COMMON_ZH) - 2 * len(_ODD_RE.findall(text))
    nonascii = sum(1 for c in text if ord(c) > 127)
    return common, nonascii


def _guess_chinese(data: bytes) -> tuple[str, str] | None:
    """Decode legacy Chinese bytes strictly as GB18030 and as Big5; the likelier one, or None."""
    sample = data[:65536]
    best = None
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            # a sample cut may split a character: only the whole text must decode
            continue
        common, nonascii = _zh_score(text[: len(sample)])
        if nonascii == 0:
            continue
        ratio = common / nonascii
        cjk = len(_CJK_RE.findall(text[:20000]))
        if ratio < 0.2 or cjk * 2 < min(nonascii, 20000):
            continue
        key = (ratio, enc == "gb18030")
        if best is None or key > best[0]:
            best = (key, text, enc)
    return (best[1], best[2]) if best else None


def _mostly_utf8(data: bytes) -> bool:
    """True when the bytes are UTF-8 with only a few stray bytes."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    multibyte = sum(1 for c in text if ord(c) > 127 and c != "\ufffd")
    return bad * 20 <= multibyte and bad * 50 <= len(text)


def _control_heavy(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f\x1b") or c == "\x7f")
    return bad * 10 > len(sample)


def decode_bytes(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Bytes -> (text, encoding name). Raises ``BinaryInput`` for binary data, ``InputError``
    for an unknown ``encoding``. Undecodable bytes never crash: they become U+FFFD."""
    if encoding:
        try:
            codecs.lookup(encoding)
            text = data.decode(encoding, errors="replace")
        except LookupError:
            raise InputError(f"{name}: unknown encoding {encoding!r}") from None
        except (TypeError, ValueError) as e:  # codecs that are not text encodings
            raise InputError(f"{name}: {encoding!r} is not a text encoding ({e})") from None
        if text.startswith("\ufeff"):
            text = text[1:]
        return text, encoding
    if not data:
        return "", "utf-8"
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
        return data.decode("utf-32", errors="replace"), "utf-32"
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16", errors="replace"), "utf-16"
    what = sniff_binary(data)
    if what:
        raise BinaryInput(f"{name}: binary file ({what}), not text")
    text, enc = _detect(data)
    if _control_heavy(text):
        raise BinaryInput(f"{name}: binary file (mostly control characters), not text")
    return text, enc


def _detect(data: bytes) -> tuple[str, str]:
    u16 = _looks_utf16(data[:8192]) if b"\x00" in data[:8192] else None
    if u16:
        return data.decode(u16, errors="replace"), u16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    zh = _guess_chinese(data)
    if zh:
        return zh
    if _mostly_utf8(data):
        return data.decode("utf-8", errors="replace"), "utf-8"
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
    except Exception:  # the detector must never be what crashes a run
        best = None
    if best is not None:
        enc = best.encoding
        # GBK is a subset of GB18030: decode as the superset so no character is lost
        if enc in ("gbk", "gb2312", "hz"):
            enc = "gb18030"
        try:
            return data.decode(enc, errors="replace"), enc
        except (LookupError, ValueError):
            pass
    return data.decode("utf-8", errors="replace"), "utf-8"


def read_text(path: str | Path, encoding: str | None = None) -> Document:
    """Read one document. Every failure is an ``InputError`` whose message names the path."""
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{path}: is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        kind = ("a named pipe" if stat.S_ISFIFO(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode)
                else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "not a regular file")
        raise InputError(f"{path}: is {kind}, not a text file")
    if st.st_size > MAX_BYTES:
        raise InputError(f"{path}: is {st.st_size // (1024 * 1024)} MB, too big for a text (limit "
                         f"{MAX_BYTES // (1024 * 1024)} MB)")
    try:
        # O_NONBLOCK: if the path was swapped for a pipe after the check, do not hang on it
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None
    text, enc = decode_bytes(data, str(path), encoding)
    return Document(p.stem, text, enc, str(path))
