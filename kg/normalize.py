"""Text normalisation that keeps every offset.

kg matches on a normalised copy of the text: traditional Chinese folded to simplified (OpenCC
``t2s``), full-width Latin letters, digits and punctuation folded to ASCII (NFKC, one character
at a time) and case folded. Every step maps one character to one character, so an offset in the
normalised text *is* the offset in the original: evidence and offsets are always cut from the
original text, in its own script. Where a step would change the length (a rare OpenCC phrase, a
character whose lower case is two characters) the character is kept as it was.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Normalized", "normalize", "fold", "to_simplified", "credit_spans"]


@dataclass(frozen=True, slots=True)
class Normalized:
    original: str
    text: str  # t2s + NFKC-per-character; same length as original
    lower: str  # ``text`` case folded; same length as original


@lru_cache(maxsize=1)
def _opencc():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _nfkc_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0x80, 0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        n = unicodedata.normalize("NFKC", ch)
        if len(n) == 1 and n != ch:
            table[cp] = n
    # marks that sit inside names: fold to the ASCII forms the gazetteer uses
    for ch in "‧・･•∙⋅":
        table[ord(ch)] = "·"
    for ch in "‐‑‒–—―−":
        table.setdefault(ord(ch), "-")
    table[0x3000] = " "
    return table


@lru_cache(maxsize=1)
def _nfkc_sub():
    """``_nfkc_table()`` as one regex over the characters it maps and their replacements: a
    text has few such characters, and ``str.translate`` with a dict looks up every character."""
    table = _nfkc_table()
    ranges, keys = [], sorted(table)
    i = 0
    while i < len(keys):
        j = i
        while j + 1 < len(keys) and keys[j + 1] == keys[j] + 1:
            j += 1
        a, b = re.escape(chr(keys[i])), re.escape(chr(keys[j]))
        ranges.append(a if i == j else f"{a}-{b}")
        i = j + 1
    by_char = {chr(k): v for k, v in table.items()}
    return re.compile("[" + "".join(ranges) + "]").sub, (lambda m: by_char[m.group()])


def _nfkc(text: str) -> str:
    """``text.translate(_nfkc_table())``."""
    sub, repl = _nfkc_sub()
    return sub(repl, text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def to_simplified(text: str) -> str:
    """OpenCC t2s, length-preserving: falls back line by line, then character by character."""
    cc = _opencc()
    if _SURROGATE.search(text):  # lone surrogates cannot pass through OpenCC's UTF-8
        text = _SURROGATE.sub("\ufffd", text)
    out = cc.convert(text)
    if len(out) == len(text):
        return out
    parts = []
    for line in text.splitlines(keepends=True):
        conv = cc.convert(line)
        if len(conv) != len(line):
            conv = "".join(c if len(c) == 1 else ch for ch, c in ((ch, cc.convert(ch)) for ch in line))
        parts.append(conv)
    return "".join(parts)


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c) == 1 else ch for ch, c in ((ch, ch.lower()) for ch in text))


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """The matching key of a name or word: t2s, NFKC per character, lower case."""
    return _lower(to_simplified(text).translate(_nfkc_table()))


# Credit lines of news copy name the reporters and editors, not anyone the story is about:
# "(Reporting by A in Taipei; Editing by B)", a "By A and B" byline line, "（记者 张三）",
# "责任编辑：李四". They are blanked in the normalised text, so no name or place is read there.
_CREDITS = re.compile(
    r"[(（]\s*(?:Additional |additional )?(?:[Rr]eporting|[Ww]riting|[Ee]diting|[Cc]ompiled|[Rr]esearch|[Gg]raphics)"
    r" by\b[^()（）\n]{0,300}[)）]"
    r"|^[ \t]*(?:By|BY|Reporting by|Editing by|Writing by)[ \t]+[A-Z][\w.'’-]*(?:[ \t]+(?:[A-Z][\w.'’-]*|and|in))*"
    r"(?:,[ \t]*[A-Z][\w.'’-]*(?:[ \t]+(?:[A-Z][\w.'’-]*|and|in))*)*[ \t]*$"
    r"|[(（](?:记者|記者|编辑|編輯|责任编辑|責任編輯|实习记者|實習記者|实习生|實習生|通讯员|通訊員|特约记者|特約記者|撰文|作者)"
    r"[\s:：]*[^()（）\n]{0,40}[)）]"
    r"|^[ \t]*(?:责任编辑|責任編輯|编辑|編輯|记者|記者|审核|審核|校对|校對|作者|撰文|文字)[ \t]*[:：|丨][^\n]{0,40}$",
    re.M)


def credit_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` has news credit lines (reporters, editors)."""
    return [m.span() for m in _CREDITS.finditer(text)]


def normalize(text: str) -> Normalized:
    """Normalise ``text`` for matching; the result has exactly the length of the input. Credit
    lines (reporters and editors) are blanked."""
    norm = _nfkc(to_simplified(text))
    spans = credit_spans(text) if ("by" in text or "By" in text or "BY" in text
                                   or any(w in text for w in _CREDIT_WORDS)) else []
    if spans:
        chars = list(norm)
        for s, e in spans:
            chars[s:e] = " " * (e - s)
        norm = "".join(chars)
    return Normalized(text, norm, _lower(norm))


_CREDIT_WORDS = ("记者", "記者", "编辑", "編輯", "实习生", "實習生", "通讯员", "通訊員", "撰文", "作者", "审核", "審核",
                 "校对", "校對", "文字")
