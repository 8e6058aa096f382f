"""The one key function under which place names are indexed and looked up.

News English spells Middle East places many ways ("Al-Mawsil", "al Mosul", "Mosul";
"Tall 'Afar", "Tal Afar"; "Ahvaz", "Ahwaz" is left to the gazetteer's alternate names).
Normalising both the index and the query with the same function makes these spellings
meet on one dictionary key, so lookup stays a dict access, never a scan.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import groupby

# Leading articles dropped from a key: English "the" and the Arabic article in its
# transliterated forms, including the sun-letter assimilations (ad-, an-, ar-, as-, ash-,
# at-, az-) that GeoNames uses ("Ar Ramadi", "As Samawah", "An Najaf").
_ARTICLES = frozenset({"the", "al", "el", "ad", "adh", "an", "ar", "as", "ash", "at", "ath", "az"})

# Apostrophes, the ayn/hamza letters of transliterations and dots ("U.S." -> "us"),
# deleted with str.translate: the gazetteer build normalises 300 000 names.
_DROPPED = str.maketrans("", "", ".'`’‘ʻʼʿʾ")
_POSSESSIVE = re.compile(r"['’]s\b")
_WORDS = re.compile(r"[^\W_]+")


def strip_accents(text: str) -> str:
    """Remove combining marks: "Sinjār" -> "Sinjar", "Şırnak" -> "Sirnak"."""
    if text.isascii():  # most names; skipping NFKD halves the gazetteer build time
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ı", "i")


def normalize_name(text: str, collapse_doubles: bool = True) -> str:
    """Return the index key of a place name.

    Lowercase, accents stripped, a possessive "'s" dropped, apostrophes and dots removed,
    hyphens and other punctuation turned into spaces, leading articles ("the", "al-",
    "as-" ...) dropped while a word remains, and doubled letters collapsed, because
    transliterations disagree on gemination ("Bassora"/"Basora", "Tall Afar"/"Tal Afar").
    ``collapse_doubles=False`` keeps them, to tell an exact spelling from a near one
    ("Samarra" is Samarra, not Samara).
    """
    key = strip_accents(text).lower()
    if "'" in key or "’" in key:
        key = _POSSESSIVE.sub("", key)
    words = _WORDS.findall(key.translate(_DROPPED))
    while len(words) > 1 and words[0] in _ARTICLES:
        words.pop(0)
    key = " ".join(words)
    if not collapse_doubles:
        return key
    return "".join(char for char, _ in groupby(key))
