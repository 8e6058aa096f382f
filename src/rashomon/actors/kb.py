"""The actor knowledge base: YAML files of actors, compiled into a token-key index.

Packaged files live in ``rashomon/data/actors/``; users add their own files of the same
format (see that folder's files for the fields). Lexicons the resolver needs (titles,
group nouns, role nouns, resolution rules) come from ``rashomon/data/lexicon/``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..datafiles import DATA, DataFileError, load_lexicon, load_yaml
from ..types import Actor
from .normalize import SKIP_TOKENS, is_acronym, sound_key, token_key

# Typo tolerance (one letter added, dropped or changed) only for single-word names this
# long: shorter names are one letter away from too many other words. Chosen, not calibrated.
MIN_FUZZY_LENGTH = 7

# One-word names shorter than this are not matched by sound: "Ali" sounds like too much.
# Chosen, not calibrated.
MIN_SOUND_LENGTH = 4

# The class word that stands for any armed body's noun in a sound key (see armed_variant).
ARMED = "#armed"

# A one-word stem that starts the names of more actors than this is a common word
# ("National", "Islamic"), not a name. Chosen, not calibrated.
MAX_STEM_SHARERS = 2

VALID_KINDS = {"person", "organization", "state", "group", "media", "other"}

# Names whose keys are kept (a few MB): the knowledge base's own names and the mentions'
# texts of a large corpus stay well below.
MAX_CACHED_KEYS = 200_000


class KnowledgeBaseError(DataFileError):
    """A knowledge-base file that cannot be used, named with the problem."""


@dataclass(frozen=True)
class IndexEntry:
    """What a name key stands for."""

    actor: str
    rule: str  # alias, acronym, demonym, metonym, place (a blocking place name)
    sector: str | None = None
    case: str = "any"  # any, title (first letter capital), upper (acronym)


@dataclass
class KnowledgeBase:
    actors: dict[str, Actor]
    index: dict[tuple[str, ...], list[IndexEntry]]
    surnames: dict[str, list[str]]  # surname key -> person actor ids
    titles: set[tuple[str, ...]]
    role_nouns: dict[str, dict[str, Any]]
    group_nouns: dict[str, str]  # noun -> sector
    generic_groups: dict[str, dict[str, Any]]  # noun -> {name, sector}
    rules: dict[str, Any]
    forces: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (state, sector)
    states: dict[str, str] = field(default_factory=dict)  # ISO alpha-2 -> state actor id
    near_names: dict[str, set[str]] = field(default_factory=dict)  # see near_miss()
    # Sound keys (normalize.sound_key) of the names of persons and organisations: the
    # transliteration variants of a name meet there. States and places are left out:
    # their English names are fixed, and "Arak" (a town) sounds like "Iraq".
    sound_index: dict[tuple[str, ...], list[IndexEntry]] = field(default_factory=dict)
    sound_surnames: dict[str, list[str]] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)  # state id -> "Iraqi"
    # Organisations' years of existence (``founded``/``dissolved`` in the actor files):
    # actor id -> (first year or None, last year or None).
    lifetimes: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    state_words: set[str] = field(default_factory=set)  # one-word state names, demonyms
    max_key_len: int = 1
    # Every beginning of an index key and of a sound key ("mahdi" of "mahdi army"): text
    # whose first words begin no name is not tried at every length (resolve._match_kb_names).
    prefixes: set[tuple[str, ...]] = field(default_factory=set, repr=False)
    tokenize: Callable[[str], list[str]] = field(default=lambda s: s.split(), repr=False)
    # (the titles, the rules' not_person_words, the words of both) as last built: asked for
    # every entity span, rebuilt only when either is replaced
    _not_names: tuple[object, object, frozenset[str]] | None = field(
        default=None, init=False, repr=False, compare=False)
    # name -> its key: every document asks again for the keys of the names and aliases of
    # the actors it mentions, and running the tokenizer costs more than the rest of a look-up
    _keys: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False, repr=False,
                                              compare=False)

    def key(self, name: str) -> tuple[str, ...]:
        """The index key of a name, as the resolver computes it for text tokens."""
        found = self._keys.get(name)
        if found is None:
            if len(self._keys) >= MAX_CACHED_KEYS:  # a new table, not cleared: another
                self._keys = {}                     # thread may be reading the old one
            found = self._keys[name] = tuple(
                k for k in (token_key(t) for t in self.tokenize(name)) if k not in SKIP_TOKENS)
        return found

    def lookup(self, name: str) -> list[IndexEntry]:
        return self.index.get(self.key(name), [])

    def sound_lookup(self, key: tuple[str, ...]) -> list[IndexEntry]:
        """Entries whose name sounds like the exact ``key`` ("Hayder al-Abadi")."""
        return self.sound_index.get(sound_of(key), [])

    def designator(self, word: str) -> bool:
        """Whether a word only says what kind of body a name is ("Alliance", "Movement")."""
        return word in self.designators

    @property
    def designators(self) -> frozenset[str]:
        return frozenset(self.rules.get("name_designators") or ())

    @property
    def not_name_words(self) -> frozenset[str]:
        """Words that alone never make a name: the rules' ``not_person_words`` and every
        word of a title."""
        listed = self.rules.get("not_person_words")
        held = self._not_names
        if held is None or held[0] is not self.titles or held[1] is not listed:
            words = frozenset({w.lower() for w in listed or []}
                              | {w for title in self.titles for w in title})
            held = self._not_names = (self.titles, listed, words)
        return held[2]

    @property
    def generic_group_heads(self) -> frozenset[str]:
        """The nouns a generic group's key ends in ("groups" of "armed groups")."""
        return frozenset(key.rsplit(" ", 1)[-1] for key in self.generic_groups)

    @property
    def expletive_verbs(self) -> frozenset[str]:
        """Verbs whose subject "it" stands for no one (``pronouns.expletive_verbs``)."""
        return expletive_verbs(self.rules)

    def armed_variant(self, key: tuple[str, ...]) -> tuple[str, ...] | None:
        """The key with its last word, an armed body's noun, replaced by the class of
        such nouns: "Mahdi Army" and "Mahdi militia" are one force."""
        if len(key) > 1 and key[-1] in (self.rules.get("armed_name_nouns") or ()):
            return (*key[:-1], ARMED)
        return None

    def force_of(self, state_id: str, sector: str) -> str | None:
        """The KB body of a state for a sector ("Iraqi troops" -> the Iraqi Army), if one.

        Several bodies of one sector: the one whose name holds the sector's default word
        ("army", "police"), else none.
        """
        default_words = self.rules.get("default_force_words") or {}
        if sector not in default_words:
            return None  # other sectors ("Israeli intelligence") stay the state's, CAMEO style
        ids = self.forces.get((state_id, sector), [])
        if len(ids) > 1:
            named = [i for i in ids if default_words[sector] in self.actors[i].name.lower()]
            return named[0] if len(named) == 1 else None
        return ids[0] if len(ids) == 1 else None

    def near_miss(self, word: str) -> str | None:
        """The one KB actor a long single-word name is one typo away from ("Sadarists")."""
        if len(word) < MIN_FUZZY_LENGTH:
            return None
        hits: set[str] = set()
        for variant in (word, *_deletions(word)):
            hits |= self.near_names.get(variant, set())
        return next(iter(hits)) if len(hits) == 1 else None

    def existed(self, actor_id: str, year: int | None) -> bool:
        """Whether an actor existed in a year (always, when either is unknown): the
        Fatah of a 2008 story is not the Iraqi alliance founded in 2017."""
        first, last = self.lifetimes.get(actor_id, (None, None))
        return year is None or ((first is None or first <= year) and (last is None or year <= last))

    def held_role(self, actor_id: str, year: int | None) -> list[dict[str, Any]]:
        """The roles an actor held in a year (all roles when the year is unknown)."""
        roles = self.actors[actor_id].roles
        if year is None:
            return roles
        return [r for r in roles if (r.get("from") or 0) <= year <= (r.get("to") or 9999)]


def expletive_verbs(rules: dict[str, Any]) -> frozenset[str]:
    """The lemmas of the resolution rules' ``pronouns.expletive_verbs``: verbs whose subject
    "it" is a dummy ("it seems", "it takes time"). The actor resolver and the event coder
    both read them from here."""
    verbs = (rules.get("pronouns") or {}).get("expletive_verbs") or ()
    return frozenset(str(v).lower() for v in verbs)


def actor_files(extra_files: Sequence[str | Path] = ()) -> list[Path]:
    return sorted((DATA / "actors").glob("*.yaml")) + [Path(p) for p in extra_files]


def _spacy_tokenizer() -> Callable[[str], list[str]]:
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    return lambda s: [t.text for t in tokenizer(s)]


@cache
def load_kb(extra_files: tuple[str, ...] = (),
            lexicon_files: tuple[str, ...] = ()) -> KnowledgeBase:
    """Load packaged and user actor files, with the resolution rules extended by users'
    lexicon files' ``resolution`` sections (cached per process for the same files)."""
    tokenize = _spacy_tokenizer()
    actors: dict[str, Actor] = {}
    raw_entries: list[tuple[Path, dict[str, Any]]] = []
    for path in actor_files(extra_files):
        entries = load_yaml(path) or []
        if not isinstance(entries, list):
            raise KnowledgeBaseError(f"{path}: expected a list of actor entries")
        for entry in entries:
            if not isinstance(entry, dict) or not entry.get("id") or not entry.get("name"):
                raise KnowledgeBaseError(f"{path}: entry without id and name: {entry!r:.80}")
            if entry.get("kind", "other") not in VALID_KINDS:
                raise KnowledgeBaseError(f"{path}: {entry['id']}: unknown kind {entry['kind']!r}")
            # A user's file may redefine a packaged actor: the later file wins.
            actors[entry["id"]] = Actor(
                id=entry["id"], name=entry["name"], kind=entry.get("kind", "other"),
                country=entry.get("country"), sector=entry.get("sector"),
                aliases=[entry["name"], *(entry.get("aliases") or [])],
                affiliations=list(entry.get("affiliations") or []),
                roles=list(entry.get("roles") or []), source=entry.get("source"),
            )
            raw_entries.append((path, entry))
    folds = _fold_branches(actors, {entry["id"]: path for path, entry in raw_entries})
    lifetimes = _lifetimes(raw_entries, actors)
    _bound_affiliations(actors, lifetimes)

    lex = DATA / "lexicon"
    titles_data = load_yaml(lex / "titles.yaml") or {}
    groups_data = load_yaml(lex / "group_nouns.yaml") or {}
    kb = KnowledgeBase(
        actors=actors, index={}, surnames={}, titles=set(),
        rules=load_lexicon("resolution", lexicon_files),
        role_nouns={k.lower(): v or {} for k, v in (titles_data.get("role_nouns") or {}).items()},
        group_nouns={k.lower(): v for k, v in _group_sectors(groups_data).items()},
        generic_groups={k.lower(): v for k, v in (groups_data.get("generic_groups") or {}).items()},
        tokenize=tokenize, lifetimes=lifetimes,
    )
    kb.titles = {kb.key(t) for t in titles_data.get("titles") or []}
    kb.state_words = {key[0] for _path, entry in raw_entries if entry.get("kind") == "state"
                      for name in [entry["name"], *(entry.get("aliases") or []),
                                   *(entry.get("demonyms") or [])]
                      if len(key := kb.key(name)) == 1}
    for _path, entry in raw_entries:
        actor_id = folds.get(entry["id"], entry["id"])
        if actor_id not in actors:
            continue
        _index_entry(kb, entry, actor_id, actors[actor_id].sector)
    for path in [DATA / "gazetteer.yaml"]:
        _index_place_names(kb, path)
    for actor in actors.values():
        if actor.kind == "state" and actor.country:
            kb.states[actor.country] = actor.id
        for aff in actor.affiliations:
            # A state's government is the state itself (CAMEO GOV): only its forces and
            # agencies stand apart.
            if aff.get("relation") == "part_of" and actor.sector not in (None, "GOV"):
                kb.forces.setdefault((aff.get("actor"), actor.sector), []).append(actor.id)
    for key, entries in kb.index.items():
        if len(key) == 1 and len(key[0]) >= MIN_FUZZY_LENGTH:
            for entry in entries:
                if entry.actor and entry.rule in ("alias", "demonym"):
                    for variant in (key[0], *_deletions(key[0])):
                        kb.near_names.setdefault(variant, set()).add(entry.actor)
    _drop_weak_stems(kb)
    kb.max_key_len = max((len(k) for k in kb.index), default=1)
    kb.prefixes = {key[:n] for keys in (kb.index, kb.sound_index) for key in keys
                   for n in range(1, len(key) + 1)}
    return kb


def _fold_branches(actors: dict[str, Actor], files: dict[str, Path]) -> dict[str, str]:
    """Fold each branch (affiliation ``branch_of``) into the force it belongs to.

    Reporting names a force by its branches ("the Quds Force", "the IRGC Navy" are the
    IRGC acting), so a branch is not an actor of its own: its names become names of the
    force, and roles and affiliations that point at it point at the force. An entry that
    should stand apart uses ``part_of`` instead. Returns branch id -> force id.
    """
    parent_of: dict[str, str] = {}
    for actor in actors.values():
        parents = [a.get("actor") for a in actor.affiliations if a.get("relation") == "branch_of"]
        if not parents:
            continue
        if len(parents) > 1 or parents[0] not in actors or actor.kind == "person":
            raise KnowledgeBaseError(f"{files[actor.id]}: {actor.id}: branch_of needs one "
                                     f"known organisation, got {', '.join(map(str, parents))}")
        parent_of[actor.id] = parents[0]
    folds: dict[str, str] = {}
    for branch in parent_of:
        root, seen = branch, {branch}
        while root in parent_of:
            root = parent_of[root]
            if root in seen:
                raise KnowledgeBaseError(f"{files[branch]}: {branch}: branch_of forms a cycle")
            seen.add(root)
        folds[branch] = root
    for branch, root in folds.items():
        force = actors[root]
        force.aliases.extend(n for n in actors[branch].aliases if n not in force.aliases)
    for branch in folds:
        del actors[branch]
    for actor in actors.values():
        actor.roles = [{**r, "of": folds.get(r.get("of"), r.get("of"))} for r in actor.roles]
        actor.affiliations = [{**a, "actor": folds.get(a.get("actor"), a.get("actor"))}
                              for a in actor.affiliations]
    return folds


def _lifetimes(raw_entries: list[tuple[Path, dict[str, Any]]],
               actors: dict[str, Actor]) -> dict[str, tuple[int | None, int | None]]:
    """``founded``/``dissolved`` years per actor, checked: whole years, in order."""
    lifetimes: dict[str, tuple[int | None, int | None]] = {}
    for path, entry in raw_entries:
        years = [entry.get("founded"), entry.get("dissolved")]
        if years == [None, None] or entry["id"] not in actors:
            continue
        if any(y is not None and (isinstance(y, bool) or not isinstance(y, int)) for y in years):
            raise KnowledgeBaseError(f"{path}: {entry['id']}: founded and dissolved must be "
                                     f"years, got {years[0]!r} and {years[1]!r}")
        if None not in years and years[0] > years[1]:
            raise KnowledgeBaseError(f"{path}: {entry['id']}: dissolved ({years[1]}) before "
                                     f"founded ({years[0]})")
        lifetimes[entry["id"]] = (years[0], years[1])
    return lifetimes


def _bound_affiliations(actors: dict[str, Actor],
                        lifetimes: dict[str, tuple[int | None, int | None]]) -> None:
    """An affiliation holds only while both of its ends exist: the Supreme Council is a
    member of the Coordination Framework from the Framework's founding (2021), not in a
    2008 story. The years become the affiliation's ``from``/``to``, which relations
    already honour."""
    for actor in actors.values():
        bounded = []
        for aff in actor.affiliations:
            start, end = aff.get("from"), aff.get("to")
            for first, last in (lifetimes.get(actor.id, (None, None)),
                                lifetimes.get(aff.get("actor"), (None, None))):
                start = first if start is None else (start if first is None else max(start, first))
                end = last if end is None else (end if last is None else min(end, last))
            bounded.append({**aff, **({"from": start} if start is not None else {}),
                            **({"to": end} if end is not None else {})})
        actor.affiliations = bounded


def _group_sectors(data: dict[str, Any]) -> dict[str, str]:
    """group_nouns.yaml maps nouns to sectors, directly or as {sector: ...}."""
    table = data.get("group_nouns") or data.get("nouns") or {}
    return {noun: (v["sector"] if isinstance(v, dict) else v) for noun, v in table.items() if v}


def _add(kb: KnowledgeBase, name: str, entry: IndexEntry) -> None:
    key = kb.key(name)
    if not key:
        return
    entries = kb.index.setdefault(key, [])
    if entry not in entries:
        entries.append(entry)


def _case_of(name: str) -> str:
    if is_acronym(name):
        return "upper"
    return "title" if len(name.split()) == 1 else "any"


def sound_of(key: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sound_key(k) for k in key)


def _index_entry(kb: KnowledgeBase, entry: dict[str, Any], actor_id: str,
                 sector: str | None) -> None:
    """Index an entry's names as names of ``actor_id`` (the entry, or the force it is a
    branch of)."""
    for name in [entry["name"], *(entry.get("aliases") or [])]:
        rule = "acronym" if is_acronym(name) else "alias"
        _add(kb, name, IndexEntry(actor_id, rule, sector, _case_of(name)))
        if rule == "alias" and entry.get("kind") not in ("state", None, "other"):
            _add_sound(kb, kb.key(name), IndexEntry(actor_id, "alias", sector, "title"))
            key = kb.key(name)
            # "Fatah Alliance" is also called "Fatah": the stem names the body when the
            # story's country, year or people point to it (the resolver chooses).
            if entry.get("kind") != "person" and len(key) > 1 and kb.designator(key[-1]):
                _add_sound(kb, key[:-1], IndexEntry(actor_id, "stem", sector, "title"))
            armed = kb.armed_variant(key) if entry.get("kind") != "person" else None
            # not for a state's own force: "Iraqi militia" is not the Iraqi Army
            if armed is not None and key[0] not in kb.state_words:
                _add_sound(kb, armed, IndexEntry(actor_id, "alias", sector, "title"))
    if entry.get("demonyms") and entry.get("kind") == "state":
        kb.demonyms.setdefault(actor_id, entry["demonyms"][0])
    for demonym in entry.get("demonyms") or []:
        _add(kb, demonym, IndexEntry(actor_id, "demonym", None, "title"))
    for name, metonym_sector in (entry.get("metonyms") or {}).items():
        _add(kb, name, IndexEntry(actor_id, "metonym", metonym_sector, _case_of(name)))
    if entry.get("kind") == "person":
        for name in [entry["name"], *(entry.get("aliases") or [])]:
            key = kb.key(name)
            if len(key) > 1:
                for table, surname in ((kb.surnames, key[-1]),
                                       (kb.sound_surnames, sound_key(key[-1]))):
                    ids = table.setdefault(surname, [])
                    if actor_id not in ids:
                        ids.append(actor_id)


def _drop_weak_stems(kb: KnowledgeBase) -> None:
    """A one-word stem names its body only if no person is called so ("Sadr" of "Sadr
    Movement") and few other names start with it ("National" of "National Coalition")."""
    starts: dict[str, set[str]] = {}
    for key, entries in kb.index.items():
        for e in entries:
            if len(key) > 1 and e.actor:
                starts.setdefault(sound_key(key[0]), set()).add(e.actor)
    for key, entries in list(kb.sound_index.items()):
        if len(key) != 1:
            continue
        weak = key[0] in kb.sound_surnames or len(starts.get(key[0], ())) > MAX_STEM_SHARERS
        kept = [e for e in entries if not (weak and e.rule == "stem")]
        if kept:
            kb.sound_index[key] = kept
        else:
            del kb.sound_index[key]


def _add_sound(kb: KnowledgeBase, key: tuple[str, ...], entry: IndexEntry) -> None:
    if not key or (len(key) == 1 and len(key[0]) < MIN_SOUND_LENGTH):
        return
    entries = kb.sound_index.setdefault(sound_of(key), [])
    if entry not in entries:
        entries.append(entry)


def _index_place_names(kb: KnowledgeBase, path: Path) -> None:
    """Multi-word place names block actor readings inside them ("Sadr City" is not Sadr)."""
    if not path.exists():
        return
    data = load_yaml(path) or []
    entries = data.get("places", []) if isinstance(data, dict) else data
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        for name in [entry.get("name"), *(entry.get("aliases") or [])]:
            if name and len(kb.key(name)) > 1 and kb.key(name) not in kb.index:
                _add(kb, name, IndexEntry("", "place", None, "title"))


def _deletions(word: str) -> set[str]:
    """The word with one letter dropped: two words share one when they are a typo apart."""
    return {word[:i] + word[i + 1:] for i in range(len(word))}
