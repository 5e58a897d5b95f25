"""Search highlighting: the words a search matched, marked in a text whatever
their spelling. The reader types کابل and the English title shows <mark>Kabul</mark>:
the terms are the query's spellings in every script (history.search.expand_query),
and matching runs on the same normalised form search uses, mapped back to the
text as written."""

import functools
from html import escape

from django.utils.safestring import SafeString

from .search import normalize


def folded(text):
    """The normalised text, and for each of its characters the index of the
    character of `text` it came from. One character at a time: a character folds
    to zero or more (a removed mark, ﷲ), never depending on its neighbours, except
    for the kana voicing marks, which stay as they are here."""
    haystack = text.translate(_FOLDING)
    if len(haystack) == len(text) and _IRREGULAR.isdisjoint(text):
        # Every character folded to one: each stands where it stood. Most texts,
        # in every script, and the search page folds eighty titles and summaries.
        return haystack, range(len(text))
    pieces = list(map(_folded_character, text))
    origins = [index for index, piece in enumerate(pieces) for _folded in piece]
    return "".join(pieces), origins


# A character folds the same way wherever it stands: each is worked out once.
@functools.lru_cache(maxsize=65536)
def _folded_character(character):
    return normalize(character) if not character.isspace() else " "


# The characters that fold to none or to more than one (the mapping is then no
# longer one to one), as they are met.
_IRREGULAR = set()


class _Folding(dict):
    """Code point → folded character(s), for str.translate, which asks a mapping
    for every character in C: worked out on first sight, and kept (up to a bound)."""

    def __missing__(self, code):
        piece = _folded_character(chr(code))
        if len(piece) != 1:
            _IRREGULAR.add(chr(code))
        if len(self) < 65536:
            self[code] = piece
        return piece


_FOLDING = _Folding()


def matched_spans(text, terms):
    """(start, end) ranges of `text` that fold to one of the terms, merged."""
    haystack, origins = folded(text)
    spans = []
    for term in {term for term in terms if term}:
        start = haystack.find(term)
        while start != -1:
            end = start + len(term)
            spans.append((origins[start], origins[end - 1] + 1))
            start = haystack.find(term, end)
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight_terms(text, terms):
    """Escaped text with every match wrapped in <mark>. The standard library's
    escape, which Django's calls: Django's, and its mark_safe, are wrapped to take
    lazy texts, a cost on each of the several hundred pieces a search page marks."""
    text = str(text or "")
    html, last = [], 0
    for start, end in matched_spans(text, terms):
        html.append(escape(text[last:start]))
        html.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    html.append(escape(text[last:]))
    return SafeString("".join(html))  # every piece is escaped above
