"""Event coding: who did what to whom, from the dependency parse and the resolved actors.

Triggers come from event_triggers.yaml and are coded with ontology.yaml:

* verbs ("fired", "battled") and multi-word verb phrases ("set fire to", "took
  responsibility for"); a phrase beats the single verb of its head;
* light verbs carrying a nominal trigger ("launched attacks", "ordered the offensive"),
  and reversal verbs that turn it around ("lifted the sanctions");
* nouns standing alone ("the Basra offensive", "its assassination of X", "clashes between
  X and Y", "a terror attack on a parade").

Roles. The source is the subject (the "by" agent of a passive; the noun a relative
clause or participle hangs from; the subject of the governing verb for "try to X"); for a
nominal trigger the possessor ("its" and "their" resolved to the nearest preceding
compatible actor), an actor modifier ("a US drone strike") or a "by" object. The target
is the direct object, the passive subject, or the object of against/on/at/into/with (of
"of" for nominals that take a patient: "the assassination of X"). "Between X and Y" makes
X the source and Y the target of one event. Coordinated actors ("the US and UK
overthrew ...", "UK and EU negotiators", "Iraqi and Iranian officials") give one event per
actor, so each pairing is a separate, countable tie. A passive's "by" phrase the parser
hung under its complement ("was considered a terrorist group by X") is its doer; one hung
on an active verb that has its own subject ("Y condemned attacks on Z by X") is the doer
of the act the verb takes as its object.
A definite hostile-act noun as a subject acts for whoever carried the act out ("the
raid was meant to punish X": the raid's perpetrator, named with it or earlier). A
building as the object stands for whom a clause on it names ("a clinic that serves
members of X" -> X). A pronoun in a role stands for the last compatible actor named
within two sentences ("it" only as the subject of an act; "we" in a quotation for its
speaker), a partitive for its group ("13 of its members"), and a thing done for whom its
preposition names ("restored its ties with X", "blamed the attack on X"). "Called for X
to act" and "told X to act" are requests to X; coordinated parties of a reciprocal act
("X and Y met", ontology ``reciprocal``) are each other's targets. A role no actor fills
stays None, never guessed; an event
with neither role filled says nothing about relations between actors and is not kept.

Not events: a clause whose subject is no one in particular ("whichever sponsor
is willing to ...", "no militia too brutal to ally with"), and a contest verb ("routed",
"ousted") in a sentence about a vote with no armed body in a role (electoral defeat).
Nor, once the gate has kept them, an event with one role empty that tells part of a more
confident event of its clause filling both ("seized missiles and took the commanders into
custody": the seizure is the arrest's act, told without whom it was done to).

Modality. "did not"/"never"/"refused to" negate; modal auxiliaries and "if" make an event
hypothetical ("will" planned, and "would" told under a past-tense verb with no condition
on it: "said it would attack"); a governing "plans to"/"tries to"/"is prepared to"/
"threatened to" makes it planned or threatened. A hostile act (ASSAULT, COERCE, SANCTION)
its actor declares for the future ("will", a told "would", "plans to", "vowed to") is coded
a THREATEN, as PLOVER codes it; a negated act declared ahead ("will not accept") is a
refusal, which the type model may read as a REJECT that happened. Otherwise an event
inside an attribution's content is reported (denied under a denying cue), with
``reported_by`` the chain of speakers, outermost first. Speech acts that are events
(accuse, condemn, praise, call for ...) are coded like any verb; a statement whose
content reports a hostile act (or a threat) by another actor is also coded as the
speaker accusing that actor (ACCUSE/allege, CAMEO 112), and one telling of a charge made
by the speaker's own side accuses whom that charge targets; another party's charge told
in it ("the group, which the US accused of ...") is reported, no accusation of the US.

Place and date: a place named by the event's own noun phrase, attached to the trigger by
in/at, in its clause, else in its sentence; never the document's setting. The date is
the date mention in the clause, else the nearest in the sentence, else None: the
published date is never assumed, so an undated event stays undated.

The parts: ``candidates`` (triggers and frames), ``roles``, ``modality``, ``placement``,
``dating``, and ``coder``, which runs them over a document.
"""

from __future__ import annotations

from .coder import extract_events
from .lexicon import Code, EventLexicon, Phrase, load_event_lexicon

__all__ = ["Code", "EventLexicon", "Phrase", "extract_events", "load_event_lexicon"]
