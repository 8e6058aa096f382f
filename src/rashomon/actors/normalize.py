"""Name normalisation shared by the knowledge base and the resolver.

Names are compared token by token, with the same tokenizer that parses the text, so
that "al-Sadr", "al Sadr" and "Al-Sadr's" all reduce to the key ("sadr",). Each token is
then reduced to a sound key (``sound_key``) so that the spellings English writers give
one Arabic or Persian name meet: "Hayder"/"Haider"/"Haidar", "Nuri"/"Nouri",
"Muhandes"/"Muhandis", "Qumi"/"Qomi", "Kadhimi"/"Kazemi", "Moqtada"/"Moktada".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Tokens that carry no identity: punctuation inside names and the Arabic article,
# which English transliterations write as "al-", "al ", "el-" or leave out.
SKIP_TOKENS = frozenset({"-", "‐", "–", "—", "'", "’", "'s", "’s", "s'", "al", "el", "the"})

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"'})

# Consonant spellings of one Arabic or Persian sound, longest first. "dh", "th", "z" and
# "d" meet because English writes dhal, tha, za and dad in all those ways
# ("Kadhimi"/"Kazemi", "Fayyadh"/"Fayyad"); qaf and ghayn are written q, k, gh
# ("Qasemi"/"Ghasemi", "Qader"/"Kader").
_CONSONANTS = (("dh", "d"), ("th", "d"), ("zh", "d"), ("z", "d"), ("gh", "k"), ("q", "k"),
               ("ck", "k"), ("ph", "f"), ("w", "w"))
_VOWELS = set("aeiouy")
# "Abdul", "Abdel", "Abdol": the servant-of prefix with the article run into it.
_ABD = re.compile(r"^abd[aeiou]?l")


def fold(text: str) -> str:
    """Lower case, accents stripped, quote style unified."""
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=1 << 16)  # asked for every token of every document, mostly the same words
def token_key(token_text: str) -> str:
    """The comparison form of one token: folded, dots dropped ("U.S." -> "us")."""
    return fold(token_text).replace(".", "")


@lru_cache(maxsize=1 << 16)  # the resolver asks for the same words again and again
def sound_key(key: str) -> str:
    """A folded token reduced to how it sounds, for names transliterated from Arabic or
    Persian: doubled letters single, consonant spellings of one sound merged, and each run
    of vowels reduced to its class, "a" (a, e, i, y and the diphthongs ai, ay, ei, ey)
    or "u" (o, u, ou, oo). Short vowels are written inconsistently ("Amiri"/"Ameri",
    "Fatah"/"Fateh"), but a and u stay apart: "Hassan" and "Hussein", "Omar" and "Amir"
    are different names. Tokens without letters or of two letters or fewer, and digits,
    are kept as they are."""
    letters = re.sub(r"[^a-z]", "", key)
    if len(letters) <= 2 or letters != key.replace("'", "").replace("-", ""):
        return key
    letters = _ABD.sub("abd", letters)
    if letters.startswith("c"):
        letters = "k" + letters[1:]
    letters = re.sub(r"c(?=[aou]|$|[^aeiouy])", "k", letters)
    letters = re.sub(r"(.)\1+", r"\1", letters)
    for spelling, sound in _CONSONANTS:
        letters = letters.replace(spelling, sound)
    letters = re.sub(r"(.)\1+", r"\1", letters)
    out: list[str] = []
    i = 0
    while i < len(letters):
        c = letters[i]
        if c in _VOWELS and not _consonant_y(letters, i):
            j = i
            while j < len(letters) and letters[j] in _VOWELS and not _consonant_y(letters, j):
                j += 1
            run = letters[i:j]
            back = any(v in run for v in "ou")
            front = any(v in run for v in "aeiy")
            if back and front:
                out.append("ua" if run.index(next(v for v in run if v in "ou")) <
                           run.index(next(v for v in run if v in "aeiy")) else "au")
            else:
                out.append("u" if back else "a")
            i = j
            continue
        out.append(c)
        i += 1
    word = "".join(out)
    if len(word) > 3 and word.endswith("h") and word[-2] in "au":
        word = word[:-1]  # a final h after a vowel is silent: "Fatah"/"Fata", "Abdullah"
    return word


def _consonant_y(letters: str, i: int) -> bool:
    """A y that starts a word or a syllable ("Yahya", "Sayed") is a consonant; one that
    closes a vowel ("Hayder", "Suleymani") is part of it."""
    return letters[i] == "y" and (i == 0 or (i + 1 < len(letters) and letters[i + 1] in "aeiou"))


def is_acronym(name: str) -> bool:
    """Short all-capital names ("US", "MEK", "U.K.") must match in capitals only."""
    letters = name.replace(".", "").replace("&", "")
    return 1 < len(letters) <= 6 and letters.isalpha() and letters.isupper()


def slug(name: str) -> str:
    """A stable id fragment for a provisional actor's name."""
    return re.sub(r"[^a-z0-9]+", "_", fold(name)).strip("_") or "unnamed"
