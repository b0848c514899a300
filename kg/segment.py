"""Chinese word segmentation for short names: is 本田 a word here, or part of 日本田中?

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


_pos_lock = threading.Lock()
_pos: list = []  # the part-of-speech tokenizer, made once
_NAME_JOINERS = ("和", "与", "與", "及", "、")


def _pos_tokenizer():
    with _pos_lock:
        if not _pos:
            import jieba.posseg

            _segmenter(())  # (silent, its cache in kg's cache folder)
            _pos.append(jieba.posseg.POSTokenizer(_segmenters[()]))
        return _pos[0]


def leading_person_names(text: str) -> list[tuple[int, int]]:
    """The Chinese person names that open ``text`` (the words after a title: 梁文锋同时也是…,
    周昕宇和吴育昕同样…), as (start, end) offsets: jieba's part-of-speech tagger reads the first
    word as a person's name (``nr``), two or three characters; a one-character surname it splits
    from a two-character given name it reads as a place or a name (陈/南翔) is joined. A second name
    joined to the first by 和/与/及/、 is read the same way. [] when the text opens otherwise."""
    out: list[tuple[int, int]] = []
    words = [(w.word, w.flag) for w in _pos_tokenizer().cut(text[:24])]
    pos, k = 0, 0
    while k < len(words):
        w, flag = words[k]
        if flag != "nr" or not all("\u4e00" <= c <= "\u9fff" for c in w):
            break
        n = len(w)
        if n == 1 and k + 1 < len(words) and len(words[k + 1][0]) == 2 and words[k + 1][1] in ("ns", "nr", "nz", "a", "n", "i", "j") \
                and all("\u4e00" <= c <= "\u9fff" for c in words[k + 1][0]):
            n, k = 3, k + 1  # 陈/南翔, 栗/永徽, 李/明远 (not a verb, adverb or function word after it)
        elif k + 1 < len(words) and words[k + 1][1] in ("nr", "nrt"):
            break  # 费尔德/曼, 冯德/莱恩: a longer (transliterated) name the tagger cut; unsure where it ends
        if not 2 <= n <= 3 or w[0] in ("由", "为", "是", "被"):
            break
        out.append((pos, pos + n))
        if n == 3 and len(w) == 2:
            break  # (the rest of the next word is not a name)
        pos += n
        k += 1
        if k + 1 < len(words) and words[k][0] in _NAME_JOINERS:
            pos += len(words[k][0])
            k += 1
            continue
        break
    return out
