"""What the search page says around its results: whether a query can be searched
at all (empty, too long, nothing but symbols), "did you mean" for a name typed in
another script or slightly misspelled, examples in the reader's own script, and
which spellings every word was searched in (the same spellings its highlighting
marks). The matching itself is history.search's."""

import difflib
import unicodedata

from django.utils.translation import get_language

from .locales import likely_subtags
from .place_names import GLOSSARY
from .search import expand_query, normalize, query_terms

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
# The scripts the glossary spells names in, by their ISO 15924 codes.
SCRIPTS = {"Latn": "latin", "Jpan": "japanese", "Arab": "arabic"}
# Names to offer as examples on an empty search page, from the glossary.
EXAMPLES = ("Kabul", "Tokyo", "JICA", "Bamiyan")


def script_of(text):
    """'arabic', 'japanese' or 'latin': the script of a word's first letter."""
    for character in str(text):
        if not character.isalpha():
            continue
        name = unicodedata.name(character, "")
        if name.startswith(("ARABIC", "PERSIAN")):
            return "arabic"
        if name.startswith(("CJK", "HIRAGANA", "KATAKANA", "HALFWIDTH KATAKANA")):
            return "japanese"
        return "latin"
    return ""


def reader_script():
    """The script the reader's language writes names in (CLDR's likely script)."""
    return SCRIPTS.get(likely_subtags(get_language())[1], "latin")


def spelling_in(names, script):
    """A glossary line's first spelling in a script (None when it has none)."""
    return next((name for name in names if script_of(name) == script), None)


def glossary_line(term):
    """The glossary line a (normalised) term is a spelling of, or None."""
    return next((names for names in GLOSSARY if term in {normalize(name) for name in names}), None)


def suggestions(query):
    """Queries to offer under "did you mean": the reader's own spelling of a name
    typed in another script (Kabul on a Dari page: کابل), and the nearest glossary
    name to a word that is none (Kabol: Kabul). Each suggestion is the whole query
    with that one word replaced."""
    script = reader_script()
    terms = query_terms(query)
    spellings = {normalize(name): name for names in GLOSSARY for name in names}
    offered = []
    for index, term in enumerate(terms):
        line = glossary_line(term)
        if line is None:
            close = difflib.get_close_matches(term, spellings, n=1, cutoff=0.75)
            line = glossary_line(close[0]) if close else None
            replacement = (spelling_in(line, script) or spellings[close[0]]) if line else None
        elif script_of(term) != script:
            replacement = spelling_in(line, script)
        else:
            replacement = None
        if replacement and normalize(replacement) != term:
            offered.append(" ".join([*terms[:index], replacement, *terms[index + 1 :]]))
    return list(dict.fromkeys(offered))


def examples():
    """Example searches in the reader's script: Kabul, کابل, カブール."""
    script = reader_script()
    found = []
    for example in EXAMPLES:
        line = next(names for names in GLOSSARY if names[0] == example)
        found.append(spelling_in(line, script) or example)
    return found


def check_query(query):
    """(problem, terms): problem is "", "empty", "too-long" or "no-words"; terms are
    the query's words in every spelling searched, for highlighting."""
    if not query:
        return "empty", []
    terms = query_terms(query)
    if len(query) > MAX_QUERY_LENGTH or len(terms) > MAX_TERMS:
        return "too-long", []
    if not any(any(character.isalnum() for character in term) for term in terms):
        return "no-words", []
    return "", [spelling for alternatives in expand_query(query) for spelling in alternatives]


def shortened(query):
    """The first MAX_TERMS words of a query that was too long, to offer instead."""
    return " ".join(query.split()[:MAX_TERMS])[:MAX_QUERY_LENGTH]


def searched_as(query):
    """For each word that is a name, the spellings it was searched in, as the
    glossary writes them."""
    written = {normalize(name): name for names in GLOSSARY for name in names}
    return [
        [written.get(spelling, spelling) for spelling in alternatives]
        for alternatives in expand_query(query)
        if len(alternatives) > 1
    ]
