"""Sentence boundaries, for Chinese and English punctuation alike.

A sentence ends at 。！？!?；… (with any closing quotes or brackets after them), at a line break,
or at an ASCII full stop followed by white space and not closing a known abbreviation
(U.S., Inc., Corp., Mr., Jan. ...). Offsets index the original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .model import Sentence

__all__ = ["sentence_spans", "sentences"]

_END = re.compile(r"[。！？!?；]+[”’\"'」』）)\]]*|\n+|(?<=[.])[”’\"')\]]*(?=\s)|…{2,}|\.{3,}")
_ABBREV = {
    "u.s", "u.k", "u.n", "e.u", "inc", "corp", "ltd", "co", "mr", "mrs", "ms", "dr", "prof", "st",
    "no", "vs", "e.g", "i.e", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "gen", "sen", "rep", "gov", "jr", "sr", "dept", "est", "approx", "fig", "p.m", "a.m",
}
_WORD_BEFORE = re.compile(r"([A-Za-z](?:[A-Za-z.]*[A-Za-z])?)\.?[”’\"')\]]*$")


def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of each non-blank sentence, stripped of surrounding white space."""
    start = 0
    n = len(text)
    for m in _END.finditer(text):
        end = m.end()
        g = m.group(0)
        if (not g or g[0] not in "。！？!?；\n…") and not g.startswith("..."):
            # an ASCII full stop: not after an abbreviation or a single capital (J. Smith)
            w = _WORD_BEFORE.search(text, max(start, m.start() - 12), m.start())
            word = w.group(1).lower() if w else ""
            if word in _ABBREV or (len(word) == 1 and word.isalpha()):
                continue
            nxt = text[end:end + 3].lstrip()
            if nxt[:1].islower():
                continue
        yield from _strip(text, start, end)
        start = end
    if start < n:
        yield from _strip(text, start, n)


def _strip(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def sentences(text: str) -> Iterator[Sentence]:
    for s, e in sentence_spans(text):
        yield Sentence(s, e, text[s:e])
