"""Unicode and whitespace normalisation of article text, with stray markup taken out.

The result is the text every later stage indexes into, so this runs once, first. Text
copied out of pages often keeps bits of its markup: tags ("<br>", "</p>", an <iframe>),
script and style bodies, entities ("&amp;", "&#8217;") and WordPress shortcodes
("[caption id=...]"); they go here, inline, keeping the words around them.
"""

from __future__ import annotations

import html
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
# The three tables as one (no character one maps to is mapped again), applied only to a
# text holding one of them: str.translate looks every character of a non-ASCII text up
# in the table, and most texts hold none of these.
_ODD_CHARACTERS = {**_SPACES, **_INVISIBLE, **_QUOTES}
_ANY_ODD = re.compile("[" + re.escape("".join(map(chr, _ODD_CHARACTERS))) + "]")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_CONTROL = re.compile(r"[\x00-\x09\x0e-\x1f\x7f]")
_RUN_OF_SPACES = re.compile(r" {2,}")
_BLANK_LINES = re.compile(r"\n{3,}")
# A numbered list copied out of a page often loses the break before each number, which
# then ends the line before ("... handed to the Border Police Service.3." over "An inquiry
# ..."): glued to the last word, it breaks the name there. It goes back to the start of the
# line it numbers. Only a number of one or two digits right after a sentence's end (so
# "rose by 2.5." stays) and before a line break.
_LIST_NUMBER_AT_END = re.compile(r"(?<=[^\s\d][.!?:])(\d{1,2})\.\n(?=\S)")
# Only names of HTML elements count as tags, so "<Iran>" or "a < b > c" in prose stay.
_ELEMENTS = ("a|abbr|acronym|address|area|article|aside|audio|b|bdi|bdo|big|blockquote|body|br|"
             "button|canvas|caption|center|cite|code|col|colgroup|data|datalist|dd|del|details|"
             "dfn|dialog|div|dl|dt|em|embed|fieldset|figcaption|figure|font|footer|form|frame|"
             "h[1-6]|head|header|hr|html|i|iframe|img|input|ins|kbd|label|legend|li|link|main|"
             "map|mark|marquee|menu|meta|meter|nav|noscript|object|ol|optgroup|option|output|p|"
             "param|picture|pre|progress|q|rp|rt|ruby|s|samp|script|section|select|small|source|"
             "span|strike|strong|style|sub|summary|sup|svg|table|tbody|td|template|textarea|"
             "tfoot|th|thead|time|title|tr|track|tt|u|ul|var|video|wbr")
_TAG = re.compile(rf"</?(?:{_ELEMENTS})(?:\s+[\w:-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*"
                  r"\s*/?>", re.IGNORECASE)
_HIDDEN_OPEN = re.compile(r"<(script|style|noscript|template)\b[^>]{0,500}>", re.IGNORECASE)
# a caption shortcode wraps the caption itself: all of it goes
_CAPTION_BLOCK = re.compile(r"\[caption\b[^\]\n]{0,300}\][^\[\n]{0,600}\[/caption\]", re.IGNORECASE)
_SHORTCODE = re.compile(r"\[/?(?:caption|embed|video|audio|gallery|tweet|youtube|instagram|"
                        r"vimeo|playlist|wp_\w+)\b[^\]\n]{0,300}\]", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,5});")
_BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|h[1-6]|blockquote|tr|section|article|figure)\b",
                        re.IGNORECASE)


def normalise_text(text: str) -> str:
    """NFC; odd spaces, quotes and line breaks made plain; one blank line between paragraphs."""
    text = strip_markup(unicodedata.normalize("NFC", text))
    text = _LINE_BREAKS.sub("\n", text)
    if _ANY_ODD.search(text):
        text = text.translate(_ODD_CHARACTERS)
    text = _CONTROL.sub("", text)
    lines = [_RUN_OF_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    return _LIST_NUMBER_AT_END.sub(r"\n\1. ", text) if ".\n" in text else text


def strip_markup(text: str) -> str:
    """Text without stray tags, script bodies, shortcodes and entities."""
    if "<" in text:
        text = _drop_hidden(text)
        # a block tag ends a line, an inline one just goes
        text = _TAG.sub(lambda m: "\n" if _BLOCK_TAG.match(m.group()) else "", text)
    if "[" in text:
        text = _SHORTCODE.sub("", _CAPTION_BLOCK.sub("", text))
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group()), text)
    return text


def _drop_hidden(text: str) -> str:
    """Remove <script>...</script> and the like; an element never closed is left to _TAG.

    Each closing tag is looked for once (str.find), so that many unclosed openings cost
    linear time, not quadratic.
    """
    lowered = text.lower()
    parts, pos, unclosed = [], 0, set()
    for match in _HIDDEN_OPEN.finditer(text):
        name = match.group(1).lower()
        if match.start() < pos or name in unclosed:
            continue
        end = lowered.find(f"</{name}", match.end())
        if end < 0:
            unclosed.add(name)
            continue
        close = lowered.find(">", end)
        close = len(text) if close < 0 else close + 1
        parts += [text[pos:match.start()], " "]
        pos = close
    return "".join(parts) + text[pos:] if parts else text


def line_key(line: str) -> str:
    """A line reduced for comparison with known boilerplate: case, spacing, edge punctuation."""
    line = line.replace("’", "'").replace("“", '"').replace("”", '"').casefold()
    line = re.sub(r"\s+", " ", line)
    return line.strip(" \t-–—•*·|>:.!?,;")
