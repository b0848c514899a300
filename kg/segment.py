"""Chinese word segmentation for names: is 本田 a word here, or part of 日本田中? Where does the name
after a title end (梁文锋同时也是…)?

A bare two-character company name (本田, 信越, 电装) is also a piece of ordinary text: 日本田中角荣,
自信越来越, 配电装置. The gazetteer's ``words`` forms are names only where jieba's segmentation
(the segmenter spaCy's own Chinese pipeline offers) reads them as a word of their own. jieba is
loaded on first use, so a text without such a form never pays for it.
"""

from __future__ import annotations

import logging
import threading

_WINDOW = 12  # characters of context on each side: enough for the words next to the name
_lock = threading.Lock()
_segmenters: dict[tuple[str, ...], object] = {}


def _segmenter(words: tuple[str, ...]):
    with _lock:
        tk = _segmenters.get(words)
        if tk is None:
            import jieba

            from .rules import cache_dir

            # silent: jieba logs its progress, and a prefix-dictionary cache it cannot write (an
            # optimisation only) as an error with a traceback
            jieba.setLogLevel(logging.CRITICAL)
            tk = jieba.Tokenizer()
            d = cache_dir()  # its cache with kg's validated rules, not in a shared temporary folder
            if d is not None:
                try:
                    d.mkdir(parents=True, exist_ok=True)
                    tk.tmp_dir = str(d)
                except OSError:
                    pass
            tk.initialize()
            for w in words:
                # at least the frequency that keeps the name whole on its own; a word the dictionary
                # knows more often (松下, 吉利) keeps its own
                freq = max(tk.FREQ.get(w) or 0, tk.suggest_freq(w, tune=False))
                tk.add_word(w, freq)
            _segmenters[words] = tk
        return tk


def stands_alone(text: str, start: int, end: int, words: tuple[str, ...]) -> bool:
    """Whether ``text[start:end]`` is one word of ``text`` by jieba's segmentation (with ``words``,
    the names asked about, in its dictionary), read in a window of a few characters around it."""
    lo, hi = max(0, start - _WINDOW), min(len(text), end + _WINDOW)
    pos = lo
    for w in _segmenter(words).cut(text[lo:hi], HMM=False):
        if pos == start:
            return pos + len(w) == end
        if pos > start:
            return False
        pos += len(w)
    return False


_JOINERS = ("和", "与", "及", "、")  # a second name after the first: 周昕宇和吴育昕


def _cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def leading_person_names(text: str, after: tuple[str, ...], not_names=frozenset()) -> list[tuple[int, int]]:
    """The Chinese person names that open ``text`` (the simplified words after a title: 梁文锋同时也是…,
    周昕宇和吴育昕同样…), as (start, end) offsets. A name is two or three characters followed by
    the end of the text, a character that is not Chinese, or a word that follows names
    (``after``, rules/lists/after_names_zh.txt: 今年, 表示, 同时, 曾, 则…), the shorter reading first (唐杰则担任: 唐杰; 张建中曾担任:
    张建中); not one of ``not_names`` (高度, 方面, 曾经…), not a word of saying after a surname (王表示).
    A second name joined to the first by 和/与/及/、 is read the same way. The caller checks the surname.
    No dictionary is loaded: a few words of context decide, so it costs no memory and no time."""
    out: list[tuple[int, int]] = []
    pos = 0
    while True:
        s = text[pos:pos + 8]
        n = 0
        for length in (2, 3):
            if len(s) < length or not all(_cjk(c) for c in s[:length]):
                break
            rest = s[length:]
            if rest and _cjk(rest[0]) and not rest.startswith(after):
                continue
            word = s[:length]
            if word in not_names or word[1:] in after or word[-2:] in after:
                break
            n = length
            break
        if not n:
            return out
        out.append((pos, pos + n))
        if text[pos + n:pos + n + 1] in _JOINERS and pos + n + 1 < len(text):
            pos += n + 1
            continue
        return out
