"""Unicode and whitespace normalisation of article text.

The result is the text every later stage indexes into, so this runs once, first.
"""

from __future__ import annotations

import re
import unicodedata

# Spaces of every width, including no-break ones, become a plain space.
_SPACES = dict.fromkeys(map(ord, "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                                 "\u2007\u2008\u2009\u200a\u202f\u205f\u3000"), " ")
# Invisible characters that only break words apart for matching: removed.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Rare quote-like characters mapped to plain ones. The curly quotes ‘ ’ “ ” are left alone.
_QUOTES = {ord(k): v for k, v in {
    "‛": "'", "′": "'", "‚": "'", "‹": "'", "›": "'", "＇": "'",
    "‟": '"', "″": '"', "„": '"', "«": '"', "»": '"', "＂": '"', "〝": '"', "〞": '"',
}.items()}
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_CONTROL = re.compile(r"[\x00-\x09\x0e-\x1f\x7f]")
_RUN_OF_SPACES = re.compile(r" {2,}")
_BLANK_LINES = re.compile(r"\n{3,}")


def normalise_text(text: str) -> str:
    """NFC; odd spaces, quotes and line breaks made plain; one blank line between paragraphs."""
    text = unicodedata.normalize("NFC", text)
    text = _LINE_BREAKS.sub("\n", text)
    text = text.translate(_SPACES).translate(_INVISIBLE).translate(_QUOTES)
    text = _CONTROL.sub("", text)
    lines = [_RUN_OF_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def line_key(line: str) -> str:
    """A line reduced for comparison with known boilerplate: case, spacing, edge punctuation."""
    line = line.replace("’", "'").replace("“", '"').replace("”", '"').casefold()
    line = re.sub(r"\s+", " ", line)
    return line.strip(" \t-–—•*·|>:.!?,;")
