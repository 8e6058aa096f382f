"""The rules: attributions read off the parse with the cue lexicon.

* a cue verb with its complement ("X said that ...", "X described Y as Z", "..., he said");
* a passive reporting frame ("Y is considered by X as Z");
* a cue phrase ("according to X", "X's statement read ...");
* a cue noun as subject of a speech verb ("an interior ministry statement said ...": the
  speaker is the noun's modifier);
* a quotation paragraph with no cue of its own, attributed to the speaker of the
  attribution just before it; a paragraph that opens a quote the previous paragraph
  never closed continues that quotation instead;
* a quotation beside a speech verb the parse left without a complement ("“...,” Karimi,
  61, told the BBC"), and a paragraph opening "NAME: ..." (transcript turns, headlines).
"""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Doc, Token

from ..actors import Resolution
from ..actors.mention_index import MentionIndex
from ..types import Mention
from .chains import Attribution, nest
from .content import (
    CLOSER_OF,
    OPENER_OF,
    QUOTES_OPEN,
    clause_head,
    clause_span,
    closing_quote,
    doc_text,
    end_of,
    has_verb,
    in_quotation,
    paragraph_bounds,
    paragraph_end,
    previous_paragraph,
    quote_left_open,
    quoted,
    starts_paragraph,
    subtree_without,
)
from .cues import CueLexicon
from .model import features, is_candidate, load_scorer
from .roles import (
    content_slots,
    load_content_scorer,
    load_source_scorer,
    slot_features,
    source_features,
    source_slots,
)
from .sources import (
    as_predicate,
    issuer,
    modifier_actor,
    noun_phrase_actor,
    np_text,
    subject_of,
)

# A paragraph that opens with a short label and a colon: "TAPPER: Do you ...".
_LABEL_LINE = re.compile(r"^[ \t]*([^:\n]{1,80}?):[ \t]+(\S)", re.MULTILINE)
# How far back (sentences) a cue-less quotation looks for its speaker. Chosen, not
# calibrated: a quotation paragraph follows the sentence introducing its speaker.
QUOTE_SPEAKER_WINDOW = 2
# A paragraph that is a quotation credited after a dash: "“We will stay.” ― Jane Roe".
_CREDITED_QUOTE = re.compile(r"^[ \t]*([“\"])(?P<content>[^\n]+?)[”\"][ \t]*(?P<dash>[―—–]|--?)"
                             r"[ \t]*(?P<label>[^\n]{1,80}?)[ \t.]*$", re.MULTILINE)
# A wire dateline opening a paragraph: "BAGHDAD —", "BASRA, Iraq (Reuters) -".
_DATELINE = re.compile(r"^[ \t]*[A-Z][A-Z .'-]+(?:, [A-Za-z .]+)?(?: \([^)]{1,40}\))?"
                       r"[ \t]*[—–-]+[ \t]")
# Transliteration prefixes a surname drops or keeps ("al-Dabbagh", "Dabbagh").
_NAME_PREFIX = re.compile(r"^(?:al|el|as|ash|ad|an|ar|at|az)[-‑]", re.IGNORECASE)
# Above this probability a learned cue may take an object or a prepositional object as
# content; below it only a clause or a quotation (an object is far more often an act's).
STRONG_CUE = 0.7
# Below these cue probabilities a rule (lexicon) verb cue is dropped: one whose speaker no
# actor stands for (VETO), or any other (VETO_NAMED: "Iran should understand that ...",
# "we would know exactly what ...", "they checked ... and found": a lexicon verb used of a
# state of knowledge or an act, not of anyone's claim). Calibrated together on PolNeAR dev
# and the 26 development articles (claims stage rerun on cached parses): 0.2 / 0 (none)
# gave PolNeAR overlap F1 69.1, claims F1 of all 26 77.9; 0.3 / 0.05 69.6 / 78.1; 0.3 /
# 0.1 69.7 / 77.8 (a reference article's claim lost).
VETO = 0.3
VETO_NAMED = 0.05
# A learned cue's object, infinitive or prepositional object is its content above this
# pair probability (the content scorer's own threshold, 0.35, holds for a clause or a
# quotation). PolNeAR counts plans and acts on objects as attributions far more readily
# than news readers take them for claims ("ordered the offensive"). Calibrated on the 26
# development articles (models/attribution_content.md): with "it"/"they" sources kept, 0.8
# kept the pooled claims precision over tests/test_shared_corpus.py's floor (0.755; 0.729
# at 0.7) and gave the best pooled claims F1 (0.779; 0.777 at 0.9, 0.768 at 0.7). With the
# named veto above (fewer wrong rule claims), 0.75 keeps that precision (0.756; 0.732 at
# 0.7) and gives pooled claims F1 0.782 (0.781 at 0.8, 0.770 at 0.7) and PolNeAR overlap
# F1 70.0 (69.5 at 0.8, 70.4 at 0.7). A separate threshold for infinitives (higher, or
# none) gave PolNeAR no more than 69.6 within the floor.
OBJECT_SLOT = 0.75
# 0.5 (PolNeAR's best) for infinitives alone still gave 0.733: the 26 articles'
# infinitives after learned cues ("refused to", "asked X to") scored 0.32-0.92 with no
# threshold between right and wrong ones.
_CLAUSAL_SLOTS = ("ccomp", "parataxis", "head")
_OBJECT_PREPS = ("about_pobj", "of_pobj", "on_pobj", "against_pobj", "for_pobj")
# Cue types of private states: their participle ("..., assuming ...", "..., expecting
# ...") is a condition or a reason, not something the clause's subject said.
_PRIVATE_CUES = {"believe", "fear", "hope", "predict"}


class Finder:
    def __init__(self, doc: Doc, resolution: Resolution, cues: CueLexicon) -> None:
        self.doc, self.resolution, self.cues = doc, resolution, cues
        self.text = doc_text(doc)
        self.found: list[Attribution] = []
        self._namesakes: tuple[MentionIndex, dict[str, list[Mention]]] | None = None

    def run(self) -> list[Attribution]:
        for sent in self.doc.sents:
            for tok in sent:
                self._verb_cue(tok)
                self._object_phrase(tok)
                self._according_to(tok)
                self._statement_read(tok)
                self._noun_cue(tok)
        self._learned_cues()
        self._colon_turns()
        self._credited_quotations()
        self._quotations()
        self.found.sort(key=lambda a: (a.span_start, a.cue.i))
        nest(self.found)
        return self.found

    # -- speakers --------------------------------------------------------------------------

    def actor_of(self, tok: Token) -> Mention | None:
        """The actor a noun phrase headed by ``tok`` names, if any."""
        return noun_phrase_actor(tok, self.resolution, member_preps=True)

    def _learned_speaker(self, source: Token | None
                         ) -> tuple[Mention | None, str | None] | None:
        """Who a learned cue's source stands for, or None when it cannot speak: a possessor
        ("Iran's") or a common noun or pronoun no actor stands for ("this coalition
        demonstrates that ...")."""
        if source is None or any(c.dep_ == "case" for c in source.children):
            return None
        speaker, speaker_text = self._speaker(source)
        if speaker is None and source.pos_ != "PROPN" and not (
                source.lower_ in self.cues.unnamed_quoted_words and source.dep_ == "nsubj"
                and not in_quotation(source)):
            return None  # "they", "it" outside a quotation stand for someone named before
        return speaker, speaker_text

    def _speaker(self, tok: Token | None) -> tuple[Mention | None, str | None]:
        if tok is None:
            return None, None
        mention = self.actor_of(tok)
        text = np_text(tok)
        if mention is None:
            mention = self._mention_within(tok, text)
        if mention is None:
            # "The ministry and its allies said": the first conjunct an actor stands for
            mention = next((m for c in tok.conjuncts if (m := self.actor_of(c)) is not None),
                           None)
        if mention is None and (tok.pos_ == "PROPN" or any(
                c.dep_ == "det" and c.lower_ in ("the", "this") for c in tok.children)):
            mention = self._namesake(tok)
        if mention is None and tok.lower_ in ("he", "she"):
            mention = self._last_person_speaker(tok)
        if mention is None and tok.lemma_.lower() in self.cues.nouns:
            owner = issuer(tok)
            if owner is not None:
                found, owner_text = self._speaker(owner)
                if found is not None:
                    return found, owner_text
            mention = self._earlier_speaker(tok) or self._earlier_issuer(tok)
        return mention, text

    def _subject(self, cue: Token) -> Token | None:
        """The cue's subject, unless the parse took a dateline or a line of another
        paragraph for it ("BAGHDAD — The cleric said", "By X\n\nParis (AFP) - Y said"):
        then the head of the first actor named between the dateline and the cue."""
        subject = subject_of(cue)
        if subject is None:
            return None
        para_start, _ = paragraph_bounds(self.text, cue.idx)
        if subject.idx >= para_start and not _DATELINE.match(
                self.text[subject.left_edge.idx:subject.right_edge.idx + 12]):
            return subject
        line = self.text[para_start:cue.idx]
        dateline = _DATELINE.match(line)
        start = para_start + (dateline.end() if dateline else 0)
        named = next(iter(self.resolution.mentions_within(start, cue.idx)), None)
        if named is None:
            return None
        span = self.doc.char_span(named.start, named.end, alignment_mode="expand")
        return span.root if span is not None else None

    def _namesake(self, tok: Token) -> Mention | None:
        """A bare surname or a definite description the resolver left alone stands for the
        last actor named in full before it with that last word: "Dabbagh" for "Ali
        al-Dabbagh", "the command" for "the Joint Operations Command"."""
        for m in reversed(self._names_by_last_word().get(_bare(tok.text), ())):
            if m.end <= tok.idx and m.rule != "group":
                return m
        return None

    def _names_by_last_word(self) -> dict[str, list[Mention]]:
        """Mentions of more than one word by their bare last word, in list order (built
        once: a scan of every mention per bare word was quadratic in long texts)."""
        index = self.resolution.indexed()
        if self._namesakes is None or self._namesakes[0] is not index:
            by_word: dict[str, list[Mention]] = {}
            for m in self.resolution.mentions:
                words = m.text.split()
                if len(words) > 1:
                    by_word.setdefault(_bare(words[-1]), []).append(m)
            self._namesakes = (index, by_word)
        return self._namesakes[1]

    def _last_person_speaker(self, tok: Token) -> Mention | None:
        """"He stressed ..." after "X said ...": the last person who spoke just before."""
        window_start = self.doc[max(tok.sent.start - 1, 0)].sent.start_char
        for att in reversed(self.found):
            if att.speaker is None or not window_start <= att.span_start < tok.idx:
                continue
            actor = self.resolution.actors.get(att.speaker.actor)
            if actor is not None and actor.kind == "person":
                return att.speaker
            return None  # the last speaker is not a person: "he" is someone else
        return None

    def _earlier_issuer(self, tok: Token) -> Mention | None:
        """"The statement said" refers back to the last "X issued a statement"."""
        lemma = tok.lemma_.lower()
        for earlier in reversed(self.doc[:tok.i]):
            if earlier.lemma_.lower() == lemma:
                owner = issuer(earlier)
                found = self.actor_of(owner) if owner is not None else None
                if found is not None:
                    return found
        return None

    def _mention_within(self, tok: Token, text: str) -> Mention | None:
        """The first actor named inside the speaker's noun phrase ("the April 1 New York Times")."""
        start = tok.left_edge.idx
        end = start + len(text)
        return next(iter(self.resolution.mentions_within(start, end)), None)

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
        if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in self.cues.unsaid_heads:
            return  # "declined to say whether ...": the subject said no such thing
        takes = entry.get("takes") or []
        found = self._content_slot(tok, takes)
        content = found[0] if found else None
        if found and found[1] in (entry.get("slot_types") or {}):
            # "called X a Y" describes, "called for X" demands
            entry = {**entry, "cue_type": entry["slot_types"][found[1]]}
        if content is None and tok.dep_ == "parataxis":
            # "“...”, he said": the quotation is the head the cue hangs from.
            content = subtree_without(tok.head, tok)
        speech = "parataxis" in takes or "quote" in takes  # a verb of direct speech
        subject = self._subject(tok)
        if subject is None and tok.dep_ in ("advcl", "conj", "pcomp") and tok.tag_ == "VBG" \
                and (speech or entry.get("cue_type") not in _PRIVATE_CUES):
            # "X defended the plan, saying ...", "..., blaming Y for ...", "despite admitting
            # ...": a participle of speech or of a stance shares the subject of the clause it
            # hangs from; "..., assuming ..." (a belief) is a condition more often.
            head = tok.head.head if tok.dep_ == "pcomp" else tok.head
            subject = subject_of(head)
        if content is None and speech:
            content = self._adjacent_quote(tok, subject)
        if content is None:
            return
        if subject is not None and any(c.dep_ == "case" for c in subject.children):
            return  # "the group's declared objective is ...": a possessor misread as a subject
        speaker, speaker_text = self._speaker(subject)
        self._add(tok, tok.text, entry, content, speaker, speaker_text, subject)

    def _noun_cue(self, tok: Token) -> None:
        """A cue noun with its clause: "Tehran's claim that ...", "X issued a statement
        calling for ...", "the accusation that ..."; the owner of the noun speaks."""
        entry = self.cues.nouns.get(tok.lemma_.lower())
        if entry is None or tok.pos_ != "NOUN":
            return
        clause = next((c for c in tok.children if c.i > tok.i and (
            c.dep_ in ("acl", "ccomp", "appos", "relcl") and any(
                m.dep_ == "mark" and m.lower_ in ("that", "whether") for m in c.children)
            or c.dep_ == "acl" and c.tag_ == "VBG" and c.lemma_.lower() not in self.cues.verbs
        )), None)
        if clause is None and issuer(tok) is not None:
            # "X issued a clarification about Y": what an issued statement is about
            clause = next((g for c in tok.children if c.dep_ == "prep"
                           and c.lower_ in ("about", "on", "regarding", "over")
                           for g in c.children if g.dep_ == "pobj"
                           and g.ent_type_ not in ("DATE", "TIME")), None)
        if clause is None:
            return  # a bare "the statement" says nothing here; its verb or its clause does
        speaker, speaker_text = self._speaker(tok)
        if speaker is None and issuer(tok) is None \
                and not any(c.dep_ == "poss" for c in tok.children):
            return  # "the claim that ...", "little question that ...": nobody in particular
        self._add(tok, tok.text, entry, clause_span(clause), speaker, speaker_text,
                  issuer(tok) or tok)

    def _passive_cue(self, tok: Token, entry: dict[str, Any]) -> None:
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        if agent is None:
            # "hailed as a turning point by X": the parse may hang "by" off the predicate
            agent = next((c for p in as_predicate(tok) for c in p.subtree
                          if c.dep_ == "prep" and c.lower_ == "by"), None)
        by_obj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
        if by_obj is None:
            return  # an unattributed frame ("X is said to ...") names no speaker
        subject = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        parts = [t for t in (subject, *as_predicate(tok)) if t is not None]
        if not parts:
            return
        start = min(t.left_edge.idx for t in parts)
        end = max(end_of(t.right_edge) for t in parts)
        if start < agent.idx < end:
            end = agent.idx  # the agent hung inside the predicate is the speaker, not content
        speaker, speaker_text = self._speaker(by_obj)
        self._add(tok, tok.text, entry, (start, end), speaker, speaker_text, by_obj)

    def _content(self, tok: Token, takes: list[str]) -> tuple[int, int] | None:
        found = self._content_slot(tok, takes)
        return found[0] if found else None

    def _content_slot(self, tok: Token, takes: list[str]) -> tuple[tuple[int, int], str] | None:
        """The content span and the slot (of ``takes``) it was found in."""
        # The parser runs sentences on across paragraph breaks ("... I said.”\n\nDespite
        # ..., Cruz said if ..."): a complement in another paragraph is not this cue's.
        para_start, para_end = paragraph_bounds(self.text, tok.idx)
        for slot in takes:
            if slot in ("ccomp", "parataxis", "xcomp"):
                child = next((c for c in tok.children if c.dep_ == slot
                              and para_start <= c.idx < para_end), None)
                if child is not None and (slot != "xcomp" or has_verb(child)):
                    return clause_span(child), slot
            elif slot == "dobj":
                # Only a proposition-like object is content ("denied the report", "welcomed
                # the decision"); "welcomed the group" or "dismissed 1300 soldiers" is an
                # act on someone: an object that names an actor, or counts, is not content.
                child = next((c for c in tok.children if c.dep_ == "dobj"), None)
                if child is not None and self._says_something(child):
                    return clause_span(child), slot
            elif slot == "as_pred":
                preds = as_predicate(tok)
                obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
                # "a group called X" names something, it says nothing about anyone: a
                # characterisation has its object in place, or is the namer's own term
                # ("what Y called X": Y's word for it is X)
                if preds and obj is not None and obj.tag_ not in ("WP", "WDT"):
                    parts = [obj, *preds]
                    return (min(t.left_edge.idx for t in parts),
                            max(end_of(t.right_edge) for t in parts)), slot
                if preds and obj is not None and obj.lower_ == "what" \
                        and any(c.dep_ == "nsubj" for c in tok.children):
                    return (min(t.left_edge.idx for t in preds),
                            max(end_of(t.right_edge) for t in preds)), slot
            elif slot.endswith("_pobj"):
                prep = slot[:-5]
                # "accused the militia of ...": the parse often hangs the preposition off
                # the object; "called for the army to stop": or makes it a clause's marker
                declared = (self.cues.verbs.get(tok.lemma_.lower()) or {}).get("takes") or ()
                objects = [c for c in tok.children if c.dep_ == "dobj" and slot in declared]
                for c in tok.children:
                    if c.dep_ in ("advcl", "ccomp") and c.i > tok.i and any(
                            m.dep_ == "mark" and m.lower_ == prep for m in c.children):
                        return clause_span(c), slot
                for c in [*tok.children, *(g for o in objects for g in o.children)]:
                    if c.dep_ == "prep" and c.lower_ == prep:
                        obj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
                        if obj is not None:
                            start, end = clause_span(obj)
                            # "called on X to stop ...": the infinitive says what X is to do
                            more = [g for g in tok.children if g.dep_ in ("xcomp", "ccomp")
                                    and g.i > obj.i]
                            if more:
                                end = max(end, end_of(more[0].right_edge))
                            return (start, end), slot
        return None

    def _says_something(self, obj: Token) -> bool:
        """Whether a direct object is a proposition rather than someone or a count."""
        if obj.lemma_.lower() in self.cues.nouns:
            return True
        if obj.pos_ != "NOUN" or obj.ent_type_ or any(c.dep_ == "nummod" for c in obj.children):
            return False
        return self.resolution.mention_at(obj.idx, end_of(obj)) is None

    def _named(self, obj: Token) -> bool:
        """Whether a generic noun is someone an appositive or a naming clause names ("a
        group called X", "the militia, X"); "a report released by X" is not X."""
        return any(c.dep_ == "appos" or c.dep_ == "acl" and not any(
            g.dep_ == "agent" for g in c.children) for c in obj.children
            if any(self.resolution.mention_at(g.idx, end_of(g)) for g in c.subtree))

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
        if i >= 0 and doc[i].text in OPENER_OF and doc[i].idx > para_start:
            close = doc[i].idx
            start = text.rfind(OPENER_OF[doc[i].text], para_start, close)
            if start >= 0:
                return start + len(OPENER_OF[doc[i].text]), close
        addressee = [c for c in tok.children if c.dep_ in ("dobj", "dative") and c.i > tok.i]
        j = max([tok.i] + [c.right_edge.i for c in addressee]) + 1
        while j < len(doc) and doc[j].text in (",", ":"):
            j += 1
        if j < len(doc) and doc[j].text in CLOSER_OF and doc[j].idx < para_end:
            start = doc[j].idx + len(doc[j].text)
            close = text.find(CLOSER_OF[doc[j].text], start, para_end)
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
        clause = clause_head(tok)
        if clause == tok:
            # the parse made "According to X, ..." a sentence of its own, what X says
            # hanging inside it: what follows the first comma after "to" is the content
            comma = next((t for t in tok.sent if t.i > to.i and t.text == ","), None)
            if comma is None:
                return
            words = [t for t in tok.sent if t.i > comma.i and not t.is_punct]
            if not words:
                return
            start, end = words[0].idx, end_of(words[-1])
        else:
            start, end = subtree_without(clause, tok)
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
            subject = self._subject(tok)
            speaker, speaker_text = self._speaker(subject)
            self._add(tok, f"{tok.text} {obj.text}", entry, clause_span(content), speaker,
                      speaker_text, subject)
            return

    def _statement_read(self, tok: Token) -> None:
        """"X's statement read ..." / "a statement read on TV said": the noun's owner speaks."""
        entry = self.cues.phrases.get("statement read")
        if entry is None or tok.lemma_.lower() != entry.get("head", "read"):
            return
        subject = subject_of(tok)
        if subject is None or subject.lemma_.lower() not in self.cues.nouns:
            return
        content = self._content(tok, ["ccomp", "parataxis"])
        if content is None:
            return
        speaker = modifier_actor(subject, self.resolution)
        self._add(tok, f"{subject.text} {tok.text}", entry, content, speaker,
                  np_text(subject), subject)

    # -- learned cues ---------------------------------------------------------------------

    def _learned_cues(self) -> None:
        """Cues the lexicon's frames missed, chosen by the trained scorer among the parse's
        candidates; a learned cue takes a clause or a quotation as content (a confident
        one also a prepositional or statement-like object). The scorer also vetoes a rule
        verb cue it finds unlikely ("the offensive revealed the level of ...": a verb of
        the lexicon used of a thing, not a source), far less readily when an actor
        speaks (``VETO``, ``VETO_NAMED``)."""
        scorer = load_scorer()
        if scorer is None:
            return
        verbs = [a for a in self.found if a.cue.pos_ == "VERB"]
        vetoed = {id(a) for a, p in zip(verbs, scorer.probabilities(
            [a.cue for a in verbs], self.cues), strict=True)
            if p < (VETO if a.speaker is None else VETO_NAMED)}
        self.found = [a for a in self.found if id(a) not in vetoed]
        taken = {a.cue.i for a in self.found}
        for a in self.found:
            if a.speaker_token is not None:
                taken.add(a.speaker_token.i)
        by_cue: dict[int, list[Attribution]] = {}
        for a in self.found:
            by_cue.setdefault(a.cue.i, []).append(a)
        # not a head whose own child is a found cue with this head in its content
        candidates = [t for t in self.doc if t.i not in taken and is_candidate(t, self.cues)
                      and not (t.dep_ == "xcomp"
                               and t.head.lemma_.lower() in self.cues.unsaid_heads)
                      and not any(a.content_start <= t.idx < a.content_end
                                  for c in t.children for a in by_cue.get(c.i, ()))]
        probs = scorer.probabilities(candidates, self.cues)
        roles = load_content_scorer()
        for tok, p in zip(candidates, probs, strict=True):
            if p < scorer.threshold:
                continue
            if roles is not None:
                self._learned_roles(tok, p)
            elif tok.pos_ in ("VERB", "AUX"):
                self._learned_verb(tok, p >= STRONG_CUE)

    def _learned_roles(self, tok: Token, p_cue: float) -> None:
        """A learned cue with the content slot and the source the role scorers choose
        among the parse's candidates ("refused to release X", "offered no proof that",
        "X's criticism of Y")."""
        roles = load_content_scorer()
        if roles is None:
            return
        cue_feats = features(tok, self.cues)
        para_start, para_end = paragraph_bounds(self.text, tok.idx)
        slots = [s for s in content_slots(tok) if para_start <= s.start < para_end]
        content: tuple[int, int] | None = None
        kind = "quote"
        if slots:
            ps = roles.score([slot_features(tok, s, self.cues, cue_feats) for s in slots])
            best = slots[int(ps.argmax())]
            clausal = best.kind in _CLAUSAL_SLOTS or best.kind.endswith("_marked")
            # an object that names an actor or counts is the target of an act ("backed
            # the group", "dismissed 300 soldiers"), whatever the verb
            said = best.kind != "dobj" or (self._says_something(best.head)
                                           and not self._named(best.head))
            if said and ps.max() >= (roles.threshold if clausal else OBJECT_SLOT):
                content, kind = (best.start, best.end), best.kind
        source = self._learned_source(tok, cue_feats)
        if content is None and p_cue >= STRONG_CUE and tok.pos_ in ("VERB", "AUX"):
            content = self._adjacent_quote(tok, source)
        said_by = None if content is None else self._learned_speaker(source)
        if said_by is None:
            return
        speaker, speaker_text = said_by
        entry = (self.cues.verbs.get(tok.lemma_.lower()) if tok.pos_ in ("VERB", "AUX")
                 else self.cues.nouns.get(tok.lemma_.lower())) or {"cue_type": "assert"}
        if kind in (entry.get("slot_types") or {}):
            entry = {**entry, "cue_type": entry["slot_types"][kind]}  # "asked X to Y"
        self._add(tok, tok.text, entry, content, speaker, speaker_text, source)

    def _learned_source(self, tok: Token, cue_feats: list[str]) -> Token | None:
        """The source the source scorer prefers among the parse's candidates; the subject
        rule (datelines skipped) where it is a subject."""
        scorer = load_source_scorer()
        if scorer is None:
            return self._subject(tok)
        slots = source_slots(tok)
        if not slots:
            return None
        ps = scorer.score([source_features(tok, s, cue_feats) for s in slots])
        best = slots[int(ps.argmax())]
        if best.kind in ("nsubj", "nsubjpass", "csubj", "borrowed_subj"):
            return self._subject(tok)
        return best.head

    def _learned_verb(self, tok: Token, strong: bool) -> None:
        entry = self.cues.verbs.get(tok.lemma_.lower()) or {"cue_type": "assert"}
        if any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children):
            return  # "X is expected to ...": nobody in particular
        # Not an infinitive: PolNeAR counts aims and plans ("sought to unify", "expected to
        # lead") as attributions, news readers do not take them for anyone's claim.
        content = self._content(tok, ["ccomp", "parataxis"])
        subject = self._subject(tok)
        if content is None:
            content = self._adjacent_quote(tok, subject)
        if content is None and strong:
            # a sure cue may take a prepositional object ("worried about the vote") or a
            # statement-like object ("repeated the accusation"); any other object is more
            # often the target of an act ("ordered a strike", "asked lawmakers")
            content = self._content(tok, list(_OBJECT_PREPS))
            obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
            if content is None and obj is not None and obj.lemma_.lower() in self.cues.nouns:
                content = clause_span(obj)
        said_by = None if content is None else self._learned_speaker(subject)
        if said_by is None:
            return
        speaker, speaker_text = said_by
        self._add(tok, tok.text, entry, content, speaker, speaker_text, subject)

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
        for first in self.doc:
            if first.text not in QUOTES_OPEN or not starts_paragraph(first):
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
        ends = [end_of(cue), end]
        if speaker_tok is not None:
            pieces.append(speaker_tok.left_edge.idx)
            ends.append(end_of(speaker_tok.right_edge))
        self.found.append(Attribution(
            cue=cue, cue_text=cue_text, cue_type=entry.get("cue_type", "assert"),
            content_start=start, content_end=end, speaker=speaker, speaker_text=speaker_text,
            direct=quoted(text, start, end), negates=bool(entry.get("negates")),
            span_start=min(pieces), span_end=max(ends), speaker_token=speaker_tok))


def _bare(word: str) -> str:
    """A last name compared without case, possessive or article prefix."""
    word = word.removesuffix("'s").removesuffix("’s")
    return _NAME_PREFIX.sub("", word).lower()
