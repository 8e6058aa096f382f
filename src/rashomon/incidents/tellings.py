"""One incident's tellings side by side, per outlet, and where they contradict each other.

A telling is one event of an incident as one document tells it: the perpetrator
(``named``, ``unnamed``, or ``blamed`` when the text names nobody but a claim in the same
sentence or the next accuses someone), the target, the modality (asserted, reported,
alleged, denied, ...), the attribution chain (who the outlet says says so), the words the
document uses for each actor, the numbers it gives (killed, wounded, ...), and the date.

Contradictions are found between tellings of different outlets: different perpetrators
(with nothing in common up the knowledge base's affiliations: an army and its state
agree), an act one
asserts and the other denies, numbers of the same kind that disagree, and day-precise
dates the texts give the act more than a day apart (a report's own date is no
claim). Each carries the evidence of both sides.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from ..datafiles import load_lexicon
from ..outlet_registry import document_date, outlet_name
from ..types import Actor, Analysis, Claim, Document, Event, Incident, Mention

NO_OUTLET = "(no outlet)"

# Cue types by which a speaker pins an act on someone.
BLAMING_CUES = frozenset({"accuse", "condemn", "assert", "believe"})
# Modalities that state the act did not happen or was not done by the one named.
DENYING = frozenset({"denied"})

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "dozens": 24, "dozen": 12,
    "scores": 40, "hundreds": 200, "thousands": 2000,
}
# What a number counts, by the words that follow it (stems); one number, one kind.
NUMBER_KINDS = {
    "killed": ("kill", "dead", "die", "death", "fatalit", "martyr", "slain", "casualt"),
    "wounded": ("wound", "injur", "hurt"),
    "arrested": ("arrest", "detain", "captur", "held"),
    "missiles": ("missile", "rocket", "drone", "mortar", "shell"),
}
NUMBER = re.compile(
    r"\b(\d[\d,]*|" + "|".join(NUMBER_WORDS) + r")\b(?=((?:\s+[\w-]+){0,4}))", re.IGNORECASE)


@dataclass
class Telling:
    event: str
    document: str
    outlet: str
    type: str
    perpetrator: str | None
    perpetrator_as: str  # named, unnamed, blamed
    blamed_by: list[str]  # claim ids that pin the act on ``blamed``
    blamed: list[str]  # actors a claim pins it on, when the text names no perpetrator
    target: str | None
    modality: str
    chain: list[str]  # who the outlet says reports it, nearest first
    labels: dict[str, list[str]]  # actor -> the words the document uses for it
    numbers: dict[str, int]  # kind (killed, wounded, ...) -> number told
    date: str | None  # the date the text gives the act
    published: str | None  # the report's date, for tellings the text does not date
    sentence: str
    start: int
    end: int


@dataclass
class Contradiction:
    kind: str  # perpetrator, denial, numbers, date
    description: str
    outlets: tuple[str, str]
    evidence: tuple[list[str], list[str]]  # event ids of each side


@dataclass
class IncidentView:
    incident: Incident
    tellings: dict[str, list[Telling]]  # outlet -> its tellings, in text order
    contradictions: list[Contradiction] = field(default_factory=list)

    @property
    def outlets(self) -> list[str]:
        return sorted(self.tellings)


def incident_views(analysis: Analysis, multi_only: bool = False) -> list[IncidentView]:
    """Every incident with its tellings per outlet; ``multi_only``: told by 2+ documents."""
    docs = {d.id: d for d in analysis.documents}
    events = {e.id: e for e in analysis.events}
    mentions: dict[str, list[Mention]] = defaultdict(list)
    for m in analysis.mentions:
        if not m.in_comment:
            mentions[m.document].append(m)
    claims: dict[str, list[Claim]] = defaultdict(list)
    for c in analysis.claims:
        if not c.in_comment:
            claims[c.document].append(c)
    kb = {a.id: a for a in analysis.actors}
    names = {a.id: a.name for a in analysis.actors}
    views = []
    for incident in analysis.incidents:
        if multi_only and len(incident.documents) < 2:
            continue
        per_outlet: dict[str, list[Telling]] = defaultdict(list)
        for event_id in incident.events:
            e = events.get(event_id)
            if e is None:
                continue
            doc = docs.get(e.document)
            telling = tell(e, doc, mentions[e.document], claims[e.document], kb)
            per_outlet[telling.outlet].append(telling)
        for tellings in per_outlet.values():
            tellings.sort(key=lambda t: (t.document, t.start))
        view = IncidentView(incident, dict(sorted(per_outlet.items())))
        view.contradictions = contradictions(view, kb, names)
        views.append(view)
    return views


def select(views: list[IncidentView], actors: set[str] | None = None,
           outlet: str | None = None, period: str | None = None) -> list[IncidentView]:
    """Incidents naming one of ``actors``, told by an outlet whose name holds ``outlet``
    (case-insensitive), dated in ``period`` (YYYY or YYYY-MM)."""
    return [
        v for v in views
        if matches(v.incident, actors, period)
        and (outlet is None or any(outlet.lower() in o.lower() for o in v.tellings))
    ]


def matches(incident: Incident, actors: set[str] | None = None,
            period: str | None = None) -> bool:
    """Whether an incident names one of ``actors`` and is dated in ``period``: the filters
    that need no telling."""
    return ((actors is None or bool(actors & set(incident.actors)))
            and (period is None or (incident.date or "").startswith(period)))


def tell(e: Event, doc: Document | None, mentions: list[Mention], claims: list[Claim],
         kb: dict[str, Actor]) -> Telling:
    """One event as its document tells it."""
    blaming = [] if e.source else _blaming(e, claims)
    blamed = sorted({a for c in blaming for a in c.about if a != e.target})
    labels: dict[str, list[str]] = {}
    for actor in (e.source, e.target, *blamed):
        if actor and actor not in labels:
            labels[actor] = actor_labels(actor, mentions, kb)
    modality = "denied" if e.negated else e.modality
    return Telling(
        event=e.id, document=e.document, outlet=outlet_name(doc) or NO_OUTLET, type=e.type,
        perpetrator=e.source,
        perpetrator_as="named" if e.source else ("blamed" if blamed else "unnamed"),
        blamed_by=[c.id for c in blaming if set(c.about) & set(blamed)], blamed=blamed,
        target=e.target, modality=modality, chain=list(e.reported_by), labels=labels,
        numbers=numbers(e.sentence), date=e.date, published=document_date(doc),
        sentence=e.sentence, start=e.start, end=e.end,
    )


def _blaming(e: Event, claims: list[Claim]) -> list[Claim]:
    """Claims in the event's sentence or the next two hundred characters that blame someone."""
    return [c for c in claims if c.cue_type in BLAMING_CUES and c.about
            and c.start < e.end + 200 and c.end > e.start]


def actor_labels(actor: str, mentions: list[Mention], kb: dict[str, Actor]) -> list[str]:
    """The words a document uses for an actor, most used first; loaded words marked ``!``.

    The actor's own name and aliases are left out: what is telling is "rioters" for
    people another outlet calls "protesters", not the name both use.
    """
    known = {_key(kb[actor].name), *(_key(a) for a in kb[actor].aliases)} if actor in kb else set()
    loaded = _loaded_words()
    counts = Counter(m.text.strip() for m in mentions if m.actor == actor
                     and _key(m.text) not in known and m.rule not in ("pronoun",))
    return [f"{text}!" if set(_key(text).split()) & loaded else text
            for text, _ in counts.most_common(6)]


def numbers(sentence: str) -> dict[str, int]:
    """Numbers the sentence gives, by what they count: "killing 12 people" -> killed: 12."""
    found: dict[str, int] = {}
    for match in NUMBER.finditer(sentence):
        raw, after = match.group(1).lower(), match.group(2).lower()
        value = NUMBER_WORDS.get(raw)
        if value is None:
            digits = raw.replace(",", "")
            if not digits.isdigit() or (len(digits) == 4 and digits.startswith(("19", "20"))):
                continue  # a year, not a count
            value = int(digits)
        after_words = after.split()
        before_words = sentence[max(0, match.start() - 30):match.start()].lower().split()[-2:]
        for kind, stems in NUMBER_KINDS.items():
            # "killing 12", "12 killed", "12 people were wounded": the counted word is
            # just after the number, or the verb just before it.
            if any(w.startswith(stems) for w in after_words) or (
                    kind in ("killed", "wounded") and any(w.startswith(stems)
                                                          for w in before_words)):
                found.setdefault(kind, value)
                break
    return found


def contradictions(view: IncidentView, kb: dict[str, Actor], names: dict[str, str]
                   ) -> list[Contradiction]:
    """Where two outlets' tellings of one incident disagree, with both sides' evidence."""
    found: list[Contradiction] = []
    for o1, o2 in combinations(view.outlets, 2):
        t1, t2 = view.tellings[o1], view.tellings[o2]
        # Perpetrators are compared on the incident's own act, not on what was said about it.
        act1 = [t for t in t1 if t.type == view.incident.type]
        act2 = [t for t in t2 if t.type == view.incident.type]
        found += _perpetrators(o1, act1, o2, act2, kb, names)
        found += _denials(o1, t1, o2, t2)
        found += _numbers(o1, t1, o2, t2)
        found += _dates(o1, t1, o2, t2)
    return found


def _who(t: Telling) -> set[str]:
    return {t.perpetrator} if t.perpetrator else set(t.blamed)


def _perpetrators(o1: str, t1: list[Telling], o2: str, t2: list[Telling],
                  kb: dict[str, Actor], names: dict[str, str]) -> list[Contradiction]:
    who1 = {a: [t.event for t in t1 if a in _who(t)] for t in t1 for a in _who(t)}
    who2 = {a: [t.event for t in t2 if a in _who(t)] for t in t2 for a in _who(t)}
    if not who1 or not who2 or set(who1) & set(who2):
        return []
    lineage1 = set().union(*(_lineage(a, kb) for a in who1))
    lineage2 = set().union(*(_lineage(a, kb) for a in who2))
    if lineage1 & lineage2:
        return []  # a militia and its movement, an army and its state: told more or less
        # precisely, not a contradiction
    return [Contradiction(
        kind="perpetrator",
        description=(f"{o1} says {_names(who1, names)} did it; "
                     f"{o2} says {_names(who2, names)}"),
        outlets=(o1, o2),
        evidence=(sorted({e for ids in who1.values() for e in ids}),
                  sorted({e for ids in who2.values() for e in ids})))]


def _denials(o1: str, t1: list[Telling], o2: str, t2: list[Telling]) -> list[Contradiction]:
    found = []
    for (oa, ta), (ob, tb) in (((o1, t1), (o2, t2)), ((o2, t2), (o1, t1))):
        told = [t.event for t in ta if t.modality not in DENYING]
        denied = [t.event for t in tb if t.modality in DENYING]
        if told and denied and not any(t.modality in DENYING for t in ta):
            found.append(Contradiction(
                kind="denial", description=f"{oa} reports it; {ob} reports it denied",
                outlets=(oa, ob), evidence=(told, denied)))
    return found


def _numbers(o1: str, t1: list[Telling], o2: str, t2: list[Telling]) -> list[Contradiction]:
    found = []
    n1 = {k: (v, t.event) for t in t1 for k, v in t.numbers.items()}
    n2 = {k: (v, t.event) for t in t2 for k, v in t.numbers.items()}
    for kind in sorted(set(n1) & set(n2)):
        (v1, e1), (v2, e2) = n1[kind], n2[kind]
        if v1 != v2:
            found.append(Contradiction(
                kind="numbers", description=f"{o1}: {v1} {kind}; {o2}: {v2} {kind}",
                outlets=(o1, o2), evidence=([e1], [e2])))
    return found


def _dates(o1: str, t1: list[Telling], o2: str, t2: list[Telling]) -> list[Contradiction]:
    from .features import parse_date

    def days(tellings: list[Telling]) -> dict[str, str]:
        out = {}
        for t in tellings:
            day, precision = parse_date(t.date)
            if day and precision == 3:
                out.setdefault(t.date, t.event)
        return out

    d1, d2 = days(t1), days(t2)
    if not d1 or not d2:
        return []
    a, b = min(d1), min(d2)
    gap = abs((parse_date(a)[0] - parse_date(b)[0]).days)
    if gap <= 1:
        return []
    return [Contradiction(kind="date", description=f"{o1} dates it {a}; {o2} dates it {b}",
                          outlets=(o1, o2), evidence=([d1[a]], [d2[b]]))]


def _lineage(actor: str, kb: dict[str, Actor]) -> set[str]:
    """The actor and everything it belongs to through the knowledge base's affiliations."""
    from ..relations import ROLLUP_RELATIONS

    seen, todo = set(), [actor]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        if node in kb:
            todo += [x["actor"] for x in kb[node].affiliations
                     if x.get("relation") in ROLLUP_RELATIONS and x.get("actor")]
    return seen


def _names(actors: dict[str, list[str]], names: dict[str, str]) -> str:
    return " and ".join(names.get(a, a) for a in sorted(actors))


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", "", text.lower().replace("-", " ")).strip().removeprefix(
        "the ")


_LOADED: set[str] = set()


def _loaded_words() -> set[str]:
    """Pejorative and laudatory label words (``data/lexicon/labels.yaml``)."""
    if not _LOADED:
        for group in load_lexicon("labels").values():
            if isinstance(group, dict):
                _LOADED.update(w.lower() for w in group.get("words") or [])
    return _LOADED
