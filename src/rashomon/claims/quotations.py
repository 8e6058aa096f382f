"""Quotations without a cue verb: transcript turns ("NAME: ..."), quotations credited after
a dash, and quotation paragraphs continuing or quoting the last speaker (mixed into
``rules.Finder``)."""

from __future__ import annotations

import re

from spacy.tokens import Token

from ..parse import token_texts
from .chains import Attribution
from .content import (
    QUOTES_OPEN,
    closing_quote,
    end_of,
    paragraph_bounds,
    paragraph_end,
    previous_paragraph,
    quote_left_open,
    starts_paragraph,
)

# A paragraph that opens with a short label and a colon: "TAPPER: Do you ...", also inside
# the quotation marks of a transcript quoted turn by turn ("\"TAPPER: Do you ...").
_LABEL_LINE = re.compile(r"^[ \t]*(?P<quote>[“\"]?)(?P<label>[^:\n“\"]{1,80}?):[ \t]+"
                         r"(?P<said>\S)",
                         re.MULTILINE)
# A colon right after a credit ("..., she said: “...”"): what follows is said too.
_COLON_AFTER = re.compile(r"[ \t]*:[ \t]*")
# How far back (sentences) a cue-less quotation looks for its speaker. Chosen, not
# calibrated: a quotation paragraph follows the sentence introducing its speaker.
QUOTE_SPEAKER_WINDOW = 2
# A paragraph that is a quotation credited after a dash: "“We will stay.” ― Jane Roe"; its
# opening mark may be a closing one typed the wrong way round ("”We will stay.” ― Jane Roe").
_CREDITED_QUOTE = re.compile(r"^[ \t]*([“”\"])(?P<content>[^\n]+?)[”\"][ \t]*(?P<dash>[―—–]|--?)"
                             r"[ \t]*(?P<label>[^\n]{1,80}?)[ \t.]*$", re.MULTILINE)

class QuotationRules:
    """Mixed into the finder: reads and writes its state (see rules.Finder)."""

    # -- colon turns ----------------------------------------------------------------------

    def _colon_turns(self) -> None:
        """A paragraph opening with a name and a colon gives that name's words: interview
        transcripts ("SMITH: We will ...") and headline quotes ("Jones: Deal is dead")."""
        rules = self.cues.colon_sources
        skip = {w.lower() for w in rules.get("skip") or ()}
        max_words = int(rules.get("max_words", 0))
        for line in _LABEL_LINE.finditer(self.text):
            label = self.doc.char_span(line.start("label"), line.end("label"),
                                       alignment_mode="contract")
            colon = self.doc.char_span(line.end("label"), line.end("label") + 1)
            if label is None or colon is None or not 0 < len(label) <= max_words:
                continue
            if line.group("quote") and not label.text.isupper():
                continue  # a quoted turn's label is a transcript's capitals ("\"PENCE: ...")
            root = label.root
            if root.pos_ not in ("PROPN", "NOUN") or not label.text[0].isupper() \
                    or any(t.pos_ in ("VERB", "AUX") for t in label) \
                    or label.text.lower() in skip or root.lemma_.lower() in skip:
                continue  # "Update: ...", "Asked whether ...: ...": a heading, not a speaker
            _, end = paragraph_bounds(self.text, line.start("said"))
            speaker = self.actor_of(root) or self._mention_within(root, label.text)
            self._add(colon[0], ":", {"cue_type": "assert"}, (line.start("said"), end), speaker,
                      label.text, root)
            self.found[-1].span_start = label.start_char  # the label is the whole source

    def _credited_quotations(self) -> None:
        """A paragraph that is a quotation followed by a dash and a name gives that name's
        words, as a quote credit does ("“...” ― Jane Roe", "“...” -- a reader in Ohio")."""
        max_words = int(self.cues.colon_sources.get("max_words", 0))
        for line in _CREDITED_QUOTE.finditer(self.text):
            label = self.doc.char_span(line.start("label"), line.end("label"),
                                       alignment_mode="contract")
            dash = self.doc.char_span(line.start("dash"), line.end("dash"),
                                      alignment_mode="expand")
            if label is None or dash is None or not 0 < len(label) <= max_words \
                    or not label.text[0].isupper() \
                    or any(t.pos_ in ("VERB", "AUX") for t in label):
                continue
            root = label.root
            speaker = self.actor_of(root) or self._mention_within(root, label.text)
            self._add(dash[0], dash.text, {"cue_type": "assert"},
                      (line.start("content"), line.end("content")), speaker, label.text, root)

    # -- cue-less quotations ---------------------------------------------------------------

    def _quotations(self) -> None:
        """Quotation paragraphs: continue an open quote, or quote the last speaker. A
        paragraph may open inside a parser sentence ("... “not innocent at all.”\n\n“Rather,
        it ...”"), so paragraphs are found from the text, not from sentence starts."""
        for i, text in enumerate(token_texts(self.doc)):
            if text not in QUOTES_OPEN:
                continue
            first = self.doc[i]
            if not starts_paragraph(first):
                continue
            end = paragraph_end(self.doc, first.i)
            close = closing_quote(self.text, first.idx, end)
            if any(first.idx <= a.cue.idx < end and not a.via_quote
                   and not first.idx < a.cue.idx < close
                   and a.content_start < close and first.idx < a.content_end
                   for a in self.found):
                continue  # the paragraph names its own speaker ("“...,” he said")
            if any(a.content_start <= first.idx + 1 < a.content_end for a in self.found):
                continue  # a cue ending in a colon already took it ("He said:\n\n“...”")
            if any(a.cue.text == ":" and 0 < a.span_start - first.idx <= 2 for a in self.found):
                continue  # a quoted transcript turn names its speaker ("\"PENCE: ...")
            prior = previous_paragraph(self.text, first.idx)
            continued = [a for a in self.found if a.speaker is not None
                         and a.span_start < first.idx
                         and (a.extra_end or a.content_end) >= first.idx - len(prior) - 4]
            previous = continued[-1] if continued else self._attribution_before(first)
            if previous is None:
                continue
            if quote_left_open(prior):
                # the quotation goes on from the paragraph before
                previous.extra_end = len(self.text[:end].rstrip(" .,;\"”’"))
                continue
            att = Attribution(
                cue=first, cue_text=first.text, cue_type=previous.cue_type,
                content_start=first.idx + 1, content_end=min(close, end),
                speaker=previous.speaker, speaker_text=previous.speaker_text, direct=True,
                negates=previous.negates, span_start=first.idx, span_end=min(close + 1, end),
                via_quote=True)
            att.parent = previous.parent
            self.found.append(att)

    def _quotation_after_credit(self) -> None:
        """"“A,” she said. “B.”", "A, she said. “B.”" or "A, she said: “B.”": a quotation
        (or, after a colon, whatever follows) that follows the credit in its paragraph, with
        no credit of its own, goes on with the same speaker's words (the content is extended
        over it, as a continued quotation paragraph is)."""
        for att in self.found:
            if att.speaker_token is None or att.via_quote or att.extra_end is not None \
                    or att.cue.idx < att.content_end:
                continue
            _, para_end = paragraph_bounds(self.text, att.cue.idx)
            colon = _COLON_AFTER.match(self.text, end_of(att.cue))
            if colon is not None:
                start = colon.end()
            else:  # "“A,” she said. “B.”", and "A, she said. “B.”" (a paraphrase first)
                after = att.cue.sent.end_char
                start = after + len(self.text[after:para_end]) \
                    - len(self.text[after:para_end].lstrip())
                if start >= para_end or self.text[start] not in ("“", '"'):
                    continue
            if start >= para_end:
                continue
            close = closing_quote(self.text, start, para_end) \
                if self.text[start] in ("“", '"') else para_end
            if any(o is not att and start <= o.cue.idx < para_end
                   and not start < o.cue.idx < close for o in self.found):
                continue  # "“B,” he added": the next quotation has its own credit
            att.extra_end = close

    def _quotation_after_colon(self) -> None:
        """"She said: “A. B.”": a quotation opened right after a credit and its colon is the
        speaker's words up to where it closes, every sentence of it (the parse's content,
        the cue's clausal complement, stops at the first sentence's end)."""
        for att in self.found:
            if att.speaker_token is None or att.via_quote or att.extra_end is not None \
                    or att.content_start < att.cue.idx:
                continue
            colon = _COLON_AFTER.match(self.text, end_of(att.cue))
            if colon is None or self.text[colon.end():colon.end() + 1] not in QUOTES_OPEN \
                    or not colon.end() < att.content_start <= colon.end() + 2:
                continue
            _, para_end = paragraph_bounds(self.text, att.cue.idx)
            close = closing_quote(self.text, colon.end(), para_end)
            if close > att.content_end and not any(
                    o is not att and att.content_end <= o.cue.idx < close for o in self.found):
                att.extra_end = close

    def _attribution_before(self, first: Token) -> Attribution | None:
        """The last attribution with a speaker in the few sentences before ``first``."""
        sent = first.sent
        for _ in range(QUOTE_SPEAKER_WINDOW):
            if sent.start == 0:
                break
            sent = self.doc[sent.start - 1].sent
        before = [a for a in self.found if sent.start_char <= a.span_start < first.idx
                  and a.speaker is not None]
        return max(before, key=lambda a: a.span_start) if before else None
