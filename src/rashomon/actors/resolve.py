"""Resolve every actor mention in a parsed document to a canonical actor.

The rules run in order, each seeing what the earlier ones found (1 here, 2-4 in
``named``, 5-7 in ``references``):

1. knowledge-base names: longest match of normalised token keys (aliases, acronyms,
   demonyms, metonyms), then of sound keys for capitalised names (``normalize.sound_key``:
   "Hayder al-Abadi" is "Haider al-Abadi"); a name several actors share goes to the one
   named here, linked to someone named here, of the story's country, or in office that
   year; titles and possessives stay outside the span; a state followed by group nouns
   takes them in ("US troops" -> the US, sector MIL), and with a sector that is not the
   state acting it is an actor of its own ("Iraqi media" -> Iraqi media, IRQ MED, see
   ``sectors``); "Iran-backed militias" are the groups Iran backs; a capital after
   "in"/"at" is a place, not a metonym;
2. named entities the KB lacks, cleaned first (``entities``: no headlines, contractions,
   weapon types, bare titles): surnames of persons named earlier, KB persons by first and
   last name, KB surnames whose role years fit the document, else provisional actors
   merged by the sound of their name;
   proper nouns the tagger missed that are a verb's subject or object, read as persons;
3. acronyms the text defines ("People's Mojahedin Organization of Iran (MEK)"), and other
   names it gives ("X (or Y)", "X, also known as Y": ``aliases``);
4. "X's followers" -> the organisation X leads; "the government of X" -> X, sector GOV;
   people nouns of a named body ("legislators from X", "members of his party") -> the
   body (``members``);
5. role references ("the Iranian ambassador", "the cleric") -> a named actor in context;
   definite descriptions ("the group", "the militia") -> the last organisation of that
   kind named just before, never a state body; unqualified state bodies ("the
   government", "security troops") -> the state the story is set in, when its places
   make that clear;
6. generic groups ("protesters", "Shiite militiamen"; a story's unnamed armed groups are
   one actor); a people noun the text equates with a named body, by apposition or a
   copula, is that body (``members``);
7. subject pronouns ("he said", "they said") -> the most recent compatible actor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.attrs import IDX
from spacy.tokens import Doc, Token

from ..clean.header import dateline_places
from ..parse import doc_ents, doc_text, token_texts
from ..places import Gazetteer
from ..types import Actor, Mention, Place
from .aliases import AliasRules
from .common import (
    HYPHENS,
    MAX_PLACE_PHRASE,
    PEOPLE_PLACE_PREPS,
    POSSESSIVE,
    QUANTIFIERS,
    SECTOR_PRIORITY,
    home_state,
    with_article,
)
from .entities import entity_parts
from .kb import IndexEntry, KnowledgeBase, sound_of
from .members import MemberRules
from .mention_index import MentionIndex
from .named import NamedEntityRules
from .normalize import SKIP_TOKENS, slug, sound_key, token_key
from .references import ReferenceRules
from .sectors import backed_actor, sector_actor


@dataclass
class Resolution:
    """The actor mentions of one document and the actors they refer to."""

    mentions: list[Mention] = field(default_factory=list)
    actors: dict[str, Actor] = field(default_factory=dict)
    _index: MentionIndex | None = field(default=None, init=False, repr=False, compare=False)

    def indexed(self) -> MentionIndex:
        """The mentions indexed by position (rebuilt when the list has changed)."""
        if self._index is None or not self._index.fits(self.mentions):
            self._index = MentionIndex(self.mentions)
        return self._index

    def mention_at(self, start: int, end: int) -> Mention | None:
        """The innermost mention covering [start, end), if any."""
        return self.indexed().at(start, end)

    def mentions_within(self, start: int, end: int) -> list[Mention]:
        """The mentions wholly inside [start, end), in list order."""
        return self.indexed().within(start, end)


def kb_actor_copy(kb: KnowledgeBase, actor_id: str) -> Actor:
    """A knowledge-base actor as an analysis holds it (its own alias list to extend)."""
    a = kb.actors[actor_id]
    return Actor(id=a.id, name=a.name, kind=a.kind, country=a.country, sector=a.sector,
                 aliases=list(a.aliases), affiliations=a.affiliations, roles=a.roles)


def provisional_id(kb: KnowledgeBase, name: str) -> str:
    """The id of the actor a name the KB lacks stands for: made from the name's sound
    without a trailing designator, so that spellings that sound alike ("Hadi Al Amari",
    "Hadi al-Amiri") and "Hoquq" / "Hoquq Movement" meet in one actor across documents."""
    key = kb.key(name)
    while len(key) > 1 and kb.designator(key[-1]):
        key = key[:-1]
    return f"p:{slug(' '.join(sound_of(key))) if key else slug(name)}"


def resolve_actors(
    doc: Doc, document_id: str, kb: KnowledgeBase, year: int | None = None,
    places: Sequence[Place] = (), gazetteer: Gazetteer | None = None,
) -> Resolution:
    """All actor mentions in ``doc``, each resolved to a KB or provisional actor.

    ``places`` (from the places stage) keeps place names from becoming provisional actors
    and tells which country the story is set in; the ``gazetteer`` catches the town names
    the tagger labels as organisations or persons.
    """
    return _Resolver(doc, document_id, kb, year, places, gazetteer).run()


class _Resolver(NamedEntityRules, AliasRules, MemberRules, ReferenceRules):
    def __init__(self, doc: Doc, document_id: str, kb: KnowledgeBase, year: int | None,
                 places: Sequence[Place], gazetteer: Gazetteer | None) -> None:
        self.doc, self.document_id, self.kb, self.year = doc, document_id, kb, year
        self.text = doc_text(doc)
        self.result = Resolution()
        self.covered: dict[int, Mention] = {}  # token index -> mention covering it
        # tokens of place names, and of datelines' places (where a report was filed)
        self.blocked: set[int] = {t.i for start, end in dateline_places(self.text)
                                  for t in doc.char_span(start, end,
                                                         alignment_mode="expand") or ()}
        self.sent_of: dict[int, int] = {}
        for i, sent in enumerate(doc.sents):
            self.sent_of.update(dict.fromkeys(range(sent.start, sent.end), i))
        self.local_aliases: dict[tuple[str, ...], str] = {}  # acronyms defined in this text
        # read off the Doc's arrays rather than each token's attributes
        tokens, starts = list(doc), doc.to_array([IDX]).tolist()
        self.token_starting_at: dict[int, Token] = dict(zip(starts, tokens, strict=True))
        self.token_ending_at: dict[int, Token] = dict(zip(
            map(int.__add__, starts, map(len, token_texts(doc))), tokens, strict=True))
        # actor id -> (the actor, keys of its name then aliases); see _name_keys
        self.name_keys: dict[str, tuple[Actor, list[tuple[str, ...]]]] = {}
        # persons named here by name parts, fed from ``touched``, the actors added or given
        # a new alias since (see named._index_people)
        self.people: dict[Any, set[str]] = {}
        self.people_indexed: dict[str, tuple[Actor, int]] = {}
        self.touched: set[str] = set()
        self.entity_at = {i: ent for ent in doc_ents(doc) for i in range(ent.start, ent.end)}
        self.place_at = {t.i: p for p in places for t in doc.char_span(
            p.start, p.end, alignment_mode="expand") or ()}
        self.place_tokens = set(self.place_at)
        self.home_state = home_state(places, kb)
        self.gazetteer = gazetteer
        self.group_antecedents: dict[str, str] = {}  # group noun -> actor it was apposed to
        self.unnamed_armed: str | None = None  # see _resolve_generic_groups

    def run(self) -> Resolution:
        self._match_kb_names()
        self._resolve_entities()
        self._resolve_misspelt_names()
        self._resolve_untagged_names()
        self._resolve_defined_acronyms()
        self._resolve_given_names()
        self._resolve_followers()
        self._resolve_bodies_of_states()
        self._resolve_leaders_governments()
        self._resolve_titled_names()
        self._resolve_short_forms()
        self._resolve_members()
        self._resolve_roles()
        self._resolve_definite_organisations()
        self._resolve_unqualified_bodies()
        self._resolve_counted_legislators()
        self._resolve_generic_groups()
        self._resolve_described_groups()
        self._resolve_pronouns()
        self.result.mentions.sort(key=lambda m: (m.start, -m.end))
        return self.result

    # -- helpers ----------------------------------------------------------------

    def _add(self, first: Token, last: Token, actor: Actor, rule: str,
             sector: str | None = None, overwrite: bool = False) -> Mention | None:
        if not overwrite and any(i in self.covered for i in range(first.i, last.i + 1)):
            return None
        own = sector_actor(self.kb, actor, sector)
        if own is not None:
            actor = self.result.actors.get(own.id) or own
        start, end = first.idx, last.idx + len(last.text)
        mention = Mention(
            document=self.document_id, start=start, end=end, text=self.text[start:end],
            actor=actor.id, rule=rule, sector=sector, sentence=self.sent_of.get(first.i),
        )
        self.result.mentions.append(mention)
        for i in range(first.i, last.i + 1):
            self.covered[i] = mention
        known = self.result.actors.setdefault(actor.id, actor)
        self.touched.add(known.id)
        if rule not in ("pronoun", "role", "member"):  # a people noun names no one
            surface = mention.text
            if surface not in known.aliases:
                known.aliases.append(surface)
        return mention

    def _kb_actor(self, actor_id: str) -> Actor:
        if actor_id in self.result.actors:
            return self.result.actors[actor_id]
        return kb_actor_copy(self.kb, actor_id)

    def _provisional(self, name: str, kind: str, sector: str | None = None) -> Actor:
        """The actor a name the KB lacks stands for (``provisional_id``)."""
        actor_id = provisional_id(self.kb, name)
        if actor_id not in self.result.actors:
            self.result.actors[actor_id] = Actor(
                id=actor_id, name=name, kind=kind, sector=sector, aliases=[name], provisional=True
            )
            self.touched.add(actor_id)
        return self.result.actors[actor_id]

    def _case_ok(self, tokens: list[Token], entry: IndexEntry) -> bool:
        if entry.case == "upper":
            # Long acronyms are also written as names ("Isis", "Nato") in British style.
            return all(t.text.replace(".", "").isupper()
                       or (len(t.text) >= 4 and t.text.istitle()) for t in tokens)
        if entry.case == "title":
            return tokens[0].text[:1].isupper()
        return any(t.text[:1].isupper() for t in tokens) or len(tokens) > 1

    def _choose(self, entries: list[IndexEntry]) -> IndexEntry:
        """Among actors sharing a name and existing in the story's year: one already named
        here, else one whose parent body was ("the IRGC's al-Quds Brigade" is the Quds
        Force, not a Palestinian brigade), else one linked to someone named here, else the
        only one of the story's country, else one in office that year, else the exact
        spelling's."""
        if len(entries) == 1:
            return entries[0]
        entries = ([e for e in entries if not e.actor or self.kb.existed(e.actor, self.year)]
                   or entries)
        for e in entries:
            if e.actor in self.result.actors:
                return e
        for e in entries:
            parents = {a.get("actor") for a in self.kb.actors[e.actor].affiliations
                       if a.get("relation") in ("part_of", "member_of")} if e.actor else set()
            if parents & set(self.result.actors):
                return e
        # one that someone named here leads, belongs to or holds a role in ("Amiri's
        # Fatah" in 2018 is his alliance, not the Palestinian movement)
        linked = {link.get("actor") for a in self.result.actors.values()
                  for link in a.affiliations}
        linked |= {role.get("of") for a in self.result.actors.values() if a.id in self.kb.actors
                   for role in self.kb.held_role(a.id, self.year)}
        for e in entries:
            if e.actor in linked:
                return e
        home = self.kb.actors[self.home_state].country if self.home_state else None
        if home is not None:
            local = [e for e in entries if e.actor and self.kb.actors[e.actor].country == home]
            if len({e.actor for e in local}) == 1:
                return local[0]
        if self.year is not None:
            for e in entries:
                if e.actor and self.kb.held_role(e.actor, self.year):
                    return e
        return entries[0]

    # -- 1. knowledge-base names -----------------------------------------------

    def _match_kb_names(self) -> None:
        doc, kb = self.doc, self.kb
        seq, keys, capitalised = [], [], []
        for t in doc:  # each token's text and key read once
            text = t.text
            key = token_key(text)
            if key not in SKIP_TOKENS and not t.is_space and t.i not in self.blocked:
                seq.append(t)
                keys.append(key)
                capitalised.append(text[:1].isupper())
        sounds = [sound_key(k) for k in keys]
        p = 0
        while p < len(seq):
            # A name the KB knows starts with a word that begins one of its keys; one that
            # only sounds like a KB name is capitalised: most words do neither.
            if not capitalised[p] and (keys[p],) not in kb.prefixes:
                p += 1
                continue
            matched = False
            # A window can match (by its words or their sound) only if every shorter
            # beginning of it begins a name: try no longer windows than that.
            longest, reach = min(kb.max_key_len, len(seq) - p), 1
            while reach < longest and (tuple(keys[p:p + reach]) in kb.prefixes
                                       or tuple(sounds[p:p + reach]) in kb.prefixes):
                reach += 1
            for length in range(reach, 0, -1):
                window = seq[p:p + length]
                if self.sent_of[window[0].i] != self.sent_of[window[-1].i]:
                    continue
                key = tuple(keys[p:p + length])
                entries = [e for e in kb.index.get(key, ()) if self._case_ok(window, e)]
                if capitalised[p]:
                    entries += self._sounding(window, key, entries)
                if not entries:
                    continue
                matched = True
                self._take_kb_match(window, self._choose(entries))
                p += length
                break
            if not matched:
                p += 1

    def _sounding(self, window: list[Token], key: tuple[str, ...],
                  exact: list[IndexEntry]) -> list[IndexEntry]:
        """KB names that sound like a capitalised ``window`` ("Hayder al-Abadi" for
        "Haider al-Abadi", "Mahdi militia" for "Mahdi Army"); beside an exact match, only
        bodies whose name is the window plus a designator ("Fatah" beside "Fatah
        Alliance"), for ``_choose`` to weigh."""
        armed = self.kb.armed_variant(key)
        # most capitalised windows sound like no KB name: look that up before the parse
        sounding = self.kb.sound_lookup(key) + (self.kb.sound_lookup(armed) if armed else [])
        if not sounding:
            return []
        named = window[:-1] if armed else window  # "the Mahdi militia": the noun is lower case
        if not all(t.text[:1].isupper() for t in named):
            return []
        ent = self.entity_at.get(window[0].i)
        person = ent is not None and ent.label_ == "PERSON"
        if len(window) == 1:
            if window[0].pos_ != "PROPN" and ent is None:
                return []
            part = next((p for p in entity_parts(ent) if p.start <= window[0].i < p.end),
                        None) if person else None
            if part is not None and len([t for t in part if t.text[:1].isupper()
                                         and (token_key(t.text),) not in self.kb.titles]) > 1:
                return []  # one word of a person's full name: the whole name decides
        known = {e.actor for e in exact}
        out = []
        for e in sounding:
            if e.actor in known or (exact and e.rule != "stem"):
                continue
            if self.kb.actors[e.actor].kind == "person" or not self._weak_sound_match(
                    window, key, e.actor, person):
                out.append(e)
        return out

    def _weak_sound_match(self, window: list[Token], key: tuple[str, ...], actor_id: str,
                          person: bool) -> bool:
        """Whether a body only sounds like the words and something else is likelier:
        words tagged as a person's name; a lone word that is a known person's surname
        ("Kadhimi" before the party Kadima); a lone word in a story set elsewhere than the
        body, unless the body is named here already ("Kataib" in Iraq is not Lebanon's
        Kataeb)."""
        if len(window) > 1:
            return person
        if sound_key(key[0]) in self.kb.sound_surnames:
            return True
        country = self.kb.actors[actor_id].country
        home = self.kb.actors[self.home_state].country if self.home_state else None
        return bool(home and country and country != home and actor_id not in self.result.actors)

    def _take_kb_match(self, window: list[Token], entry: IndexEntry) -> None:
        first, last = with_article(window[0]), window[-1]
        if entry.rule == "place":
            self.blocked.update(range(first.i, last.i + 1))
            return
        if self._inside_place_entity(first, last):
            return
        actor = self._kb_actor(entry.actor)
        glued = self._glued_name_end(last) if actor.kind in ("organization", "group") else None
        if glued is not None:
            # "Kurdistan Democratic Party-Iran", "KDP-I": a name glued by a hyphen to a
            # capitalised word is a longer name (a namesake's branch), not the KB's body
            name = self.text[window[0].idx:glued.idx + len(glued.text)]
            self._add(window[0], glued, self._provisional(name, "organization"), "provisional")
            return
        if self._based_in(last) or entry.rule == "metonym" and self._used_as_place(first, last):
            return  # "a Qatar-based channel" is no act of Qatar's
        sector = entry.sector
        backed = self._backed_tail(last)
        if backed is not None:  # "Iran-backed militias" are not Iran
            tail, group_sector = backed
            patron = backed_actor(self.kb, actor, group_sector)
            self._add(first, tail, self.result.actors.get(patron.id) or patron, "backed",
                      group_sector)
            return
        if actor.kind == "state":
            tail, group_sector = self._group_noun_tail(last)
            if group_sector:
                force = self.kb.force_of(actor.id, group_sector)
                if force is not None:
                    actor = self._kb_actor(force)
                last, sector = tail, group_sector
            elif entry.rule == "demonym" and first.tag_ in ("NNS", "NNPS"):
                # Some of the people ("Iraqis in the city", "thousands of Iranians") are
                # civilians; the bare plural ("a war against Americans") is the nation.
                sector = "CVL" if self._some_of_the_people(last) else None
                if sector:  # the mention is the whole qualified phrase: "ordinary Iraqis",
                    # "Iraqis in Basra"
                    before = [c.left_edge for c in last.children if c.i < last.i and (
                        c.dep_ in ("amod", "nummod") or c.lower_ in QUANTIFIERS)]
                    after = [c.right_edge for c in last.children if c.i > last.i
                             and c.dep_ == "prep" and c.lower_ in PEOPLE_PLACE_PREPS
                             and c.right_edge.i - last.i <= MAX_PLACE_PHRASE
                             and not any(self.kb.index.get((token_key(t.text),))
                                         for t in c.subtree)]  # not "of Iraq": a name
                    start = min(before, key=lambda t: t.i, default=first)
                    # adjectives the parser hung elsewhere ("Arabic speaking Iranians")
                    while start.i > 0 and start.i - 1 not in self.covered and (
                            self.doc[start.i - 1].pos_ == "ADJ"
                            or self.doc[start.i - 1].tag_ in ("VBG", "VBN")):
                        start = self.doc[start.i - 1]
                    widened = (start, max(after, key=lambda t: t.i, default=last))
                    if self._add(*widened, actor, entry.rule, sector) is not None:
                        return
        self._add(first, last, actor, entry.rule, sector)

    def _glued_name_end(self, last: Token) -> Token | None:
        """The capitalised word a name's last word is glued to by a hyphen, without spaces
        ("Party-Iran", "KDP-I"), when the whole is a name of its own: not a modifier of a
        noun after it ("the Hamas-Israel war", "a US-Iraq deal"), nor a hyphenated word
        in lower case ("Hezbollah-affiliated")."""
        doc = self.doc
        if last.whitespace_ or last.i + 2 >= len(doc):
            return None
        hyphen, word = doc[last.i + 1], doc[last.i + 2]
        if hyphen.text not in HYPHENS or hyphen.whitespace_ or not word.text[:1].isupper() \
                or not word.text.isalpha() or word.i in self.blocked:
            return None
        if word.dep_ in ("compound", "amod", "nmod") and word.head.i > word.i:
            return None
        if word.i + 1 < len(doc) and doc[word.i + 1].text in HYPHENS \
                and not word.whitespace_:
            return None  # "Iran-Iraq-Syria": a chain of parties, not one name
        return word

    def _some_of_the_people(self, tok: Token) -> bool:
        """Whether a plural demonym names particular people rather than the nation: it
        is counted or qualified ("hundreds of Iraqis", "many Iranians", "ordinary
        Iraqis"), or placed ("Iraqis in the city", "Iranians of the region")."""
        for child in tok.children:
            if child.dep_ in ("nummod", "amod") or child.lower_ in QUANTIFIERS:
                return True
            if child.dep_ == "prep" and child.lower_ in PEOPLE_PLACE_PREPS:
                return True
        head = tok.head
        return tok.dep_ == "pobj" and head.lower_ == "of" and (
            head.head.like_num or head.head.lower_ in QUANTIFIERS
            or head.head.lemma_.lower() in ("hundred", "thousand", "million", "dozen",
                                            "crowd", "group", "number"))

    def _backed_tail(self, last: Token) -> tuple[Token, str] | None:
        """ "-backed militias", "-aligned groups" after a name: the group noun and its sector."""
        doc, i = self.doc, last.i + 1
        words = set(self.kb.rules.get("backing_words") or [])
        if i + 2 >= len(doc) or doc[i].text not in "-‐" or doc[i + 1].lower_ not in words:
            return None
        for tok in doc[i + 2: i + 5]:
            sector = self._group_sector(tok) or (
                (self.kb.generic_groups.get(tok.lower_) or {}).get("sector"))
            if not sector and tok.lemma_.lower() in set(
                    self.kb.rules.get("definite_org_nouns") or []) | {"proxy"}:
                sector = "REB"  # "Iran-backed groups", "IRGC-aligned factions": armed proxies
            if sector:
                # "US-backed Iraqi troops", "a US-backed government" are a state's own
                return (tok, sector) if sector in (self.kb.rules.get("sector_actors") or {}) \
                    else None
            if tok.pos_ not in ("ADJ", "PROPN", "NOUN") and tok.text not in "-‐" \
                    or self.kb.index.get((token_key(tok.text),)):
                return None  # a clause, or a name of its own ("US-backed Iraqi ...")
        return None

    def _inside_place_entity(self, first: Token, last: Token) -> bool:
        """A name inside a longer place entity ("Sadr" in "Sadr City") is part of the place."""
        ent = self.entity_at.get(first.i)
        if ent is None or ent.label_ not in ("GPE", "LOC", "FAC"):
            return False
        inner = [t for t in ent if token_key(t.text) not in SKIP_TOKENS]
        return len(inner) > last.i - first.i + 1 and (ent.start < first.i or ent.end > last.i + 1)

    def _used_as_place(self, first: Token, last: Token) -> bool:
        # the span's own head: "the U.S. Embassy in Baghdad" is headed by "Embassy"
        head = next((t for t in self.doc[first.i:last.i + 1]
                     if not first.i <= t.head.i <= last.i or t.head == t), last)
        preps = set(self.kb.rules.get("place_prepositions") or [])
        return head.dep_ == "pobj" and head.head.lower_ in preps

    def _based_in(self, last: Token) -> bool:
        """"London-based", "Qatar-based": the name says where something is based."""
        nxt = self.doc[last.i + 1: last.i + 3]
        return len(nxt) == 2 and nxt[0].text in "-‐" and nxt[1].lower_ == "based"

    def _group_noun_tail(self, last: Token) -> tuple[Token, str | None]:
        """Extend a state mention over following group nouns: "Iraqi army troops"."""
        sectors = []
        i = last.i + 1
        # "Iraq's cabinet": a possessive between state and body
        if i + 1 < len(self.doc) and self.doc[i].lower_ in POSSESSIVE and \
                self._group_sector(self.doc[i + 1]):
            i += 1
        while i < len(self.doc):
            tok = self.doc[i]
            sector = self._group_sector(tok)
            if not sector and tok.dep_ in ("amod", "compound") \
                    and i < tok.head.i <= i + 2 and self._group_sector(tok.head):
                i += 1  # a modifier of the body: "Iraqi prime minister", "US special forces"
                continue
            if not sector:
                break
            sectors.append(sector)
            last = tok
            i += 1
        if not sectors:
            return last, None
        for preferred in SECTOR_PRIORITY:
            if preferred in sectors:
                return last, preferred
        return last, sectors[0]

    def _group_sector(self, tok: Token) -> str | None:
        if tok.pos_ not in ("NOUN", "PROPN"):
            return None
        nouns = self.kb.group_nouns
        return nouns.get(tok.lower_) or nouns.get(tok.lemma_.lower())
