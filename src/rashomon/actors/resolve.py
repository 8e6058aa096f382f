"""Resolve every actor mention in a parsed document to a canonical actor.

The rules run in order, each seeing what the earlier ones found:

1. knowledge-base names: longest match of normalised token keys (aliases, acronyms,
   demonyms, metonyms), titles and possessives outside the span; a state followed by group
   nouns takes them in ("US troops" -> the US, sector MIL); a capital after "in"/"at" is a
   place, not a metonym;
2. named entities the KB lacks: surnames of persons named earlier, KB surnames whose
   role years fit the document, else provisional actors merged by normalised name;
3. acronyms the text defines ("People's Mojahedin Organization of Iran (MEK)");
4. "X's followers" -> the organisation X leads; "the government of X" -> X, sector GOV;
5. role references ("the Iranian ambassador", "the cleric") -> a named actor in context;
   definite descriptions ("the group") -> the organisation named just before;
   unqualified state bodies ("the government", "security troops") -> the state the story
   is set in, when its places make that clear;
6. generic groups ("protesters", "Shiite militiamen");
7. subject pronouns ("he said", "they said") -> the most recent compatible actor.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..places import Gazetteer
from ..types import Actor, Mention, Place
from .entities import entity_parts, is_junk
from .kb import IndexEntry, KnowledgeBase, sound_of
from .normalize import SKIP_TOKENS, is_acronym, slug, sound_key, token_key
from .sectors import backed_actor, sector_actor

ACTOR_LABELS = {"PERSON", "ORG", "NORP"}
# MIL first: "US military officials" and "Iraqi government troops" are armed forces.
SECTOR_PRIORITY = ["MIL", "SPY", "COP", "GOV", "LEG", "JUD", "REB", "INS"]


@dataclass
class Resolution:
    """The actor mentions of one document and the actors they refer to."""

    mentions: list[Mention] = field(default_factory=list)
    actors: dict[str, Actor] = field(default_factory=dict)

    def mention_at(self, start: int, end: int) -> Mention | None:
        """The innermost mention covering [start, end), if any."""
        best = None
        for m in self.mentions:
            inner = best is None or m.end - m.start < best.end - best.start
            if m.start <= start and end <= m.end and inner:
                best = m
        return best


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


class _Resolver:
    def __init__(self, doc: Doc, document_id: str, kb: KnowledgeBase, year: int | None,
                 places: Sequence[Place], gazetteer: Gazetteer | None) -> None:
        self.doc, self.document_id, self.kb, self.year = doc, document_id, kb, year
        self.text = doc.text  # Doc.text rebuilds the string on every access
        self.result = Resolution()
        self.covered: dict[int, Mention] = {}  # token index -> mention covering it
        self.blocked: set[int] = set()  # tokens of place names
        self.sent_of = {}
        for i, sent in enumerate(doc.sents):
            for tok in sent:
                self.sent_of[tok.i] = i
        self.local_aliases: dict[tuple[str, ...], str] = {}  # acronyms defined in this text
        self.token_ending_at = {t.idx + len(t.text): t for t in doc}
        self.token_starting_at = {t.idx: t for t in doc}
        self.entity_at = {i: ent for ent in doc.ents for i in range(ent.start, ent.end)}
        self.place_tokens = {t.i for p in places for t in doc.char_span(
            p.start, p.end, alignment_mode="expand") or ()}
        self.home_state = _home_state(places, kb)
        self.gazetteer = gazetteer
        self.group_antecedents: dict[str, str] = {}  # group noun -> actor it was apposed to
        self.unnamed_armed: str | None = None  # see _resolve_generic_groups

    def run(self) -> Resolution:
        self._match_kb_names()
        self._resolve_entities()
        self._resolve_misspelt_names()
        self._resolve_defined_acronyms()
        self._resolve_followers()
        self._resolve_bodies_of_states()
        self._resolve_roles()
        self._resolve_definite_organisations()
        self._resolve_unqualified_bodies()
        self._resolve_generic_groups()
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
        if rule not in ("pronoun", "role"):
            surface = mention.text
            if surface not in known.aliases:
                known.aliases.append(surface)
        return mention

    def _kb_actor(self, actor_id: str) -> Actor:
        if actor_id in self.result.actors:
            return self.result.actors[actor_id]
        a = self.kb.actors[actor_id]
        return Actor(id=a.id, name=a.name, kind=a.kind, country=a.country, sector=a.sector,
                     aliases=list(a.aliases), affiliations=a.affiliations, roles=a.roles)

    def _provisional(self, name: str, kind: str, sector: str | None = None) -> Actor:
        """The actor a name the KB lacks stands for: the same for every spelling that
        sounds alike ("Hadi Al Amari", "Hadi al-Amiri"), with or without a designator
        ("Hoquq", "Hoquq Movement"); its id is made from the sound, so that documents
        spelling the name differently meet in one actor."""
        key = self.kb.key(name)
        while len(key) > 1 and self.kb.designator(key[-1]):
            key = key[:-1]
        actor_id = f"p:{slug(' '.join(sound_of(key))) if key else slug(name)}"
        if actor_id not in self.result.actors:
            self.result.actors[actor_id] = Actor(
                id=actor_id, name=name, kind=kind, sector=sector, aliases=[name], provisional=True
            )
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
        """Among actors sharing a name: one already named here, else one whose parent body
        was ("the IRGC's al-Quds Brigade" is the Quds Force, not a Palestinian brigade),
        else one in office that year."""
        if len(entries) == 1:
            return entries[0]
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
        seq = [t for t in doc if token_key(t.text) not in SKIP_TOKENS and not t.is_space]
        keys = [token_key(t.text) for t in seq]
        p = 0
        while p < len(seq):
            matched = False
            for length in range(min(kb.max_key_len, len(seq) - p), 0, -1):
                window = seq[p:p + length]
                if self.sent_of[window[0].i] != self.sent_of[window[-1].i]:
                    continue
                key = tuple(keys[p:p + length])
                entries = [e for e in kb.index.get(key, ()) if self._case_ok(window, e)]
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
        "Haider al-Abadi"); beside an exact match, only bodies whose name is the window
        plus a designator ("Fatah" beside "Fatah Alliance"), for ``_choose`` to weigh."""
        if not all(t.text[:1].isupper() for t in window):
            return []
        ent = self.entity_at.get(window[0].i)
        person = ent is not None and ent.label_ == "PERSON"
        if len(window) == 1:
            if window[0].pos_ != "PROPN" and ent is None:
                return []
            if person and len([t for t in ent if t.text[:1].isupper()
                               and tuple([token_key(t.text)]) not in self.kb.titles]) > 1:
                return []  # one word of a person's full name: the whole name decides
        known = {e.actor for e in exact}
        out = []
        for e in self.kb.sound_lookup(key):
            if e.actor in known or (exact and e.rule != "stem"):
                continue
            kind = self.kb.actors[e.actor].kind
            country = self.kb.actors[e.actor].country
            if kind != "person" and self.home_state and country and e.actor not in \
                    self.result.actors and country != self.kb.actors[self.home_state].country:
                continue  # a body abroad that only sounds like the name ("Kataeb" in Iraq)
            if kind != "person" and (person and len(window) > 1 or len(window) == 1
                                     and sound_key(key[0]) in self.kb.sound_surnames):
                continue  # "Kadhimi" is the premier's surname before it sounds like "Kadima"
            out.append(e)
        return out

    def _take_kb_match(self, window: list[Token], entry: IndexEntry) -> None:
        first, last = _with_article(window[0]), window[-1]
        if entry.rule == "place":
            self.blocked.update(range(first.i, last.i + 1))
            return
        if self._inside_place_entity(first, last):
            return
        if entry.rule == "metonym" and self._used_as_place(first, last):
            return
        actor = self._kb_actor(entry.actor)
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
        self._add(first, last, actor, entry.rule, sector)

    def _some_of_the_people(self, tok: Token) -> bool:
        """Whether a plural demonym names particular people rather than the nation: it
        is counted or qualified ("hundreds of Iraqis", "many Iranians", "ordinary
        Iraqis"), or placed ("Iraqis in the city", "Iranians of the region")."""
        for child in tok.children:
            if child.dep_ in ("nummod", "amod") or child.lower_ in _QUANTIFIERS:
                return True
            if child.dep_ == "prep" and child.lower_ in ("in", "of", "from", "across",
                                                          "inside", "living"):
                return True
        head = tok.head
        return tok.dep_ == "pobj" and head.lower_ == "of" and (
            head.head.like_num or head.head.lower_ in _QUANTIFIERS
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
        if head.dep_ == "pobj" and head.head.lower_ in preps:
            return True
        nxt = self.doc[last.i + 1: last.i + 3]
        return len(nxt) == 2 and nxt[0].text in "-‐" and nxt[1].lower_ == "based"

    def _group_noun_tail(self, last: Token) -> tuple[Token, str | None]:
        """Extend a state mention over following group nouns: "Iraqi army troops"."""
        sectors = []
        i = last.i + 1
        # "Iraq's cabinet": a possessive between state and body
        if i + 1 < len(self.doc) and self.doc[i].lower_ in _POSSESSIVE and \
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

    # -- 2. named entities the KB lacks ------------------------------------------

    def _resolve_entities(self) -> None:
        skip = {s.lower() for s in self.kb.rules.get("not_actor_entities") or []}
        parts = [(part, ent.label_) for ent in self.doc.ents if ent.label_ in ACTOR_LABELS
                 for part in entity_parts(ent)]
        for part, label in parts:
            span = self._strip(part)
            if span is None or span.text.lower() in skip or is_junk(span, label, self.kb):
                continue
            inner = {self.covered[i] for i in range(span.start, span.end) if i in self.covered}
            if any(i in self.blocked or (i in self.place_tokens and i not in self.covered)
                   for i in range(span.start, span.end)):
                continue  # a place the tagger took for a person or organisation
            if inner:
                whole = all(i in self.covered for i in range(span.start, span.end)
                            if token_key(self.doc[i].text) not in SKIP_TOKENS)
                weak = all(m.rule in ("demonym", "metonym") for m in inner)
                if whole or not (weak and label == "ORG"):
                    continue
                self._drop(inner)
            self._resolve_entity(span, label)

    def _resolve_misspelt_names(self) -> None:
        """Capitalised words outside entities one typo from a KB name ("Sadrrists")."""
        for tok in self.doc:
            if tok.i in self.covered or tok.i in self.blocked or tok.ent_type_ \
                    or not tok.text[:1].isupper() or tok.pos_ not in ("PROPN", "NOUN"):
                continue
            near = self.kb.near_miss(token_key(tok.text))
            if near is not None:
                self._add(tok, tok, self._kb_actor(near), "alias")

    def _strip(self, ent: Span) -> Span | None:
        """The entity without leading titles, determiners and a trailing possessive."""
        start, end = ent.start, ent.end
        while start < end and (self.doc[end - 1].lower_ in _POSSESSIVE
                               or self.doc[end - 1].is_punct):
            end -= 1
        while start < end and self.doc[start].is_punct:
            start += 1
        changed = True
        while changed and start < end:
            changed = False
            if self.doc[start].lower_ in ("the", "a", "an"):
                start += 1
                changed = True
                continue
            for length in range(min(4, end - start - 1), 0, -1):
                key = tuple(token_key(t.text) for t in self.doc[start:start + length])
                if key in self.kb.titles:
                    start += length
                    changed = True
                    break
        return self.doc[start:end] if start < end else None

    def _drop(self, mentions: Iterable[Mention]) -> None:
        for m in mentions:
            self.result.mentions.remove(m)
            for i, cov in list(self.covered.items()):
                if cov is m:
                    del self.covered[i]

    def _resolve_entity(self, span: Span, label: str) -> None:
        words = [t for t in span if token_key(t.text) not in SKIP_TOKENS]
        if not words:
            return
        if label in ("PERSON", "ORG") and len(words) == 1:
            actor_id = self._surname_actor(token_key(words[0].text), kb_too=label == "PERSON")
            if actor_id:
                actor = self.result.actors.get(actor_id) or self._kb_actor(actor_id)
                self._add(span[0], span[-1], actor, "surname")
                return
        if len(words) == 1 and words[0].text[:1].isupper():
            near = self.kb.near_miss(token_key(words[0].text))
            if near is not None:  # a misspelt known name ("Sadarists")
                self._add(span[0], span[-1], self._kb_actor(near), "alias")
                return
        if label == "ORG" and self._unqualified_body(span):
            return
        owner = self._possessive_state_body(span)
        if owner is not None and label == "ORG":
            # "the US Army's 82nd Airborne Division": a unit of a state's body is that state
            self._add(span[0], span[-1], self.result.actors[owner.actor], "unit", owner.sector)
            return
        if self._mistagged_place(span.text, label, len(words)):
            return  # "Sinjar" tagged as an organisation, "Erbil" as a person
        if label == "NORP":
            if span[-1].tag_ not in ("NNPS", "NNS"):
                return  # an adjective ("Shiite"), not a group
            self._add(span[0], span[-1], self._provisional(span.text, "group"), "provisional")
            return
        kind = "person" if label == "PERSON" else "organization"
        if label == "PERSON" and len(words) == 1 and not words[0].text[:1].isupper():
            return
        if label == "PERSON" and len(words) > 2:
            known = self._person_by_first_and_last(words[0].text, words[-1].text)
            if known is not None:  # "Nuri Kamal al-Maliki": a middle name the KB lacks
                self._add(span[0], span[-1], self._kb_or_local(known), "alias")
                return
        self._add(span[0], span[-1], self._provisional(span.text, kind), "provisional")

    def _person_by_first_and_last(self, first: str, last: str) -> str | None:
        """The one person, named here before or in the KB, whose names have this first and
        last part by sound."""
        want = (sound_key(token_key(first)), sound_key(token_key(last)))
        found = set()
        people = [a for a in self.result.actors.values() if a.kind == "person"]
        people += [self.kb.actors[i] for i in self.kb.sound_surnames.get(want[1], [])]
        for actor in people:
            for name in (actor.name, *actor.aliases):
                # only two-part names: the text adds a middle name, it does not drop one
                # ("Mohammad Ali Hosseini" is not a man whose six names end in Husseini)
                key = [k for k in self.kb.key(name) if k not in _NAME_PARTICLES]
                if len(key) == 2 and (sound_key(key[0]), sound_key(key[-1])) == want:
                    found.add(actor.id)
        return next(iter(found)) if len(found) == 1 else None

    def _unqualified_body(self, span: Span) -> bool:
        """"the Foreign Ministry", "the Interior Ministry" named without a country: a body
        of the state the story is set in (see _resolve_unqualified_bodies), never an
        organisation of its own. Returns whether the span was such a body."""
        words = [t for t in span if t.lower_ not in ("of", "the", "and")]
        nouns = self.kb.group_nouns
        sector = nouns.get(span.text.lower()) or nouns.get(" ".join(t.lower_ for t in words))
        if sector is None and all(self._group_sector(t) or t.lower_ in _BODY_WORDS
                                  for t in words):
            sector = next((self._group_sector(t) for t in words if self._group_sector(t)), None)
        if sector is None:
            return False
        owner = self.covered.get(span.start - 2) if span.start >= 2 \
            and self.doc[span.start - 1].lower_ in _POSSESSIVE else None
        if owner is not None and self.result.actors[owner.actor].kind == "state":
            state = self.result.actors[owner.actor]  # "Iran's Foreign Ministry"
            force = self.kb.force_of(state.id, sector)
            self._add(span[0], span[-1], self._kb_actor(force) if force else state,
                      owner.rule, sector)
        elif self.home_state is not None:
            state = self._kb_actor(self.home_state)
            force = self.kb.force_of(state.id, sector)
            self._add(span[0], span[-1], self._kb_actor(force) if force else state,
                      "context", sector)
        return True

    def _possessive_state_body(self, span: Span) -> Mention | None:
        """The state body ("the US Army", "Iraq's interior ministry") owning ``span``."""
        if span.start < 2 or self.doc[span.start - 1].lower_ not in _POSSESSIVE:
            return None
        owner = self.covered.get(span.start - 2)
        if owner is None or self.result.actors[owner.actor].kind != "state" \
                or owner.sector in (None, "CVL"):
            return None
        return owner

    def _mistagged_place(self, name: str, label: str, n_words: int) -> bool:
        if self.gazetteer is None or label == "NORP":
            return False
        candidates = self.gazetteer.lookup(name)
        if label == "ORG":
            return bool(candidates)
        # A one-word "person" is a place only when it is a well-known one: many surnames
        # are also the names of small towns.
        return n_words == 1 and any(c.curated or c.population >= MAJOR_PLACE_POPULATION
                                    for c in candidates)

    def _surname_actor(self, surname: str, kb_too: bool = True) -> str | None:
        """A person named earlier in this text (by surname, or by a first name as with
        "Saddam"), else a unique KB person in office."""
        for part in (-1, 0):
            for m in reversed(self.result.mentions):
                actor = self.result.actors[m.actor]
                if actor.kind != "person" or m.rule == "pronoun":
                    continue
                keys = [self.kb.key(n) for n in (actor.name, *actor.aliases)]
                if any(len(k) > 1 and sound_key(k[part]) == sound_key(surname)
                       and k[part] not in _NAME_PARTICLES for k in keys):
                    return actor.id
        if not kb_too:
            return None
        candidates = self.kb.surnames.get(surname) or self.kb.sound_surnames.get(
            sound_key(surname), []) if len(surname) >= MIN_SOUND_SURNAME else \
            self.kb.surnames.get(surname, [])
        if self.year is not None and len(candidates) > 1:
            active = [c for c in candidates if self.kb.held_role(c, self.year)]
            candidates = active or candidates
        return candidates[0] if len(candidates) == 1 else None

    # -- 3. acronyms defined in the text ----------------------------------------

    def _resolve_defined_acronyms(self) -> None:
        doc = self.doc
        for tok in doc:
            if tok.text != "(" or tok.i < 1 or tok.i + 2 >= len(doc) or doc[tok.i + 2].text != ")":
                continue
            acronym = doc[tok.i + 1]
            if not is_acronym(acronym.text):
                continue
            actor = self._defined_by(acronym.text.replace(".", "").lower(), tok.i)
            if actor is None:
                continue
            self.local_aliases[(token_key(acronym.text),)] = actor.id
        if not self.local_aliases:
            return
        for m in list(self.result.mentions):
            actor_id = self.local_aliases.get(self.kb.key(m.text))
            if actor_id and m.rule == "provisional" and m.actor != actor_id:
                m.actor, m.rule = actor_id, "acronym"
        for tok in doc:
            actor_id = self.local_aliases.get((token_key(tok.text),))
            if actor_id and tok.i not in self.covered and tok.text.isupper():
                self._add(tok, tok, self.result.actors[actor_id], "acronym")
        self._forget_unused_actors()

    def _defined_by(self, letters: str, paren: int) -> Actor | None:
        """The actor whose name, just before "(ACR)", the acronym abbreviates."""
        words: list[Token] = []
        i = paren - 1
        # Walk back over the name: capitalised words and the small words inside names.
        while i >= 0 and (self.doc[i].text[:1].isupper() or self.doc[i].lower_ in _NAME_GLUE):
            words.insert(0, self.doc[i])
            initials = "".join(t.text[0].lower() for t in words if t.text[:1].isalpha())
            if words[0].text[:1].isupper() and initials[:1] == letters[:1] \
                    and _letters_within(letters, initials):
                inner = {self.covered[t.i] for t in words if t.i in self.covered}
                if len(inner) == 1:
                    only = next(iter(inner))
                    if only.start <= words[0].idx:
                        return self.result.actors[only.actor]
                if inner and not all(m.rule in ("demonym", "metonym", "alias", "acronym")
                                     and self.result.actors[m.actor].kind == "state"
                                     for m in inner):
                    return None
                self._drop(inner)
                span = self.doc[words[0].i:words[-1].i + 1]
                actor = self._provisional(span.text, "organization")
                self._add(span[0], span[-1], actor, "provisional")
                return actor
            i -= 1
        return None

    def _forget_unused_actors(self) -> None:
        used = {m.actor for m in self.result.mentions}
        for actor_id in [a for a in self.result.actors if a not in used]:
            del self.result.actors[actor_id]

    # -- 4. "X's followers" -------------------------------------------------------

    def _resolve_followers(self) -> None:
        nouns = set(self.kb.rules.get("follower_nouns") or [])
        for m in list(self.result.mentions):
            actor = self.result.actors[m.actor]
            if actor.kind != "person":
                continue
            last = self._token_ending_at(m.end)
            if last is None or last.i + 2 >= len(self.doc):
                continue
            poss, noun = self.doc[last.i + 1], self.doc[last.i + 2]
            if poss.lower_ not in _POSSESSIVE or noun.lower_ not in nouns or noun.i in self.covered:
                continue
            org = self._led_organisation(actor)
            if org:
                self._add(noun, noun, self._kb_actor(org), "follower")

    def _resolve_bodies_of_states(self) -> None:
        """"the government of Iraq" is Iraq (GOV), like "the Iraqi government"."""
        for m in list(self.result.mentions):
            actor = self.result.actors[m.actor]
            first = self.token_starting_at.get(m.start)
            if actor.kind != "state" or first is None or first.i < 2:
                continue
            of, body = self.doc[first.i - 1], self.doc[first.i - 2]
            sector = self._group_sector(body)
            if of.lower_ != "of" or not sector or body.i in self.covered:
                continue
            self._drop([m])
            self._add(body, self.token_ending_at[m.end], actor, m.rule, sector)

    def _led_organisation(self, actor: Actor) -> str | None:
        for role in self.kb.held_role(actor.id, self.year) if actor.id in self.kb.actors else []:
            if role.get("of") in self.kb.actors and self.kb.actors[role["of"]].kind != "state":
                return role["of"]
        for aff in actor.affiliations:
            led = aff.get("actor")
            if aff.get("relation") in ("leader_of", "member_of") and led in self.kb.actors:
                return led
        return None

    def _token_ending_at(self, end: int) -> Token | None:
        return self.token_ending_at.get(end)

    # -- 5. role references -------------------------------------------------------

    def _resolve_roles(self) -> None:
        roles = self.kb.role_nouns
        for tok in self.doc:
            role = roles.get(tok.lower_)
            if role is None or tok.pos_ != "NOUN":
                continue
            first = tok
            # two-word roles ("prime minister") keyed by their last word's predecessor
            prev = self.doc[tok.i - 1] if tok.i > 0 else None
            if prev is not None and f"{prev.lower_} {tok.lower_}" in roles:
                role, first = roles[f"{prev.lower_} {tok.lower_}"], prev
            det = [c for c in tok.children if c.dep_ == "det" and c.lower_ == "the"]
            if not det:
                continue
            country_mention = next((self.covered[c.i] for c in tok.children
                                    if c.i in self.covered and c.i < tok.i), None)
            if any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
                continue  # "the leader of X" names the role of X, not a person in context
            person = self._person_for_role(tok.lower_, role, country_mention, before=first.idx)
            if person is None:
                continue
            if country_mention is not None:
                self._drop([country_mention])
            self._add(det[0] if det[0].i < first.i else first, tok, self._kb_or_local(person),
                      "role", role.get("sector"))

    def _person_for_role(self, noun: str, role: dict, country: Mention | None,
                         before: int) -> str | None:
        country_code = self.result.actors[country.actor].country if country else None
        for m in reversed(self.result.mentions):
            if m.start >= before:
                continue
            actor = self.result.actors[m.actor]
            if actor.kind != "person":
                continue
            if country_code and actor.country and actor.country != country_code:
                continue
            titles = " ".join(r.get("title", "") for r in actor.roles).lower()
            if noun in titles or (role.get("sector") and role.get("sector") == actor.sector):
                return actor.id
        return None

    def _kb_or_local(self, actor_id: str) -> Actor:
        return self.result.actors.get(actor_id) or self._kb_actor(actor_id)

    def _resolve_definite_organisations(self) -> None:
        """"the group", "the organisation" -> the organisation named shortly before."""
        nouns = set(self.kb.rules.get("definite_org_nouns") or [])
        window = int(self.kb.rules.get("definite_window_sentences", 3))
        for tok in self.doc:
            if tok.lower_ not in nouns or tok.i in self.covered or tok.tag_ != "NN":
                continue
            if not any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in tok.children):
                continue
            if any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
                continue  # "the militia of X" is defined by what follows, not what came before
            sent = self.sent_of[tok.i]
            earlier = [m for m in self.result.mentions if m.start < tok.idx]
            salience = Counter(m.actor for m in earlier)
            candidates = [m for m in earlier
                          if m.sentence is not None and sent - m.sentence <= window
                          and self.result.actors[m.actor].kind in ("organization", "group")
                          and not m.actor.startswith("g:")]
            if candidates:
                # the organisation the text is about: most mentioned so far, then most recent
                best = max(candidates, key=lambda m: (salience[m.actor], m.start))
                self._add(tok, tok, self.result.actors[best.actor], "coreference", best.sector)

    def _resolve_unqualified_bodies(self) -> None:
        """"the government", "security troops", "the interior ministry" with no country
        named: the state the story is set in, by the convention of news writing."""
        if self.home_state is None:
            return
        state = self._kb_actor(self.home_state)
        nouns = set(self.kb.rules.get("unqualified_body_nouns") or [])
        for tok in self.doc:
            sector = self._group_sector(tok)
            if tok.lower_ not in nouns or not sector or tok.i in self.covered:
                continue
            if tok.dep_ == "compound" and self._group_sector(tok.head):
                continue  # "government forces": the head noun names the body
            if any(c.dep_ in ("poss", "nmod") or c.ent_type_ or c.pos_ == "PROPN"
                   or c.i in self.covered for c in tok.children if c.i < tok.i):
                continue  # "his government", "Kurdish forces": someone else's body
            if any(c.dep_ == "prep" and (c.lower_ == "of" or any(
                    t.i in self.covered for t in c.subtree)) for c in tok.children):
                continue  # "the army of X", "officials in the Bush administration": X's
            first = tok
            while first.i > 0 and self.doc[first.i - 1].dep_ == "compound" \
                    and self._group_sector(self.doc[first.i - 1]) is not None:
                first = self.doc[first.i - 1]
            force = self.kb.force_of(state.id, sector)
            actor = self._kb_actor(force) if force else state
            self._add(first, tok, actor, "context", sector)

    # -- 6. generic groups --------------------------------------------------------

    def _resolve_generic_groups(self) -> None:
        for tok in self.doc:
            group = self.kb.generic_groups.get(tok.lower_)
            if group is None or tok.i in self.covered or tok.tag_ not in ("NNS", "NNPS", "NN"):
                continue
            first = tok
            # Named modifiers belong to the group's name ("Basra protesters"); "more" does not.
            while first.i > 0 and self.doc[first.i - 1].dep_ in ("amod", "compound") \
                    and (self.doc[first.i - 1].pos_ == "PROPN" or self.doc[first.i - 1].ent_type_) \
                    and self.doc[first.i - 1].head == tok and first.i - 1 not in self.covered:
                first = self.doc[first.i - 1]
            apposed = self._apposed_mention(tok)
            if apposed is not None:
                # "the terrorists, an Arab separatist group called X": the group is X, and
                # so is a later "the terrorists".
                self.group_antecedents[tok.lemma_.lower()] = apposed.actor
                self._add(first, tok, self.result.actors[apposed.actor], "apposition")
                continue
            antecedent = self.group_antecedents.get(tok.lemma_.lower())
            if antecedent and any(c.lower_ == "the" for c in tok.children):
                self._add(first, tok, self.result.actors[antecedent], "coreference")
                continue
            name = group.get("name") or tok.lower_
            actor_id = f"g:{slug(name)}"
            # One story's unnamed gunmen, fighters and militiamen are one armed actor:
            # writers vary the noun, not the group.
            shared = set(self.kb.rules.get("one_unnamed_actor_sectors") or [])
            if group.get("sector") in shared:
                actor_id = self.unnamed_armed or actor_id
                self.unnamed_armed = actor_id
            actor = self.result.actors.get(actor_id) or Actor(
                id=actor_id, name=name, kind="group", sector=group.get("sector"),
                aliases=[name], provisional=True)
            self._add(first, tok, actor, "group", group.get("sector"))

    def _apposed_mention(self, tok: Token) -> Mention | None:
        """A named actor in apposition to a group noun, directly or through "called X"."""
        called = self._called_after_comma(tok)
        if called is not None:
            return called
        for child in tok.children:
            if child.dep_ != "appos":
                continue
            for t in child.subtree:
                if t.i in self.covered and self.covered[t.i].rule not in ("demonym", "group") \
                        and not _under(t, child, ("prep", "poss")) \
                        and self.doc[max(t.i - 1, 0)].text != "(":
                    return self.covered[t.i]
        return None

    def _called_after_comma(self, tok: Token) -> Mention | None:
        """"the terrorists, a group called X": the parser often misses this apposition."""
        doc = self.doc
        if tok.i + 1 >= len(doc) or doc[tok.i + 1].text != ",":
            return None
        for t in doc[tok.i + 2: tok.i + 10]:
            if t.is_punct or t.pos_ in ("VERB", "AUX") and t.lemma_ not in _NAMING_VERBS:
                return None
            if t.lemma_ in _NAMING_VERBS and t.i + 1 < len(doc):
                nxt = doc[t.i + 2] if doc[t.i + 1].lower_ == "as" and t.i + 2 < len(doc) \
                    else doc[t.i + 1]
                m = self.covered.get(nxt.i)
                return m if m is not None and m.rule not in ("demonym", "group") else None
        return None

    # -- 7. pronouns ----------------------------------------------------------------

    def _resolve_pronouns(self) -> None:
        pronouns = self.kb.rules.get("pronouns") or {}
        window = int(self.kb.rules.get("pronoun_window_sentences", 2))
        person, group = set(pronouns.get("person", [])), set(pronouns.get("group", []))
        for tok in self.doc:
            if tok.dep_ not in ("nsubj", "nsubjpass") or tok.i in self.covered:
                continue
            low = tok.lower_
            if low not in person and low not in group:
                continue
            sent = self.sent_of[tok.i]
            for m in sorted(self.result.mentions, key=lambda m: m.start, reverse=True):
                if m.start >= tok.idx or m.sentence is None or sent - m.sentence > window:
                    continue
                actor = self.result.actors[m.actor]
                if low in person and actor.kind == "person":
                    self._add(tok, tok, actor, "pronoun")
                    break
                if low in group and actor.kind != "person" and self._plural_subject(m):
                    self._add(tok, tok, actor, "pronoun", m.sector)
                    break

    def _plural_subject(self, m: Mention) -> bool:
        last = self._token_ending_at(m.end)
        return last is not None and last.tag_ in ("NNS", "NNPS") and last.dep_.startswith("nsubj")


_POSSESSIVE = ("'s", "’s")
# Words that name what a ministry is for: "Ministry of Interior", "Foreign Ministry".
_BODY_WORDS = {"foreign", "interior", "defence", "defense", "finance", "oil", "health",
               "planning", "justice", "affairs", "internal", "external", "electricity",
               "education", "trade", "national", "security", "general", "supreme"}
_QUANTIFIERS = {"many", "some", "most", "few", "several", "hundreds", "thousands", "millions",
                "dozens", "scores", "all", "ordinary", "local", "young", "other"}
_ARTICLES = ("al", "el")

# Population above which a one-word name tagged PERSON is taken for the city it names.
# Chosen, not calibrated: cities this large are rarely also surnames in the news.
MAJOR_PLACE_POPULATION = 100_000

# A story is set in a country when at least this share of its located place mentions
# lie there. Chosen, not calibrated: a majority, so that a story about two countries
# leaves "the government" unresolved rather than guessed.
HOME_SHARE = 0.5


def _home_state(places: Sequence[Place], kb: KnowledgeBase) -> str | None:
    """The KB state most of the document's places lie in, if one clearly dominates."""
    countries = Counter(p.country for p in places if p.country)
    if not countries:
        return None
    country, n = countries.most_common(1)[0]
    if n < HOME_SHARE * sum(countries.values()):
        return None
    return kb.states.get(country)

_NAMING_VERBS = {"call", "name", "know", "dub"}

# Surnames shorter than this are matched by spelling only: short names sound alike.
# Chosen, not calibrated.
MIN_SOUND_SURNAME = 5

# Name parts that identify nobody on their own ("Abu Mahdi", "bin Salman").
_NAME_PARTICLES = {"abu", "bin", "ibn", "bint", "umm", "abdul", "abd", "mohammed", "muhammad"}

_NAME_GLUE = {"of", "for", "and", "on", "in", "the", "'s", "’s", "-", "al", "el", "e", "de"}


def _letters_within(letters: str, initials: str) -> bool:
    """Every letter of the acronym among the initials, in any order: acronyms follow the
    original language's word order ("ISCI" for "Islamic Supreme Council of Iraq") or are
    mistyped ("ISIC"), and a wrong name rarely holds all the letters."""
    return not (Counter(letters) - Counter(initials))


def _with_article(first: Token) -> Token:
    """Widen a name's span over the Arabic article it starts with ("al-Qaeda", "al Sadr"):
    matching ignores the article, the mention keeps it."""
    doc, i = first.doc, first.i
    if i >= 2 and doc[i - 1].text in "-‐" and doc[i - 2].lower_ in _ARTICLES:
        return doc[i - 2]
    if i >= 1 and doc[i - 1].lower_ in _ARTICLES:
        return doc[i - 1]
    return first


def _under(tok: Token, top: Token, deps: tuple[str, ...]) -> bool:
    """Whether the path from ``tok`` up to ``top`` passes through one of ``deps``."""
    while tok != top and tok.head != tok:
        if tok.dep_ in deps:
            return True
        tok = tok.head
    return False


