"""Search: one normalisation for stored text and for queries, so that the same word
typed in another form (full or half width, Arabic rather than Persian letters, with
or without diacritics or accents, another Pashto spelling) still matches; and
cross-script expansion of place and key names through the glossary in
place_names.py (Kabul / カブール / کابل).

The public search view calls search(q): ranked records of every kind, grouped by
kind, with the number of matches of each. search_filter(q) is the condition alone,
for any kind's queryset: every query term must match, in any of its spellings. It
reads the full-text index (history.search_index).
A search counts and ranks at most RANKED_MATCHES matches of a kind."""

import functools
import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, Q, Value, Window
from django.db.models.functions import Coalesce, Least, NullIf, StrIndex, Substr
from django.utils.translation import gettext

from . import kinds, prepared
from .place_names import GLOSSARY
from .search_index import NOT_FOUND, RANKED_PREFIX, ranked_by_index

# Letter forms that Arabic, Dari and Pashto keyboards write differently, mapped to
# one form. Applied before and after removing marks, since some letters decompose
# (ۀ is ە plus hamza, not ه plus hamza).
LETTER_VARIANTS = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh; also Pashto endings: غوایي / غوایی
        "ى": "ی",  # alef maksura
        "ۍ": "ی",  # Pashto yeh with tail, often typed as a plain yeh
        "ك": "ک",  # Arabic kaf
        "ة": "ه",  # teh marbuta
        "ۀ": "ه",  # heh with yeh above
        "ە": "ه",  # ae, what ۀ becomes once its hamza is removed
        "ھ": "ه",  # heh doachashmee
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "گ": "ګ",  # Persian gaf and Pashto gaf: spellings vary (ګ / گ)
        "ـ": None,  # tatweel, a stretch with no meaning
        "\u200c": None,  # ZWNJ: می‌خواهم and میخواهم are the same word
        "\u200d": None,  # ZWJ
        "\u200e": None,  # LRM / RLM: direction marks pasted from RTL text
        "\u200f": None,
        "\ufeff": None,
    }
)
# Arabic-Indic and Eastern Arabic-Indic digits: ۱۴۰۰ and ١٤٠٠ are 1400.
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

# Japanese voicing marks change the word (カ ≠ ガ), so they stay.
KEPT_MARKS = {"\u3099", "\u309a"}

_SPACES = re.compile(r"\s+")


def normalize(text):
    """Return text folded for matching: NFKC (full and half width), case, letter
    variants, digits, and no combining marks (Arabic harakat, Latin accents)."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text)).casefold().translate(LETTER_VARIANTS)
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn" or ch in KEPT_MARKS)
    # NFC puts カ + voicing mark back together as ガ, so stored and typed forms agree.
    text = unicodedata.normalize("NFC", kept).translate(LETTER_VARIANTS).translate(DIGITS)
    return _SPACES.sub(" ", text).strip()


def _strip_punctuation(term):
    """ "Kabul," and «کابل» are Kabul and کابل."""
    start, end = 0, len(term)
    while start < end and unicodedata.category(term[start]).startswith("P"):
        start += 1
    while end > start and unicodedata.category(term[end - 1]).startswith("P"):
        end -= 1
    return term[start:end]


def query_terms(q):
    """The normalised words of a query, without punctuation stuck to their ends."""
    terms = (_strip_punctuation(term) for term in normalize(q).split(" "))
    return [term for term in terms if term]


@functools.cache
def _glossary():
    """Normalised spelling → every normalised spelling of the same name."""
    index = {}
    for names in GLOSSARY:
        spellings = frozenset(normalize(name) for name in names)
        for spelling in spellings:
            index[spelling] = index.get(spelling, frozenset()) | spellings
    return index


def equivalents(name):
    """The other spellings of a (normalised) glossary name; empty if it is not one."""
    return _glossary().get(name, frozenset()) - {name}


def names_in(text):
    """Every spelling of every glossary name that occurs in a normalised text, as
    a substring: Japanese has no spaces, and カブール市 mentions Kabul."""
    found = set()
    for spelling, spellings in _glossary().items():
        if spelling in text:
            found |= spellings
    return found


def _name_length(terms, i):
    """How many terms from position i form one glossary name (Mazar-i-Sharif is
    مزار شریف, two words); 1 when none does."""
    for length in (3, 2):
        if i + length <= len(terms) and equivalents(" ".join(terms[i : i + length])):
            return length
    return 1


def expand_query(q):
    """For each term of the query, the spellings that count as a match: the term
    itself and, for a glossary name, its spellings in the other scripts."""
    terms = query_terms(q)
    expanded, i = [], 0
    while i < len(terms):
        length = _name_length(terms, i)
        term = " ".join(terms[i : i + length])
        expanded.append([term, *sorted(equivalents(term))])
        i += length
    return expanded


def search_filter(q):
    """A Q on search_text: every term must match (AND), in any of its spellings
    (OR). None for an empty query, so the caller can show no results rather than
    everything."""
    expanded = expand_query(q)
    if not expanded:
        return None
    return Q(search_text__matches=expanded)


def earliest_mention(expanded):
    """How early the record's text names the query: for each term, the first place
    any of its spellings occurs in the text's first RANKED_PREFIX characters, added
    up. A record named by the words ranks before one that only mentions them."""
    prefix = Substr("search_text", 1, RANKED_PREFIX)
    positions = []
    for spellings in expanded:
        found = [Coalesce(NullIf(StrIndex(prefix, Value(s)), 0), NOT_FOUND) for s in spellings]
        positions.append(Least(*found) if len(found) > 1 else found[0])
    total = positions[0]
    for position in positions[1:]:
        total = total + position
    return total


# The most matches of one kind that a search counts and ranks. The index stops at
# the first RANKED_MATCHES + 1 it finds, so a word that every record holds costs
# what a rarer one does; past it, the page says "more than" and asks for another
# word, and the best of the matches found are shown (history.search_index).
RANKED_MATCHES = 500


@dataclass
class KindResults:
    """The matches of one kind: how many (up to RANKED_MATCHES; `more` when there
    are more than that), and the best ranked of them."""

    kind: kinds.Kind
    count: int
    records: list
    more: bool = False

    @property
    def count_label(self):
        """The count as the page writes it: "more than 500" past what is counted."""
        return gettext("more than %(count)s") % {"count": self.count} if self.more else str(self.count)


def search(q, per_kind=50, within=None):
    """Published records of every kind matching q, each kind's best `per_kind` in
    rank order (the earliest mention, then the key), with the number of matches of
    each, counted and ranked among the first `within` (RANKED_MATCHES) + 1 found.
    One query for the ranked keys and counts of every kind (the index does the
    matching), then one a kind for the records shown. None for a query with no
    terms."""
    condition = search_filter(q)
    if condition is None:
        return None
    within = RANKED_MATCHES if within is None else within
    expanded = expand_query(q)
    models = [kind.model for kind in kinds.KINDS]
    by_index = ranked_by_index(models, expanded, per_kind, within)
    groups = []
    for kind in kinds.KINDS:
        if by_index is not None:
            ranked = by_index[kind.model]
        else:
            first_found = kind.model.objects.published().filter(condition).order_by().values("pk")[: within + 1]
            ranked = list(
                kind.model.objects.filter(pk__in=first_found)
                .annotate(rank=earliest_mention(expanded), matches=Window(Count("pk"), output_field=IntegerField()))
                .order_by(F("rank").asc(), "pk")
                .values_list("pk", "matches")[:per_kind]
            )
        # With the queryset and SQL built once for each kind, language and number of results.
        records = prepared.lines(kind.model, tuple(pk for pk, _matches in ranked))
        matches = ranked[0][1] if ranked else 0
        groups.append(KindResults(kind, min(matches, within), records, more=matches > within))
    return groups
