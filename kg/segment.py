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
