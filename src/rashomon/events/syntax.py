"""Parse helpers and the closed word classes (grammar, not vocabulary) the event coder
reads: subjects, objects, clauses, prepositions."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Token

from ..actors.common import HYPHENS
from ..claims import names_someone
from ..parse import token_sentence
from ..types import Mention
from .lexicon import EventLexicon

# Grammar, not vocabulary: the closed classes that carry modality and negation in English.
NEGATORS = {"not", "n't", "never", "no"}
PLANNED_AUX = {"will", "shall", "'ll", "wo"}
HYPOTHETICAL_AUX = {"might", "could", "would", "may", "should", "can", "must", "ca"}
# "will" told in the past: "Nigeria said it would withdraw" reports a plan (sequence of
# tenses), unless a condition hangs on it ("would meet X if he ...")
REPORTED_FUTURE_AUX = {"would", "'d"}
HYPOTHETICAL_MARKS = {"if", "unless", "whether"}
# Verbs (and predicative adjectives) that put their infinitival complement in the future or
# in doubt. A candidate for the lexicon files; kept here until they carry a modality section.
GOVERNORS = {
    "plan": "planned", "aim": "planned", "seek": "planned", "try": "planned",
    "attempt": "planned", "intend": "planned", "prepare": "planned", "want": "planned",
    "keen": "planned", "set": "planned", "vow": "planned", "pledge": "planned",
    "promise": "planned", "decide": "planned", "swear": "planned",
    # adjectives an infinitive hangs from ("is prepared to impose", "stands ready to strike")
    "prepared": "planned", "ready": "planned", "willing": "planned", "poised": "planned",
    "determined": "planned",
    "threaten": "threatened",
    "refuse": "negated", "fail": "negated", "decline": "negated",
}
# Nouns whose infinitive is the act tried, not an aim held ("an attempt by X to kill Y").
ATTEMPT_NOUNS = frozenset({"attempt", "bid"})
# Governors of a plan its subject declares (not one tried or wanted: "tried to storm the
# base" is an attack that failed): "plans to impose", "is prepared to strike", "vowed to
# fight". With "will", such a hostile act is a threat (PLOVER THREATEN).
DECLARING_GOVERNORS = frozenset({
    "plan", "intend", "prepare", "prepared", "ready", "poised", "set", "vow", "pledge",
    "swear",
})
# The code of a speech verb telling an actor to act ("told X to stop", "asked X to leave"):
# an appeal (CAMEO 02), whatever the verb; the act asked for is an event of its own.
DIRECTIVE = {"type": "REQUEST", "mode": "appeal"}
NAME_ENTITIES = {"ORG", "PERSON", "GPE", "NORP", "FAC", "LOC", "EVENT", "WORK_OF_ART", "LAW"}
RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
# Personal pronouns that may stand for an actor in an event role, by what they refer back
# to; first person ones stand for the speaker of the quotation they are in.
PRONOUN_KINDS = {"he": "person", "him": "person", "she": "person", "her": "person",
                 "it": "singular", "they": "plural", "them": "plural"}
FIRST_PERSON = {"we", "us"}
# Words that pick some of a group out ("13 of its members", "some of the militias"): the
# actor is the group's.
QUANTIFIERS = {"some", "many", "most", "several", "all", "none", "one", "each", "few",
               "dozens", "hundreds", "thousands", "scores"}
# Prepositions whose object is the target of a verbal or nominal event.
# Prepositions that make a place the object of an attack ("strikes on Sinjar").
PLACE_TARGET_PREPS = {"against", "on", "at", "into", "upon"}

TARGET_PREPS = {"against", "on", "at", "into", "upon", "with", "toward", "towards", "to"}
# Modes of taking something from someone ("seized weapons from X", "captured the town
# from X"): the "from" object is whom the act is done to.
TAKING_MODES = {"occupy", "seize"}
# Phrases of stance under "in", with the preposition naming whom the stance is for: "voted
# in favour of X", "rallied in support of X", "marched in solidarity with X".
STANCE_PHRASES = {("favour", "of"), ("favor", "of"), ("support", "of"), ("solidarity", "with"),
                  ("defence", "of"), ("defense", "of")}
# Prepositions by which a verb's object names whom the act is aimed at ("supplied arms to
# X", "restored ties with X", "blamed the attack on X", "voiced support for X").
OBJECT_TARGET_PREPS = ("to", "with", "toward", "towards", "against", "on", "upon", "for")
# Words a phrasal verb ends with as its particle ("take over", "hunt down", "drive out").
PARTICLES = {"over", "out", "down", "up", "off", "back", "away"}
# Verbs that lend their subject to the verb they take as a complement: "the raid seems to
# have been planned by X" says that X planned the raid.
RAISING_VERBS = {"appear", "seem"}
# Nominal types whose "from" object is no doer: a movement's or a release's starting point
# ("the withdrawal from X", "his release from prison", "troops deployed from X").
FROM_PLACE_TYPES = {"RETREAT", "CONCEDE", "MOBILIZE"}
# Prepositions by which a clause names another party's act toward its doer, the act
# noun's "of" or "from" object being that party: "signed with the backing of X", "went
# ahead over the objections of X", "despite pressure from X", "acted at the request of X".
CONSENT_PREPS = {"with", "without", "over", "despite", "at"}
# Nominal types whose "of" object is the patient ("the assassination of X", "the ouster of X").
PATIENT_OF_TYPES = {"ASSAULT", "COERCE", "SANCTION"}
# Nominal modes of acts that take no object, whose "of" object is the one who acts ("the
# resignation of X", "the withdrawal of X's troops", "the surrender of the garrison").
DOER_OF_MODES = {"resign", "withdraw", "surrender", "demobilize"}
# Cue types under which a statement about another actor's hostile act is an accusation:
# relaying ("reported", "noted") is the reporter's trade, not a stance of its own.
ACCUSING_CUES = {"assert", "claim", "accuse", "warn", "confirm", "describe"}
# Cue types of a statement that can vouch for another party's good act (the speaker's
# verbal support of its doer): saying, confirming or hoping it, not accusing or denying it.
ENDORSING_CUES = {"assert", "claim", "confirm", "hope", "note", "predict"}
# Cue types whose "X as Y" complement characterises X (describe, regard, consider ...).
CHARACTERISING_CUES = {"describe", "believe"}
CLAUSE_BREAKS = {"ccomp", "parataxis", "advcl", "relcl", "conj", "cc", "csubj"}
BROAD_PLACES = {"country", "region"}
PLACE_PREPS = {"in", "at", "near", "outside", "inside", "around", "across", "throughout"}
# Confidence of an event coded from a noun with no verb: nominal mentions are more often
# background ("after the war") than new events. Chosen, not calibrated.
NOMINAL_CONFIDENCE = 0.8
# Confidence of a verbal event inside a relative clause or a participle modifying a noun
# ("the prisoners, who were arrested in May, were freed"): such clauses mostly recall
# background, so the main clause's event should lead. Chosen, not calibrated: it only has to
# sit between a main-clause verb (1.0) and a bare noun (0.8).
SUBORDINATE_CONFIDENCE = 0.9
# Sectors of bodies that fight: a contest verb with one of them in a role is a battle even
# in a sentence about an election.
ARMED_SECTORS = {"MIL", "COP", "INS", "REB", "SEP", "SPY"}
# Words by which a role names no one in particular, making a clause generic.
NONSPECIFIC_DETERMINERS = {"whatever", "whichever", "any", "no", "every"}
NONSPECIFIC_PRONOUNS = {"whoever", "whatever", "anyone", "anybody", "nobody", "everyone",
                         "everybody"}
# Clause relations whose verb describes a noun rather than carrying the sentence's news.
MODIFIER_CLAUSES = {"relcl", "acl"}
# Clause relations whose verb may state an event no lexicon entry names.
OPEN_CLAUSES = {"ROOT", "conj", "ccomp", "advcl", "xcomp", "relcl"}
# Prepositions by which a clause happens inside a nominal event its subject takes part in
# ("said in a meeting with X", "struck during talks with X").
PARTICIPATION_PREPS = {"in", "during"}
# Prepositions by which a passive or agentless verb names the attack that did it ("killed
# in an Israeli air strike", "wounded during clashes between X and Y").
CAUSE_PREPS = {"in", "during", "by"}
# Relations by which a name modifies a noun ("the Labour seats", "Iraqi oil").
NOUN_MODIFIERS = {"amod", "compound", "nmod"}
# Prepositions by which a clause is set beside another event in time or against it ("spoke
# after the attack", "met despite the clashes"): the clause's verb does not carry out that
# event.
CIRCUMSTANCE_PREPS = {"after", "before", "since", "until", "following", "amid", "despite",
                      "during"}


# Most words that may stand between two words of a multi-word trigger: any that hang
# together (NEAR_GAP), or those the parse links word by word (PHRASE_GAP).
NEAR_GAP = 4
PHRASE_GAP = 8


def match_phrase(head: Token, words: tuple[str, ...], lex: EventLexicon) -> list[Token] | None:
    """The tokens of a phrase starting at its head verb, words in order: a few words apart
    and hanging together ("held Iran responsible", "set the building on fire"), or further
    apart when the parse links each word to the head or to a word found before it ("fired
    two explosives-laden drones at", "called for his men to stop")."""
    if lex.lemma(head) != words[0]:
        return None
    found = _phrase_words(head, words, lex, NEAR_GAP, linked=False)
    if found is None or any(t.head != head and t.head not in found and t != head
                            for t in found[1:]):
        found = _phrase_words(head, words, lex, PHRASE_GAP, linked=True)
    if found is None:
        return None
    last = found[-1]
    if last.pos_ == "ADP" and any(c.dep_ == "pobj" and c.ent_type_ in ("DATE", "TIME")
                                  for c in last.children):
        return None  # "called Erdogan on Monday" is no "call on": a date is no one's target
    if len(found) == 2 and last.lower_ in PARTICLES and any(
            c.dep_ == "pobj" for c in last.children) and any(
            c.dep_ == "dobj" and head.i < c.i < last.i for c in head.children):
        # "took office over the objections of X" is no "take over": a particle's word
        # after the verb's object with an object of its own is a preposition there ("took
        # the town over", "took over the town" are the phrase; "fired rockets at" is one
        # whose preposition takes its object)
        return None
    return found


def _phrase_words(head: Token, words: tuple[str, ...], lex: EventLexicon, gap: int,
                  linked: bool) -> list[Token] | None:
    """Each next word of a phrase within ``gap`` words of the last one found (``linked``:
    the first such that hangs from the head or from a word already found)."""
    found = [head]
    i = head.i
    sent_end = token_sentence(head).end
    for word in words[1:]:
        # the word itself before its lemma: the lemma is read only when the word differs
        nxt = next((t for t in head.doc[i + 1:min(i + 1 + gap, sent_end)]
                    if (t.lower_ == word or lex.lemma(t) == word)
                    and (not linked or t.head == head or t.head in found
                         or for_clause(t, head))), None)
        if nxt is None or token_sentence(nxt) != token_sentence(head):
            return None
        found.append(nxt)
        i = nxt.i
    return found


def subordinate(verb: Token, lex: EventLexicon) -> bool:
    """A verb in a clause that describes a noun ("the men, who were arrested in May, ..."),
    under a sentence with a verb of its own. A sentence whose root is a noun ("The Iraqi
    air force carried out strikes", misparsed as a reduced relative) has no other main
    verb, and "a statement calling on X" is the news itself."""
    return verb.dep_ in MODIFIER_CLAUSES and token_sentence(verb).root.pos_ in ("VERB", "AUX") \
        and verb.head.lemma_.lower() not in lex.speech_documents


def prep_object(verb: Token, preposition: str) -> Token | None:
    """The object of ``preposition`` hanging from ``verb`` ("engaged in clashes")."""
    return pobj(next((c for c in verb.children
                       if c.dep_ == "prep" and c.lower_ == preposition), None))


def own_possessive(noun: Token | None) -> Token | None:
    """A possessive pronoun on ``noun`` ("his" of "his bodyguard"), else None."""
    if noun is None:
        return None
    return next((c for c in noun.children if c.dep_ == "poss" and c.tag_ == "PRP$"), None)


def particle_ok(verb: Token, entry: dict[str, Any]) -> bool:
    particle = entry.get("particle")
    return particle is None or any(c.lower_ == particle for c in verb.children)


def verb_subject(verb: Token, documents: frozenset[str] = frozenset()) -> Token | None:
    """The subject of a verb: its own, a relative clause's antecedent, a participle's noun
    (the issuer of a statement, report or letter in ``documents``, for a participle hanging
    from one), or the subject of the verb it is coordinated with or the complement of."""
    stranded = stranded_subject(verb)
    if stranded is not None:
        return stranded
    node = verb
    for _ in range(5):
        subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
        # a subject cut off from its verb by an opening quotation mark belongs to the words
        # that introduce the quotation ("A post read, “the regime targeted X”": the post
        # read, the regime targeted), when the quotation has a subject of its own
        inside = [c for c in subjects if not any(
            t.tag_ == "``" for t in node.doc[min(c.i, node.i):max(c.i, node.i)])]
        subjects = inside or subjects
        if subjects:
            # "the terrorists, an Arab separatist group called X, took ...": the most
            # specific of several subjects is the named one further right
            return max(subjects, key=lambda c: (names_someone(c), -c.i))
        if node.dep_ == "relcl" and any(c.dep_ in ("dobj", "pobj") and c.lower_ in
                                        RELATIVE_PRONOUNS for c in node.children):
            return None  # "the group which many described": the antecedent is the object
        if node.dep_ == "acl" and node.head.lemma_.lower() in documents \
                and node.head.dep_ in ("dobj", "nsubjpass") and node.head.head.pos_ == "VERB":
            # "HRW issued a statement calling on X": the statement speaks for its issuer
            node = node.head.head
            continue
        if node.dep_ == "acl" and node.head.lemma_.lower() in ATTEMPT_NOUNS:
            # "an attempt by X to kill Y", "Iran's bid to seize X": who tries does the act
            attempt = node.head
            return prep_object(attempt, "by") or next(
                (c for c in attempt.children if c.dep_ == "poss"), None)
        if node.dep_ in ("relcl", "acl"):
            return node.head
        host = participle_host(node)
        if host is not None:
            return host
        if node.dep_ == "xcomp":
            # "encouraged the group to wage attacks": the group wages; "called for the
            # government to stop X": the government stops
            controller = next((c for c in node.head.children if c.dep_ == "dobj"), None) \
                or prep_object(node.head, "for") or object_gap_antecedent(node.head)
            if controller is not None:
                return controller
        if node.dep_ == "pcomp" and node.head.pos_ == "ADP":
            controller = next((c for c in node.head.head.children if c.dep_ == "dobj"),
                              None) or object_gap_antecedent(node.head.head)
            if controller is not None:
                return controller  # "stopped the group from committing attacks", "accused X of"
            noun = node.head.head
            agent = noun.head if noun.dep_ == "pobj" else None
            if noun.pos_ == "PROPN" and node.head.lower_ in ("of", "for") \
                    and agent is not None and agent.dep_ == "agent":
                # "X was accused by Israel of firing rockets": the parser hangs the
                # gerund's preposition on the name in the "by" phrase, which takes none;
                # the passive's subject (the one accused or praised) does the act
                passive = next((c for c in agent.head.children if c.dep_ == "nsubjpass"),
                               None)
                if passive is not None:
                    return passive
            if noun.pos_ == "NOUN":
                # a gerund on a noun: the noun's own doer ("involvement by X in backing Y",
                # "X's role in arming Y"), else whoever the noun's clause is about ("he is
                # in the position of having to turn to Y", "X denied accusations of arming
                # Y": read on from the verb the noun hangs on)
                doer = prep_object(noun, "by") or next(
                    (c for c in noun.children if c.dep_ == "poss"), None)
                if doer is not None:
                    return doer
                if noun.dep_ == "dobj" or noun.dep_ == "pobj" and noun.head.dep_ == "prep":
                    node = noun.head if noun.dep_ == "dobj" else noun.head.head
                    if node.pos_ in ("VERB", "AUX"):
                        continue
                return None
        if node.dep_ == "conj" and node.head.dep_ == "xcomp" \
                and node.head.head.lemma_ == node.lemma_:
            # "to ask X to leave and to ask Y to stay": the second "ask" repeats the first,
            # whose doer it shares, though the parser joins it to the first one's complement
            node = node.head.head
            continue
        if node.dep_ in ("conj", "xcomp", "advcl", "pcomp", "acomp") and node.head != node:
            node = node.head
            if node.pos_ == "ADP":
                node = node.head
            continue
        return None
    return None


def object_gap_antecedent(verb: Token) -> Token | None:
    """The noun a relative clause without a relative pronoun describes, when the clause's
    object is missing: "a country the US accuses of arming X" -> country (the one
    accused), "the militia Iran armed" -> militia. A clause with its own object, a
    relative word ("which", "who", "that") or no subject of its own is not one."""
    if verb.dep_ != "relcl" or verb.head.i > verb.i or verb.head.pos_ not in (
            "NOUN", "PROPN"):
        return None
    children = list(verb.children)
    if any(c.dep_ in ("dobj", "nsubjpass", "auxpass", "ccomp") or c.tag_ in ("WDT", "WP", "WP$")
           or c.lower_ in RELATIVE_PRONOUNS for c in children):
        return None
    if not any(c.dep_ == "nsubj" for c in children):
        return None
    noun = verb.head
    if noun.dep_ == "appos":
        return noun.head  # "Iran, a country the US accuses ..." -> Iran
    if noun.dep_ == "attr" and noun.head.lemma_ == "be":
        # "Syria is a country the US accuses ..." -> Syria
        return next((c for c in noun.head.children if c.dep_ == "nsubj"), noun)
    return noun


def stranded_subject(verb: Token) -> Token | None:
    """The subject the parser conjoined into the phrase before it: in "a drone fired missiles
    in Basra and Iraqi troops battled in Sadr City", "troops" hangs from "Basra", and
    "battled" gets a distant subject or none. A noun directly before a finite verb, joined
    by "and" to an object, is that verb's subject."""
    if verb.tag_ not in ("VBD", "VBZ", "VBP") or verb.i == 0:
        return None
    noun = verb.doc[verb.i - 1]
    if noun.dep_ != "conj" or noun.pos_ not in ("NOUN", "PROPN") \
            or noun.head.dep_ not in ("pobj", "dobj"):
        return None
    own = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return noun if all(c.i < noun.head.i for c in own) else None


def hyphen_patron(participle: Token) -> Token | None:
    """The word glued by a hyphen before a participle that modifies a noun: "Iranian" in
    "an Iranian-brokered ceasefire", "US" in "US-backed forces". Such a compound states an
    act of the word's referent (the patron) on the noun's referent."""
    if participle.tag_ != "VBN" or participle.dep_ not in ("amod", "compound") \
            or participle.i < 2 or participle.head.pos_ not in ("NOUN", "PROPN"):
        return None
    hyphen, word = participle.doc[participle.i - 1], participle.doc[participle.i - 2]
    if hyphen.text not in HYPHENS or hyphen.whitespace_ or word.whitespace_:
        return None
    return word


def hyphen_pair(noun: Token) -> tuple[Token, Token] | None:
    """Two words glued by a hyphen in front of a noun: "Iran" and "Iraq" in "the Iran-Iraq
    war", "US" and "Iranian" in "the US-Iranian talks"."""
    for mod in noun.children:
        if mod.dep_ not in ("compound", "amod", "nmod") or not 2 <= mod.i < noun.i:
            continue
        hyphen, first = noun.doc[mod.i - 1], noun.doc[mod.i - 2]
        if hyphen.text in HYPHENS and not hyphen.whitespace_ and not first.whitespace_:
            return first, mod
    return None


def purpose_infinitive(verb: Token) -> bool:
    """An infinitive naming a goal ("their commitment to topple X", "its objective is to take
    over X"): an aim someone holds, not an act. An attempt's infinitive is the act tried
    ("a failed attempt by X to assassinate Y"), as "tried to storm the base" is."""
    if not any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children):
        return False
    head = verb.head
    return (verb.dep_ == "acl" and head.pos_ == "NOUN"
            and head.lemma_.lower() not in ATTEMPT_NOUNS) or (
        verb.dep_ == "xcomp" and head.lemma_ == "be")


def label_words(head: Token | None) -> list[Token]:
    """The words of a predicate that can carry a label: its head and modifiers, each
    conjunct's, and through "of" after a superlative or quantifier ("the worst of outlaws")."""
    if head is None:
        return []
    out = []
    for noun in [head, *head.conjuncts]:
        out.append(noun)
        out += [c for c in noun.children if c.dep_ in ("amod", "compound")]
        if noun.pos_ in ("ADJ", "NUM", "PRON") or noun.tag_ == "JJS":
            of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            out += label_words(pobj(of)) if of is not None else []
    return out


def participle_host(verb: Token) -> Token | None:
    """The noun a passive participle set off by commas describes ("the offensive, praised by
    Bush, stalled"), which the parser often hangs from the main verb as an adverbial."""
    if verb.dep_ != "advcl" or verb.tag_ != "VBN":
        return None
    before = verb.left_edge.i - 1
    if before < 1 or verb.doc[before].text != ",":
        return None
    noun = verb.doc[before - 1]
    return noun if noun.pos_ in ("NOUN", "PROPN") else None


def relative_antecedent(pronoun: Token) -> Token | None:
    """The noun a relative pronoun stands for: the head of its relative clause ("Maliki,
    who ordered ..." -> Maliki), through a partitive ("officials, some of whom met X" ->
    officials), and of a relative clause coordinated with another ("Maliki, who had vowed
    ... and who has been criticized ..." -> Maliki: the second hangs on the first's verb);
    for an attempt's infinitive, who tries ("an attempt by X to kill Y" -> X)."""
    node = pronoun
    for _ in range(3):
        node = node.head
        while node.dep_ == "conj" and node.pos_ in ("VERB", "AUX") and node.head != node:
            node = node.head
        if node.dep_ == "acl" and node.head.lemma_.lower() in ATTEMPT_NOUNS:
            # "an attempt by X to kill Y", "Iran's bid to seize X": who tries does the act
            attempt = node.head
            return prep_object(attempt, "by") or next(
                (c for c in attempt.children if c.dep_ == "poss"), None)
        if node.dep_ in ("relcl", "acl"):
            return node.head
        if node.dep_ not in ("prep", "pobj", "nsubj", "nsubjpass", "dobj") \
                or node.head == node:
            return None
    return None


def cleft_focus(tok: Token) -> Token | None:
    """The focus of a cleft: "it was Iran that brokered ..." -> Iran, for the pronoun "that"."""
    clause = tok.head
    copula = clause.head
    if tok.lower_ not in ("that", "who") or clause.dep_ not in ("ccomp", "relcl") \
            or copula.lemma_ != "be":
        return None
    if not any(c.dep_ == "nsubj" and c.lower_ == "it" for c in copula.children):
        return None
    return next((c for c in copula.children if c.dep_ == "attr"), None)


def partitive_object(tok: Token) -> Token | None:
    """The group a number or quantifier picks out of: "13 of its members" -> members,
    "some of the militias" -> militias; None for any other word."""
    if tok.pos_ != "NUM" and tok.lower_ not in QUANTIFIERS:
        return None
    return prep_object(tok, "of")


def pobj(prep: Token | None) -> Token | None:
    """The object of a preposition; for "for" introducing a clause ("called for the
    army to withdraw"), the clause's subject."""
    if prep is None:
        return None
    if prep.dep_ == "mark" and prep.lower_ == "for":
        return next((c for c in prep.head.children if c.dep_ in ("nsubj", "nsubjpass")),
                    None)
    return next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)


def for_clause(mark: Token, verb: Token) -> bool:
    """Whether ``mark`` is the "for" of a clause hanging from ``verb`` ("called for his
    men to stop"), which the parser reads as a clause of its own, not as an object."""
    return mark.dep_ == "mark" and mark.lower_ == "for" and mark.head.head == verb


def clause_tokens(head: Token) -> list[Token]:
    """``head``'s subtree without the clauses hanging off it."""
    cut = {i for c in head.children if c.dep_ in CLAUSE_BREAKS
           for i in range(c.left_edge.i, c.right_edge.i + 1)}
    out = [t for t in head.subtree if t.i not in cut and not t.is_punct]
    return out or [head]


def attached_by_place_prep(tok: Token, anchor: Token) -> bool:
    """A place word governed by in/at/... that hangs from the trigger or its object."""
    prep = tok.head
    if tok.dep_ != "pobj" or prep.lower_ not in PLACE_PREPS:
        prep = tok.head.head if tok.head.dep_ == "pobj" else prep
        if prep.lower_ not in PLACE_PREPS:
            return False
    host = prep.head
    return host == anchor or host.head == anchor


def unique(mentions: list[Mention]) -> list[Mention]:
    seen, out = set(), []
    for m in mentions:
        if m.actor not in seen:
            seen.add(m.actor)
            out.append(m)
    return out


def end_char(tok: Token) -> int:
    return tok.idx + len(tok.text)

