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

The finder's parts live beside it: ``quotations`` (cue-less quotations, transcript turns,
credited quotations) and ``learned`` (the trained cue scorer's cues and veto).
"""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Doc, Token

from ..actors import Resolution
from ..actors.mention_index import MentionIndex
from ..clean.header import DATELINE
from ..parse import token_lemmas, token_lowers, token_tags
from ..types import Mention
from .chains import Attribution, nest
from .content import (
    CLOSER_OF,
    OPENER_OF,
    clause_head,
    clause_span,
    doc_text,
    end_of,
    has_verb,
    in_quotation,
    paragraph_bounds,
    quoted,
    subtree_without,
)
from .cues import CueLexicon
from .learned import LearnedCues
from .quotations import QuotationRules
from .scopes import SCOPES, ClaimsScope
from .sources import (
    as_predicate,
    issuer,
    modifier_actor,
    noun_phrase_actor,
    np_text,
    subject_of,
)

# Transliteration prefixes a surname drops or keeps ("al-Dabbagh", "Dabbagh").
_NAME_PREFIX = re.compile(r"^(?:al|el|as|ash|ad|an|ar|at|az)[-‑]", re.IGNORECASE)
# Cue types of private states: their participle ("..., assuming ...", "..., expecting
# ...") is a condition or a reason, not something the clause's subject said.
_PRIVATE_CUES = {"believe", "fear", "hope", "predict"}


class Finder(LearnedCues, QuotationRules):
    def __init__(self, doc: Doc, resolution: Resolution, cues: CueLexicon,
                 scope: ClaimsScope = SCOPES["news"]) -> None:
        self.doc, self.resolution, self.cues = doc, resolution, cues
        self.scope = scope
        self.text = doc_text(doc)
        self.found: list[Attribution] = []
        self._namesakes: tuple[MentionIndex, dict[str, list[Mention]]] | None = None

    def run(self) -> list[Attribution]:
        statement_head = self._statement_head()
        doc = self.doc
        lowers = token_lowers(doc)
        lemmas = token_lemmas(doc) if statement_head is not None else None
        for i, pos in enumerate(token_tags(doc)):
            # each reader is asked only of the words it reads (it checks again): most
            # words are none of these, and a Token, a call and an attribute each per reader
            # and word cost more than the readers' work
            according = lowers[i] == "according"
            read = lemmas is not None and lemmas[i].lower() == statement_head
            if not (according or read or pos == "VERB" or pos == "AUX" or pos == "NOUN"):
                continue
            tok = doc[i]
            if pos == "VERB" or pos == "AUX":
                self._verb_cue(tok)
                if pos == "VERB":
                    self._object_phrase(tok)
            if according:
                self._according_to(tok)
            if read:
                self._statement_read(tok)
            if pos == "NOUN":
                self._noun_cue(tok)
        self._learned_cues()
        self._colon_turns()
        self._credited_quotations()
        self._quotations()
        self._quotation_after_credit()
        self._quotation_after_colon()
        self.found.sort(key=lambda a: (a.span_start, a.cue.i))
        nest(self.found)
        return self.found

    # -- speakers --------------------------------------------------------------------------

    def actor_of(self, tok: Token) -> Mention | None:
        """The actor a noun phrase headed by ``tok`` names, if any."""
        return noun_phrase_actor(tok, self.resolution, member_preps=True)

    def _learned_speaker(self, source: Token | None, common_noun: bool = False
                         ) -> tuple[Mention | None, str | None] | None:
        """Who a learned cue's source stands for, or None when it cannot speak: a possessor
        ("Iran's"), a pronoun no actor stands for, or a common noun no actor stands for
        ("this coalition demonstrates that ...") unless ``common_noun`` (a sure cue: "the
        poll shows that ...")."""
        if source is None or any(c.dep_ == "case" for c in source.children):
            return None
        speaker, speaker_text = self._speaker(source)
        if speaker is None and source.pos_ != "PROPN" \
                and not (common_noun and source.pos_ == "NOUN") and not (
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
        if subject.idx >= para_start and not DATELINE.match(
                self.text[subject.left_edge.idx:subject.right_edge.idx + 12]):
            return subject
        line = self.text[para_start:cue.idx]
        dateline = DATELINE.match(line)
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
        if tok.pos_ not in ("VERB", "AUX"):  # asked of every word: the tag before the lemma
            return
        lemma = tok.lemma_.lower()
        if lemma not in self.cues.verbs and lemma not in self.cues.passive:
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
        if tok.pos_ != "NOUN":  # asked of every word: the tag before the lemma
            return
        entry = self.cues.nouns.get(tok.lemma_.lower())
        if entry is None:
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

    @staticmethod
    def _unmarked_clause(tok: Token, para_start: int, para_end: int) -> Token | None:
        """A complement the parse hung as an adverbial clause: "X said after the vote he
        would resign" (no "that", a phrase between): a clause after the cue with its own
        subject and no conjunction of its own ("because", "while", "when")."""
        return next((c for c in tok.children if c.dep_ == "advcl" and c.i > tok.i
                     and para_start <= c.idx < para_end
                     and any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
                     and not any(g.dep_ == "mark" or g.tag_ == "WRB" and g.i < c.i
                                 for g in c.children)), None)

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
                # a clause cut off from the cue by a semicolon, a colon or a parenthesis
                # is not what the cue says ("It's unlikely; her team says she'll go on",
                # "... fireworks: Republicans said ...") though the parse hangs it there
                child = next((c for c in tok.children if c.dep_ == slot
                              and para_start <= c.idx < para_end
                              and not (c.i < tok.i and self._cut_off(c, tok))), None)
                if child is not None and (slot != "xcomp" or has_verb(child)):
                    return clause_span(child), slot
                if slot == "ccomp" and not any(c.dep_ == "ccomp" for c in tok.children):
                    clause = self._unmarked_clause(tok, para_start, para_end)
                    if clause is not None:
                        return clause_span(clause), slot
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

    @staticmethod
    def _cut_off(clause: Token, cue: Token) -> bool:
        """Whether a semicolon, a colon or an opening parenthesis stands between a clause
        before the cue and the cue (the parse may hang the mark on the clause itself)."""
        last = max(t.i for t in clause.subtree if not t.is_punct)
        return any(t.text in (";", ":", "(") for t in clause.doc[last + 1:cue.i])

    def _says_something(self, obj: Token) -> bool:
        """Whether a direct object is a proposition rather than someone or a count."""
        if obj.lemma_.lower() in self.cues.nouns:
            return True
        if obj.pos_ != "NOUN" or obj.ent_type_ or any(c.dep_ == "nummod" for c in obj.children):
            return False
        return self.resolution.mention_at(obj.idx, end_of(obj)) is None

    def _named(self, obj: Token) -> bool:
        """Whether a generic noun is someone an appositive or a naming clause names ("a
        group called X", "the militia, X"); "a report released by X" is not X, nor is
        "proof that X had a role" (a clause with a marker says what the noun states)."""
        return any(c.dep_ == "appos" or c.dep_ == "acl" and not any(
            g.dep_ == "agent" or g.dep_ == "mark" for g in c.children) for c in obj.children
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

    def _statement_head(self) -> str | None:
        """The verb of the "statement read" phrase (by default "read"); None without one."""
        entry = self.cues.phrases.get("statement read")
        return None if entry is None else entry.get("head", "read")

    def _statement_read(self, tok: Token) -> None:
        """"X's statement read ..." / "a statement read on TV said": the noun's owner speaks."""
        if tok.lemma_.lower() != self._statement_head():
            return
        entry = self.cues.phrases["statement read"]
        subject = subject_of(tok)
        if subject is None or subject.lemma_.lower() not in self.cues.nouns:
            return
        content = self._content(tok, ["ccomp", "parataxis"])
        if content is None:
            return
        speaker = modifier_actor(subject, self.resolution)
        self._add(tok, f"{subject.text} {tok.text}", entry, content, speaker,
                  np_text(subject), subject)

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
