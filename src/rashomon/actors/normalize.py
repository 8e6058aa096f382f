"""Name normalisation shared by the knowledge base and the resolver.

Names are compared token by token, with the same tokenizer that parses the text, so
that "al-Sadr", "al Sadr" and "Al-Sadr's" all reduce to the key ("sadr",).
"""

from __future__ import annotations

import re
import unicodedata

# Tokens that carry no identity: punctuation inside names and the Arabic article,
# which English transliterations write as "al-", "al ", "el-" or leave out.
SKIP_TOKENS = frozenset({"-", "‐", "–", "—", "'", "’", "'s", "’s", "s'", "al", "el", "the"})

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"'})


def fold(text: str) -> str:
    """Lower case, accents stripped, quote style unified."""
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def token_key(token_text: str) -> str:
    """The comparison form of one token: folded, dots dropped ("U.S." -> "us")."""
    return fold(token_text).replace(".", "")


def is_acronym(name: str) -> bool:
    """Short all-capital names ("US", "MEK", "U.K.") must match in capitals only."""
    letters = name.replace(".", "").replace("&", "")
    return 1 < len(letters) <= 6 and letters.isalpha() and letters.isupper()


def slug(name: str) -> str:
    """A stable id fragment for a provisional actor's name."""
    return re.sub(r"[^a-z0-9]+", "_", fold(name)).strip("_") or "unnamed"
