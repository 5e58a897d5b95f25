"""Text normalisation for search, applied both to stored text and to queries, so
that the same word typed in another form (full width, Arabic rather than Persian
letters, with or without diacritics) still matches."""

import re
import unicodedata

# Arabic letter forms that Dari and Pashto write differently; map to the Persian
# forms. Pashto-specific letters (ې ۍ ې ګ ښ ځ څ ړ ډ ټ ږ ڼ) are kept as they are.
LETTER_VARIANTS = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh
        "ى": "ی",  # alef maksura
        "ك": "ک",  # Arabic kaf
        "ة": "ه",  # teh marbuta
        "ۀ": "ه",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "گ": "ګ",  # gaf: Dari and Pashto spellings vary; one form for matching
        "ـ": None,  # tatweel
        "\u200c": " ",  # zero-width non-joiner separates word parts
        "\u200d": None,
    }
)

_SPACES = re.compile(r"\s+")


def normalize(text):
    """Return text folded for matching: NFKC (full and half width), case,
    letter variants, and no combining marks (Arabic harakat, Latin accents)."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    decomposed = unicodedata.normalize("NFD", text)
    # Drop combining marks but keep the Japanese voicing marks, which change the word.
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch) or ch in "\u3099\u309a")
    text = unicodedata.normalize("NFC", kept).translate(LETTER_VARIANTS)
    return _SPACES.sub(" ", text).strip()
