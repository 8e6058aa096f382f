"""Constants and token helpers shared by the actor resolver's rule sets."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from spacy.tokens import Token

from ..types import Place
from .kb import KnowledgeBase

ACTOR_LABELS = {"PERSON", "ORG", "NORP"}
# Where a proper noun the tagger missed is still taken for a name: subject or object of a
# verb (see NamedEntityRules._resolve_untagged_names).
ARGUMENT_SLOTS = {"nsubj", "nsubjpass", "dobj"}
# Labels the tagger gives a lone surname it does not know ("Kasich" GPE, "Erdogan" at the
# end of a phrase GPE, "Hansen" WORK_OF_ART): in an argument slot and unknown as a place,
# such a word is read as a name (see NamedEntityRules._resolve_untagged_names).
NAME_LIKE_LABELS = {"GPE", "LOC", "FAC", "PRODUCT", "WORK_OF_ART"}
# MIL first: "US military officials" and "Iraqi government troops" are armed forces.
SECTOR_PRIORITY = ["MIL", "SPY", "COP", "GOV", "LEG", "JUD", "REB", "INS"]


POSSESSIVE = ("'s", "’s")
# Hyphens that glue two words of one name ("KDP-Iran") or of one modifier ("US-backed").
HYPHENS = frozenset({"-", "‐", "‑"})
# Words that name what a ministry is for: "Ministry of Interior", "Foreign Ministry".
BODY_WORDS = {"foreign", "interior", "defence", "defense", "finance", "oil", "health",
               "planning", "justice", "affairs", "internal", "external", "electricity",
               "education", "trade", "national", "security", "general", "supreme"}
# Sectors an armed description ("the militia") fits, besides a non-state MIL body (the PMF).
ARMED_SECTORS = {"REB", "INS", "MIL"}
# Prepositions that place people ("Iraqis in Basra", "Iranians of the region"), and how
# many words such a phrase may run to in a mention (chosen, not calibrated).
PEOPLE_PLACE_PREPS = ("in", "of", "from", "across", "inside")
MAX_PLACE_PHRASE = 5
QUANTIFIERS = {"many", "some", "most", "few", "several", "hundreds", "thousands", "millions",
                "dozens", "scores", "all", "ordinary", "local", "young", "other"}
ARTICLES = ("al", "el")

# Population above which a one-word name tagged PERSON is taken for the city it names.
# Chosen, not calibrated: cities this large are rarely also surnames in the news.
MAJOR_PLACE_POPULATION = 100_000
# Population above which a city's alternate name (a spelling other than its own) still marks
# an ORG-tagged word as that city ("Basra" for Basrah). Geonames' alternates of smaller
# cities include brands, nicknames and acronyms ("Google" for Topeka, "IRS" for Eruh).
# Chosen, not calibrated.
ALTERNATE_PLACE_POPULATION = 1_000_000

# A story is set in a country when at least this share of its located place mentions
# lie there. Chosen, not calibrated: a majority, so that a story about two countries
# leaves "the government" unresolved rather than guessed.
HOME_SHARE = 0.5


def home_state(places: Sequence[Place], kb: KnowledgeBase) -> str | None:
    """The KB state most of the document's places lie in, if one clearly dominates."""
    countries = Counter(p.country for p in places if p.country)
    if not countries:
        return None
    country, n = countries.most_common(1)[0]
    if n < HOME_SHARE * sum(countries.values()):
        return None
    return kb.states.get(country)

NAMING_VERBS = {"call", "name", "know", "dub"}

# Surnames shorter than this are matched by spelling only: short names sound alike.
# Chosen, not calibrated.
MIN_SOUND_SURNAME = 5

# Name parts that identify nobody on their own ("Abu Mahdi", "bin Salman").
NAME_PARTICLES = {"abu", "bin", "ibn", "bint", "umm", "abdul", "abd", "mohammed", "muhammad"}

NAME_GLUE = {"of", "for", "and", "on", "in", "the", "'s", "’s", "-", "al", "el", "e", "de"}


def letters_within(letters: str, initials: str) -> bool:
    """Every letter of the acronym among the initials, in any order: acronyms follow the
    original language's word order ("ISCI" for "Islamic Supreme Council of Iraq") or are
    mistyped ("ISIC"), and a wrong name rarely holds all the letters."""
    return not (Counter(letters) - Counter(initials))


def with_article(first: Token) -> Token:
    """Widen a name's span over the Arabic article it starts with ("al-Qaeda", "al Sadr"):
    matching ignores the article, the mention keeps it."""
    doc, i = first.doc, first.i
    if i >= 2 and doc[i - 1].text in "-‐" and doc[i - 2].lower_ in ARTICLES:
        return doc[i - 2]
    if i >= 1 and doc[i - 1].lower_ in ARTICLES:
        return doc[i - 1]
    return first


def under(tok: Token, top: Token, deps: tuple[str, ...]) -> bool:
    """Whether the path from ``tok`` up to ``top`` passes through one of ``deps``."""
    while tok != top and tok.head != tok:
        if tok.dep_ in deps:
            return True
        tok = tok.head
    return False
