"""Claim attribution: who says what, read from the parse and the resolved actors.

An *attribution* ties a span of content to a speaker through a cue (attribution_cues.yaml):

* a cue verb with its complement ("X said that ...", "X described Y as Z", "..., he said");
* a passive reporting frame ("Y is considered by X as Z");
* a cue phrase ("according to X", "X's statement read ...");
* a cue noun as subject of a speech verb ("an interior ministry statement said ...": the
  speaker is the noun's modifier);
* a quotation paragraph with no cue of its own, attributed to the speaker of the
  attribution just before it; a paragraph that opens a quote the previous paragraph
  never closed continues that quotation instead ("the ... \\n\\n"During the attack ...");
* a quotation beside a speech verb the parse left without a complement ("“...,” Karimi,
  61, told the BBC"), and a paragraph opening "NAME: ..." (transcript turns, headlines).

A source no actor stands for ("a campaign spokeswoman said") is still reported, by its
words, unless it names no one in particular (``unnamed_sources`` in the cue lexicon).

Attributions nest: one whose cue lies inside another's content is reported by that
other's speaker ("AFP reported that US officials claim that ..." -> the officials'
claim has ``reported_by == ["afp"]``, and AFP's claim has the officials' claim as
content). The events stage reads the same attributions to mark embedded events as
reported or denied, so they are computed once per parsed document and cached on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from spacy.tokens import Doc, Token

from .actors import Resolution
from .datafiles import load_lexicon
from .types import Claim, Mention

# Prepositions whose object names the body a generic speaker belongs to
# ("sources in the Resistance Axis", "officials of the ministry", "a spokesman for X").
_MEMBER_PREPS = {"in", "of", "for", "from", "at", "within", "close"}
_QUOTES_OPEN = {"“", '"', "‘"}
_QUOTES_CLOSE = {"”", '"', "’"}
# Double quotation marks as tokens, each with its partner: curly, straight, and the doubled
# apostrophes and backticks of wire and archive copy (``...'' and ''...'').
_OPENER_OF = {"”": "“", '"': '"', "''": "''"}
_CLOSER_OF = {"“": "”", '"': '"', "''": "''", "``": "''"}
# A paragraph that opens with a short label and a colon: "TAPPER: Do you ...".
_LABEL_LINE = re.compile(r"^[ \t]*([^:\n]{1,80}?):[ \t]+(\S)", re.MULTILINE)
# How far back (sentences) a cue-less quotation looks for its speaker. Chosen, not
# calibrated: a quotation paragraph follows the sentence introducing its speaker.
QUOTE_SPEAKER_WINDOW = 2


@dataclass(frozen=True)
class CueLexicon:
    """The attribution cues of attribution_cues.yaml, indexed for the parse."""

    verbs: dict[str, dict[str, Any]]
    nouns: dict[str, dict[str, Any]]
    phrases: dict[str, dict[str, Any]]
    passive: dict[str, dict[str, Any]]
    adverbs: dict[str, dict[str, Any]]
    object_phrases: dict[str, list[dict[str, Any]]]  # head lemma -> verb+object cues
    unnamed_skip_words: frozenset[str] = frozenset()  # sources too vague to keep unresolved
    unnamed_skip_cue_types: frozenset[str] = frozenset()
    colon_sources: dict[str, Any] = field(default_factory=dict)  # "NAME: words" turns


@cache
def load_cues(extra_files: tuple[str, ...] = ()) -> CueLexicon:
    """Read the cue lexicon (and users' additions) once per process."""
    data = load_lexicon("attribution_cues", extra_files)
    phrases = data.get("phrases") or {}
    object_phrases: dict[str, list[dict[str, Any]]] = {}
    for entry in phrases.values():
        if entry.get("object"):
            object_phrases.setdefault(entry["head"], []).append(entry)
    unnamed = data.get("unnamed_sources") or {}
    return CueLexicon(
        verbs=data.get("verbs") or {}, nouns=data.get("nouns") or {},
        phrases=phrases, passive=data.get("passive_reporting") or {},
        adverbs=data.get("adverbs") or {}, object_phrases=object_phrases,
        unnamed_skip_words=frozenset(w.lower() for w in unnamed.get("skip_words") or ()),
        unnamed_skip_cue_types=frozenset(unnamed.get("skip_cue_types") or ()),
        colon_sources=data.get("colon_sources") or {},
    )


@dataclass(eq=False)
class Attribution:
    """One speaker-cue-content triple found in the text."""

    cue: Token  # the head word of the cue
    cue_text: str
    cue_type: str
    content_start: int  # character offsets of the content
    content_end: int
    speaker: Mention | None
    speaker_text: str | None
    direct: bool
    negates: bool = False
    span_start: int = 0  # the whole construction: speaker, cue and content
    span_end: int = 0
    parent: Attribution | None = None
    speaker_token: Token | None = None
    via_quote: bool = False  # a cue-less quotation attributed from context
    extra_end: int | None = None  # a continued quotation paragraph extends the content

    @property
    def actor(self) -> str | None:
        return self.speaker.actor if self.speaker else None

    def chain(self) -> list[str]:
        """Actor ids of the attributions this one is reported through, outermost first."""
        out: list[str] = []
        node = self.parent
        while node is not None:
            if node.actor and node.actor not in out:
                out.insert(0, node.actor)
            node = node.parent
        return out

    def descends_from(self, other: Attribution) -> bool:
        """Whether ``other`` is this attribution or one it is reported through."""
        node: Attribution | None = self
        while node is not None:
            if node is other:
                return True
            node = node.parent
        return False

    def contains(self, start: int, end: int) -> bool:
        return self.content_start <= start and end <= (self.extra_end or self.content_end)


# -- finding attributions ------------------------------------------------------------------


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once: spaCy rebuilds the string from its tokens on every access,
    which made per-token look-ups quadratic in the article's length."""
    text = doc.user_data.get("rashomon.text")
    if text is None:
        text = doc.user_data["rashomon.text"] = doc.text
    return text


def find_attributions(doc: Doc, resolution: Resolution,
                      cues: CueLexicon | None = None) -> list[Attribution]:
    """All attributions in ``doc``, nested; cached on the Doc for the later stage."""
    cached = doc.user_data.get("rashomon.attributions")
    if cached is not None:
        return cached
    finder = _Finder(doc, resolution, cues or load_cues())
    found = finder.run()
    doc.user_data["rashomon.attributions"] = found
    return found


class _Finder:
    def __init__(self, doc: Doc, resolution: Resolution, cues: CueLexicon) -> None:
        self.doc, self.resolution, self.cues = doc, resolution, cues
        self.text = doc_text(doc)
        self.found: list[Attribution] = []

    def run(self) -> list[Attribution]:
        for sent in self.doc.sents:
            for tok in sent:
                self._verb_cue(tok)
                self._object_phrase(tok)
                self._according_to(tok)
                self._statement_read(tok)
        self._colon_turns()
        self._quotations()
        self.found.sort(key=lambda a: (a.span_start, a.cue.i))
        self._nest()
        return self.found

    # -- speakers --------------------------------------------------------------------------

    def actor_of(self, tok: Token) -> Mention | None:
        """The actor a noun phrase headed by ``tok`` names, if any."""
        return noun_phrase_actor(tok, self.resolution, member_preps=True)

    def _speaker(self, tok: Token | None) -> tuple[Mention | None, str | None]:
        if tok is None:
            return None, None
        mention = self.actor_of(tok)
        text = _np_text(tok)
        if mention is None:
            mention = self._mention_within(tok, text)
        if mention is None and tok.lemma_.lower() in self.cues.nouns:
            mention = self._earlier_speaker(tok)
        return mention, text

    def _mention_within(self, tok: Token, text: str) -> Mention | None:
        """The first actor named inside the speaker's noun phrase ("the April 1 New York Times")."""
        start = tok.left_edge.idx
        end = start + len(text)
        return next((m for m in self.resolution.mentions if start <= m.start and m.end <= end),
                    None)

    def _earlier_speaker(self, tok: Token) -> Mention | None:
        """"The source fears ..." refers back to the last speaker headed by the same noun."""
        for att in reversed(self.found):
            said_by = att.speaker_token
            if att.speaker is None or said_by is None or att.span_start >= tok.idx:
                continue
            if said_by.lemma_.lower() == tok.lemma_.lower():
                return att.speaker
        return None

    # -- verb cues -------------------------------------------------------------------------

    def _verb_cue(self, tok: Token) -> None:
        lemma = tok.lemma_.lower()
        if tok.pos_ not in ("VERB", "AUX") or lemma not in self.cues.verbs | self.cues.passive:
            return
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)
        if passive and lemma in self.cues.passive:
            self._passive_cue(tok, self.cues.passive[lemma])
            return
        entry = self.cues.verbs.get(lemma)
        if entry is None or passive or tok.dep_ in ("amod", "compound"):
            return  # "the declared objective" describes, it attributes nothing
        takes = entry.get("takes") or []
        content = self._content(tok, takes)
        if content is None and tok.dep_ == "parataxis":
            # "“...”, he said": the quotation is the head the cue hangs from.
            content = _subtree_without(tok.head, tok)
        speech = "parataxis" in takes or "quote" in takes  # a verb of direct speech
        subject = _subject(tok)
        if subject is None and speech and tok.dep_ == "advcl" \
                and tok.tag_ == "VBG":
            # "X defended the plan, saying ...": a speech participle shares the subject of
            # the clause it hangs from. Only speech verbs: "..., assuming ..." or "...,
            # later accusing ..." are conditions and sequels more often than reports.
            subject = _subject(tok.head)
        if content is None and speech:
            content = self._adjacent_quote(tok, subject)
        if content is None:
            return
        if subject is not None and any(c.dep_ == "case" for c in subject.children):
            return  # "the group's declared objective is ...": a possessor misread as a subject
        speaker, speaker_text = self._speaker(subject)
        if speaker is None and subject is not None and subject.lemma_.lower() in self.cues.nouns:
            speaker = _modifier_actor(subject, self.resolution)
        self._add(tok, tok.text, entry, content, speaker, speaker_text, subject)

    def _passive_cue(self, tok: Token, entry: dict[str, Any]) -> None:
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        by_obj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
        if by_obj is None:
            return  # an unattributed frame ("X is said to ...") names no speaker
        subject = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        parts = [t for t in (subject, *as_predicate(tok)) if t is not None]
        if not parts:
            return
        start = min(t.left_edge.idx for t in parts)
        end = max(_end(t.right_edge) for t in parts)
        speaker, speaker_text = self._speaker(by_obj)
        self._add(tok, tok.text, entry, (start, end), speaker, speaker_text, by_obj)

    def _content(self, tok: Token, takes: list[str]) -> tuple[int, int] | None:
        # The parser runs sentences on across paragraph breaks ("... I said.”\n\nDespite
        # ..., Cruz said if ..."): a complement in another paragraph is not this cue's.
        para_start, para_end = paragraph_bounds(self.text, tok.idx)
        for slot in takes:
            if slot in ("ccomp", "parataxis", "xcomp"):
                child = next((c for c in tok.children if c.dep_ == slot
                              and para_start <= c.idx < para_end), None)
                if child is not None and (slot != "xcomp" or _has_verb(child)):
                    return _span(child)
            elif slot == "dobj":
                # Only a proposition-like object is content ("denied the report"); "welcomed
                # the group" or "dismissed 1300 soldiers" is an act on someone.
                child = next((c for c in tok.children if c.dep_ == "dobj"), None)
                if child is not None and child.lemma_.lower() in self.cues.nouns:
                    return _span(child)
            elif slot == "as_pred":
                preds = as_predicate(tok)
                obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
                # "a group called X", "what Y has called X" name something, they say
                # nothing about anyone: a characterisation has its object in place
                if preds and obj is not None and obj.tag_ not in ("WP", "WDT"):
                    parts = [obj, *preds]
                    return (min(t.left_edge.idx for t in parts),
                            max(_end(t.right_edge) for t in parts))
            elif slot.endswith("_pobj"):
                prep = slot[:-5]
                for c in tok.children:
                    if c.dep_ == "prep" and c.lower_ == prep:
                        obj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
                        if obj is not None:
                            return _span(obj)
        return None

    def _adjacent_quote(self, tok: Token, subject: Token | None) -> tuple[int, int] | None:
        """The quotation a speech verb frames when the parse gives it no complement.

        The parser often hangs a quotation off the speaker's name or splits it from its
        cue; the punctuation is more reliable: a quotation that closes right before the
        speaker and cue ("“...,” Ramos, 58, told AFP") or opens right after the cue and its
        addressee ("Silverman responded, “...”", "he told reporters: “...”").
        """
        doc, text = self.doc, self.text
        para_start, para_end = paragraph_bounds(text, tok.idx)
        left = tok.i
        if subject is not None and subject.i < tok.i:
            # the name's own words only: a misparse may hang the quotation off the name
            clauses = [c for c in subject.children if c.dep_ in ("ccomp", "parataxis", "punct")]
            left = min(left, *(t.i for t in subject.subtree
                               if not any(t in c.subtree for c in clauses)))
        i = left - 1
        while i >= 0 and doc[i].text in (",", ":"):
            i -= 1
        if i >= 0 and doc[i].text in _OPENER_OF and doc[i].idx > para_start:
            close = doc[i].idx
            start = text.rfind(_OPENER_OF[doc[i].text], para_start, close)
            if start >= 0:
                return start + len(_OPENER_OF[doc[i].text]), close
        addressee = [c for c in tok.children if c.dep_ in ("dobj", "dative") and c.i > tok.i]
        j = max([tok.i] + [c.right_edge.i for c in addressee]) + 1
        while j < len(doc) and doc[j].text in (",", ":"):
            j += 1
        if j < len(doc) and doc[j].text in _CLOSER_OF and doc[j].idx < para_end:
            start = doc[j].idx + len(doc[j].text)
            close = text.find(_CLOSER_OF[doc[j].text], start, para_end)
            return start, para_end if close < 0 else close
        return None

    # -- phrase cues -----------------------------------------------------------------------

    def _according_to(self, tok: Token) -> None:
        if tok.lower_ != "according":
            return
        to = next((c for c in tok.children if c.lower_ == "to"), None)
        obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
        entry = self.cues.phrases.get("according to")
        if obj is None or entry is None:
            return
        clause = _clause_head(tok)
        start, end = _subtree_without(clause, tok)
        speaker, speaker_text = self._speaker(obj)
        self._add(tok, "according to", entry, (start, end), speaker, speaker_text, obj)

    def _object_phrase(self, tok: Token) -> None:
        """A verb and its object as one cue: "X took responsibility for the attack"."""
        if tok.pos_ != "VERB":
            return
        for entry in self.cues.object_phrases.get(tok.lemma_.lower(), ()):
            obj = next((c for c in tok.children if c.dep_ == "dobj"
                        and c.lemma_.lower() == entry["object"]), None)
            if obj is None:
                continue
            prep = entry["content"].removesuffix("_pobj")
            content = next((g for c in (*tok.children, *obj.children)
                            if c.dep_ == "prep" and c.lower_ == prep
                            for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if content is None:
                continue
            subject = _subject(tok)
            speaker, speaker_text = self._speaker(subject)
            self._add(tok, f"{tok.text} {obj.text}", entry, _span(content), speaker,
                      speaker_text, subject)
            return

    def _statement_read(self, tok: Token) -> None:
        """"X's statement read ..." / "a statement read on TV said": the noun's owner speaks."""
        entry = self.cues.phrases.get("statement read")
        if entry is None or tok.lemma_.lower() != entry.get("head", "read"):
            return
        subject = _subject(tok)
        if subject is None or subject.lemma_.lower() not in self.cues.nouns:
            return
        content = self._content(tok, ["ccomp", "parataxis"])
        if content is None:
            return
        speaker = _modifier_actor(subject, self.resolution)
        self._add(tok, f"{subject.text} {tok.text}", entry, content, speaker,
                  _np_text(subject), subject)

    # -- colon turns ----------------------------------------------------------------------

    def _colon_turns(self) -> None:
        """A paragraph opening with a name and a colon gives that name's words: interview
        transcripts ("SMITH: We will ...") and headline quotes ("Jones: Deal is dead")."""
        rules = self.cues.colon_sources
        skip = {w.lower() for w in rules.get("skip") or ()}
        max_words = int(rules.get("max_words", 0))
        for line in _LABEL_LINE.finditer(self.text):
            label = self.doc.char_span(line.start(1), line.end(1), alignment_mode="contract")
            colon = self.doc.char_span(line.end(1), line.end(1) + 1)
            if label is None or colon is None or not 0 < len(label) <= max_words:
                continue
            root = label.root
            if root.pos_ not in ("PROPN", "NOUN") or not label.text[0].isupper() \
                    or any(t.pos_ in ("VERB", "AUX") for t in label) \
                    or label.text.lower() in skip or root.lemma_.lower() in skip:
                continue  # "Update: ...", "Asked whether ...: ...": a heading, not a speaker
            _, end = paragraph_bounds(self.text, line.start(2))
            speaker = self.actor_of(root) or self._mention_within(root, label.text)
            self._add(colon[0], ":", {"cue_type": "assert"}, (line.start(2), end), speaker,
                      label.text, root)
            self.found[-1].span_start = label.start_char  # the label is the whole source

    # -- cue-less quotations ---------------------------------------------------------------

    def _quotations(self) -> None:
        """Quotation paragraphs: continue an open quote, or quote the last speaker. A
        paragraph may open inside a parser sentence ("... “not innocent at all.”\n\n“Rather,
        it ...”"), so paragraphs are found from the text, not from sentence starts."""
        for first in self.doc:
            if first.text not in _QUOTES_OPEN or not _starts_paragraph(first):
                continue
            end = _paragraph_end(self.doc, first.i)
            close = _closing_quote(self.text, first.idx, end)
            if any(first.idx <= a.cue.idx < end and not a.via_quote
                   and not first.idx < a.cue.idx < close
                   and a.content_start < close and first.idx < a.content_end
                   for a in self.found):
                continue  # the paragraph names its own speaker ("“...,” he said")
            if any(a.content_start <= first.idx + 1 < a.content_end for a in self.found):
                continue  # a cue ending in a colon already took it ("He said:\n\n“...”")
            prior = _previous_paragraph(self.text, first.idx)
            continued = [a for a in self.found if a.speaker is not None
                         and a.span_start < first.idx
                         and (a.extra_end or a.content_end) >= first.idx - len(prior) - 4]
            previous = continued[-1] if continued else self._attribution_before(first)
            if previous is None:
                continue
            if _quote_left_open(prior):
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

    # -- assembly --------------------------------------------------------------------------

    def _add(self, cue: Token, cue_text: str, entry: dict[str, Any], content: tuple[int, int],
             speaker: Mention | None, speaker_text: str | None, speaker_tok: Token | None) -> None:
        start, end = content
        text = self.text
        para_start, para_end = paragraph_bounds(text, cue.idx)
        start, end = max(start, para_start), min(end, para_end)
        while start < end and text[start] in " ,:;\"“”‘'\n":
            start += 1
        while end > start and text[end - 1] in " ,;\"“”’\n":
            end -= 1
        if end <= start:
            return
        pieces = [cue.idx, start]
        ends = [_end(cue), end]
        if speaker_tok is not None:
            pieces.append(speaker_tok.left_edge.idx)
            ends.append(_end(speaker_tok.right_edge))
        self.found.append(Attribution(
            cue=cue, cue_text=cue_text, cue_type=entry.get("cue_type", "assert"),
            content_start=start, content_end=end, speaker=speaker, speaker_text=speaker_text,
            direct=_quoted(text, start, end), negates=bool(entry.get("negates")),
            span_start=min(pieces), span_end=max(ends), speaker_token=speaker_tok))

    def _nest(self) -> None:
        for att in self.found:
            outer = [o for o in self.found if o is not att and not o.via_quote
                     and o.contains(att.cue.idx, _end(att.cue))
                     and not (att.via_quote and o is att.parent)]
            # Two attributions can each hold the other's cue when the parse gives them
            # overlapping contents ("“...,” he said, adding ..."); a parent that already
            # descends from ``att`` would make the chain a cycle, so the next smallest wins.
            for o in sorted(outer, key=lambda o: o.content_end - o.content_start):
                if not o.descends_from(att):
                    att.parent = o
                    break


# -- claims ---------------------------------------------------------------------------------


def extract_claims(doc: Doc, document_id: str, resolution: Resolution,
                   cues: CueLexicon | None = None) -> list[Claim]:
    """One Claim per attribution with a speaker or a cue worth keeping."""
    claims: list[Claim] = []
    mentions = resolution.mentions
    text = doc_text(doc)
    for att in find_attributions(doc, resolution, cues):
        if att.speaker is None and not keeps_unnamed_source(att, cues or load_cues()):
            continue  # a claim nobody can be named for says nothing about who says what
        end = att.extra_end or att.content_end
        about = []
        for m in mentions:
            if att.content_start <= m.start and m.end <= end and m.actor not in about \
                    and m.actor != att.actor:
                about.append(m.actor)
        sentence = att.cue.sent.text
        claims.append(Claim(
            id=f"{document_id}:c{len(claims) + 1}", document=document_id,
            start=att.span_start, end=max(att.span_end, end), sentence=sentence,
            speaker=att.actor, cue=att.cue_text, content=text[att.content_start:end],
            speaker_text=att.speaker_text, cue_type=att.cue_type, direct=att.direct,
            reported_by=att.chain(), about=about,
            content_start=att.content_start, content_end=end))
    return claims


def keeps_unnamed_source(att: Attribution, cues: CueLexicon) -> bool:
    """Whether an attribution whose source no actor stands for is still a claim.

    News quotes many people and bodies no knowledge base lists ("Garin added", "a campaign
    spokesman said", "he said" with no named antecedent): the source phrase still says who
    speaks. Kept unless its head is a word that names no one in particular ("I think",
    "you know", "people say": asides inside quotations, see ``unnamed_sources``) or the cue
    is a mere mental state, which news attributes far less often than speech.
    """
    tok = att.speaker_token
    if tok is None or tok.pos_ not in ("NOUN", "PROPN", "PRON"):
        return False
    if tok.lower_ in cues.unnamed_skip_words or tok.lemma_.lower() in cues.unnamed_skip_words:
        return False
    return att.cue_type not in cues.unnamed_skip_cue_types


# -- parse helpers shared with the events stage ---------------------------------------------


def noun_phrase_actor(tok: Token, resolution: Resolution,
                      member_preps: bool = False) -> Mention | None:
    """The actor named by the noun phrase headed by ``tok``.

    The head's own mention first ("Iran", "US troops"), then its modifiers nearest the
    head first ("Iran's consulate", "the Iranian consulate", "US-backed Iraqi troops" ->
    Iraq), then, for generic heads, the body they belong to ("a group of Iranian
    patriots", "sources in the Resistance Axis" when ``member_preps``).
    """
    own = resolution.mention_at(tok.idx, _end(tok))
    if own is not None and hyphenated(doc_text(tok.doc), own):
        own = None  # "anti-American leaders" are not American
    if own is not None and own.rule != "group":
        return own
    named = _appositive_actor(tok, resolution)
    if named is not None:
        return named  # "America's top ally Saudi Arabia" is Saudi Arabia, not America
    if own is not None:  # "Mahdi Army fighters": the named body, not the generic noun
        return _modifier_actor(tok, resolution) or own
    if tok.pos_ not in ("NOUN", "PROPN", "PRON", "NUM", "ADJ"):
        return None
    modifier = _modifier_actor(tok, resolution)
    if modifier is not None and not (tok.ent_type_ and modifier.start >= _entity_start(tok)):
        return modifier  # but "France" inside "Agence France Presse" names nobody here
    for child in tok.children:  # "a group called X", "a militia known as X"
        if child.dep_ == "acl":
            named = next((g for g in child.subtree if g.dep_ in ("oprd", "pobj")
                          and g.head.lower_ in ("as", child.lower_)), None)
            found = resolution.mention_at(named.idx, _end(named)) if named is not None else None
            if found is not None:
                return found
    preps = _MEMBER_PREPS if member_preps else {"of"}
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            obj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if obj is not None:
                found = (resolution.mention_at(obj.idx, _end(obj))
                         or _modifier_actor(obj, resolution))
                if found is not None:
                    return found
    return None


def _appositive_actor(tok: Token, resolution: Resolution) -> Mention | None:
    """The actor an appositive name gives a generic head ("its ally, Saudi Arabia")."""
    for child in tok.children:
        if child.dep_ == "appos" and child.i > tok.i:
            found = resolution.mention_at(child.idx, _end(child))
            if found is not None and found.rule != "group":
                return found
    return None


def _modifier_actor(tok: Token, resolution: Resolution) -> Mention | None:
    mods = [c for c in tok.children if c.dep_ in ("poss", "compound", "amod", "nmod", "nummod")
            and c.i < tok.i]
    for child in sorted(mods, key=lambda c: -c.i):
        for t in sorted(child.subtree, key=lambda t: -t.i):
            found = resolution.mention_at(t.idx, _end(t))
            if found is not None and not hyphenated(doc_text(tok.doc), found):
                return found
    return None


def hyphenated(text: str, m: Mention) -> bool:
    """A name glued into a hyphenated modifier ("anti-Iranian", "US-backed", "pro-Iran")
    states an attitude or a patron, not who the modified noun is."""
    return text[m.start - 1:m.start] == "-" or text[m.end:m.end + 1] == "-"


def _entity_start(tok: Token) -> int:
    i = tok.i
    while i > 0 and tok.doc[i].ent_iob_ == "I":
        i -= 1
    return tok.doc[i].idx


def _subject(tok: Token) -> Token | None:
    """The subject of a verb, borrowed from the verb it is coordinated with if it has none."""
    node = tok
    for _ in range(4):
        subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
        if subjects:
            # "the fact that the terrorists, a group called X, took ...": the parser gives
            # several subjects; the one naming someone speaks
            subject = max(subjects, key=lambda c: (names_someone(c), -c.i))
            if subject.tag_ in ("WP", "WDT") and node.dep_ == "relcl":
                return node.head  # "Smith, who said ...": the relative's antecedent speaks
            return subject
        if node.dep_ in ("conj", "xcomp", "pcomp", "acomp") and node.head != node:
            node = node.head
            if node.pos_ == "ADP":  # "candid in telling me" -> the subject of "were candid"
                node = node.head
            continue
        if node.dep_ in ("relcl", "acl") and node.head != node:
            return node.head
        return None
    return None


def as_predicate(tok: Token) -> list[Token]:
    """The predicate of "X as Y" (prep "as" with its object, or a clause "as aimed at ...")
    or a secondary predicate."""
    out = []
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "as":
            out.append(c)
        elif c.dep_ in ("oprd", "acomp"):
            out.append(c)
        elif c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "as" for m in c.children):
            out.append(c)
    return out


def names_someone(tok: Token) -> bool:
    """Whether a phrase contains a name of a person, organisation, place or people."""
    return any(t.ent_type_ in ("ORG", "PERSON", "GPE", "NORP") for t in tok.subtree)


def _has_verb(tok: Token) -> bool:
    return any(t.pos_ in ("VERB", "AUX") for t in tok.subtree)


def _clause_head(tok: Token) -> Token:
    node = tok
    while node.dep_ not in ("ROOT", "ccomp", "conj", "advcl", "parataxis") and node.head != node:
        node = node.head
    return node


def _subtree_without(head: Token, cut: Token) -> tuple[int, int]:
    """The character span of ``head``'s subtree with ``cut``'s subtree trimmed off its edge."""
    tokens = [t for t in head.subtree if not (cut.left_edge.i <= t.i <= cut.right_edge.i)
              and not t.is_punct]
    if not tokens:
        return head.idx, _end(head)
    # keep the larger contiguous side of the cut
    left = [t for t in tokens if t.i < cut.left_edge.i]
    right = [t for t in tokens if t.i > cut.right_edge.i]
    side = left if len(left) >= len(right) else right
    return side[0].idx, _end(side[-1])


def _span(tok: Token) -> tuple[int, int]:
    """A complement's span, without the "that" introducing it."""
    first = tok.left_edge
    while first.dep_ == "mark" and first.lower_ == "that" and first.i < tok.right_edge.i:
        first = tok.doc[first.i + 1]
    return first.idx, _end(tok.right_edge)


def _end(tok: Token) -> int:
    return tok.idx + len(tok.text)


def _np_text(tok: Token) -> str:
    """The noun phrase of ``tok`` without clauses hanging off it."""
    cut = {c.i for c in tok.children if c.dep_ in ("relcl", "acl", "appos", "punct", "prep")
           and c.i > tok.i or c.dep_ in ("ccomp", "parataxis")}  # a quote misparsed onto it
    doc = tok.doc
    tokens = [t for t in tok.subtree
              if not any(doc[c].left_edge.i <= t.i <= doc[c].right_edge.i for c in cut)]
    while len(tokens) > 1 and tokens[0].is_punct:
        tokens.pop(0)
    return tok.doc[tokens[0].i:tokens[-1].i + 1].text if tokens else tok.text


def _quoted(text: str, start: int, end: int) -> bool:
    """Content is verbatim when it sits inside quotation marks."""
    before = text[max(0, start - 3):start]
    return any(q in before for q in _QUOTES_OPEN) or any(
        q in text[start:start + 2] for q in _QUOTES_OPEN) and any(
        q in text[max(start, end - 2):end + 3] for q in _QUOTES_CLOSE)


def _starts_paragraph(tok: Token) -> bool:
    text = doc_text(tok.doc)
    return tok.i == 0 or "\n" in text[max(0, tok.idx - 3):tok.idx] or \
        text[:tok.idx].rstrip(" ").endswith("\n")


def _previous_paragraph(text: str, start: int) -> str:
    before = text[:start].rstrip()
    return before[before.rfind("\n") + 1:]


def _closing_quote(text: str, start: int, end: int) -> int:
    """Where the quotation opened at ``start`` closes, else the paragraph end."""
    positions = [p for p in (text.find(q, start + 1, end) for q in ("”", '"')) if p >= 0]
    return min(positions) if positions else end


def _quote_left_open(chunk: str) -> bool:
    """A paragraph that opens more quotes than it closes (straight quotes alternate): by
    convention its quotation continues in the next paragraph, which reopens the quote."""
    curly_open, curly_close = chunk.count("“"), chunk.count("”")
    straight = chunk.count('"')
    return curly_open > curly_close or (curly_open == curly_close == 0 and straight % 2 == 1)


def paragraph_bounds(text: str, at: int) -> tuple[int, int]:
    """The paragraph (line) around character ``at``; a paragraph that ends with a colon
    runs on into the next one, whose quotation it introduces ("He said:\n\n“...”")."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    while end >= 0 and text[:end].rstrip().endswith(":"):
        nxt = text[end:].lstrip()
        end = text.find("\n", len(text) - len(nxt)) if nxt else -1
    return start, len(text) if end < 0 else end


def _paragraph_end(doc: Doc, i: int) -> int:
    text = doc_text(doc)
    start = doc[i].idx
    nl = text.find("\n", start)
    return len(text.rstrip()) if nl < 0 else len(text[:nl].rstrip())
