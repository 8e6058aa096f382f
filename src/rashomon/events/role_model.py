"""Learned roles: which of a candidate event's actor mentions is its source, which its target.

The rules (:mod:`.roles`) read roles off the parse with one rule per construction; here a
linear model trained on sentences with marked sources and targets (``event_roles.npz``,
trained by ``train/event_roles.py``) scores every (trigger, actor mention) pair of a
candidate as none / source / target. Its features are those of the pair, not of any one
sentence: the dependency path from the trigger (and from the trigger noun of a light verb)
to the mention's head, with the prepositions on it; the trigger's voice, lemma, type and how
it was found; the mention's side of the trigger, distance, its own relation (possessor,
prepositional object, conjunct); and which role, if any, the rules gave it, so that the
model learns where the rules can be trusted. "Backed by X", "X's strike on Y", "accused X
of", passives and coordination are then read from the paths as the training data codes
them.

Decision, per candidate: the model's pick for a role is the mention it gives that role's
highest probability among those whose most probable label it is; mentions coordinated with
the chosen one and labelled the same join it (one event per conjunct, as the rules do).
Where the model is unsure (thresholds in its meta, see :class:`RoleModel`), the rules'
role stands.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import chain
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from spacy.tokens import Doc, Token

from ..models import LinearModel, packaged
from ..parse import token_sentence
from ..types import Mention

#: Hashed indicator features: 2**HASH_BITS columns.
HASH_BITS = 16
#: The labels, in the order the model's classes are expected.
LABELS = ("none", "source", "target")
#: Longest dependency path read as a path; a longer one is just "far".
MAX_PATH = 5
#: Clause relations a path may cross; crossing one is a feature of its own.
CLAUSE_DEPS = {"ccomp", "relcl", "advcl", "parataxis", "csubj", "xcomp", "acl"}


@dataclass
class RoleRow:
    """One (trigger, mention) pair of a candidate, with its features and the rules' role."""

    mention: Mention
    features: list[str]
    rule: str  # the rules gave it: source, target, actor_source/actor_target (its actor), none


@dataclass
class RoleFrame:
    """A candidate's trigger span and its role rows (what training reads)."""

    trigger_start: int
    trigger_end: int
    sentence_start: int
    rows: list[RoleRow]


def head_token(doc: Doc, mention: Mention) -> Token | None:
    """The syntactic head of a mention's span in ``doc`` (None when it lies outside)."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _step(tok: Token) -> str:
    """One arc of a path: its relation, with the preposition for prep/agent arcs."""
    if tok.dep_ in ("prep", "agent"):
        return f"{tok.dep_}:{tok.lower_}"
    return tok.dep_


def dependency_path(source: Token, target: Token) -> tuple[str, int, int, bool]:
    """The path from ``source`` up to the lowest common ancestor and down to ``target``:
    "^nsubj" steps up, "vprep:by" down. Returns (path, steps up, steps down, crosses a
    clause)."""
    up_chain = [source, *source.ancestors]
    index = {t.i: k for k, t in enumerate(up_chain)}
    # the target's chain is read up to the first token on the source's, no further
    down_chain = []
    for tok in chain((target,), target.ancestors):
        if tok.i in index:
            break
        down_chain.append(tok)
    else:
        return "none", 0, 0, False
    common, n_up = len(down_chain), index[tok.i]
    ups = up_chain[:n_up]
    downs = down_chain[::-1]
    crosses = any(t.dep_ in CLAUSE_DEPS for t in ups + downs)
    if n_up + common > MAX_PATH:
        return "far", n_up, common, crosses
    parts = [f"^{_step(t)}" for t in ups] + [f"v{_step(t)}" for t in downs]
    return " ".join(parts) or "self", n_up, common, crosses


def _bucket(n: int) -> str:
    return str(n) if n < 4 else ("4-7" if n < 8 else "8+")


def pair_features(anchor: Token, nominal: Token | None, head: Token | None, mention: Mention,
                  *, lemma: str, how: str, type_: str, quad: str, passive: bool,
                  reverse: bool, rule: str, kind: str | None, rank: int) -> list[str]:
    """The indicator features of one (trigger, mention) pair."""
    out = ["bias", f"rule={rule}", f"rule_how={rule}|{how}", f"mrule={mention.rule}",
           f"kind={kind}", f"rank={min(rank, 3)}", f"rule_voice={rule}|{passive}"]
    # one shared Span per sentence (``token_sentence``): identity says the same sentence
    if head is None or token_sentence(head) is not token_sentence(anchor):
        return out + ["outside", f"outside_rule={rule}"]
    path, n_up, n_down, crosses = dependency_path(anchor, head)
    voice = "pass" if passive else "act"
    side = "L" if head.i < anchor.i else "R"
    first = path.split(" ")[0] if path not in ("far", "none", "self") else path
    last = path.split(" ")[-1] if path not in ("far", "none", "self") else path
    out += [f"path={path}", f"path_voice={voice}|{path}", f"path_how={how}|{path}",
            f"first={first}", f"last={last}", f"first_voice={voice}|{first}",
            f"last_voice={voice}|{last}", f"updown={_bucket(n_up)}/{_bucket(n_down)}",
            f"side={side}", f"side_voice={side}|{voice}", f"side_how={side}|{how}",
            f"dist={side}{_bucket(abs(head.i - anchor.i))}", f"crosses={crosses}",
            f"hdep={head.dep_}", f"hdep_side={head.dep_}|{side}|{voice}",
            f"lemma_first={lemma}|{first}", f"lemma_path={lemma}|{path}",
            f"type_path={type_}|{path}", f"quad_first={quad}|{first}",
            f"rule_path={rule}|{path}", f"rule_first={rule}|{first}"]
    if reverse:
        out += [f"rev_path={path}", f"rev_first={first}"]
    if head.dep_ in ("pobj", "pcomp"):
        prep = head.head.lower_
        out += [f"prep={prep}", f"prep_how={prep}|{how}", f"prep_voice={prep}|{voice}",
                f"prep_host={prep}|{head.head.head.pos_}"]
    if head.dep_ == "poss" or any(c.dep_ == "case" for c in head.children):
        out += ["possessor", f"possessor_how={how}"]
    if head.dep_ == "conj":
        out += [f"conj_of={head.head.dep_}", f"conj_side={side}|{voice}"]
    if nominal is not None and nominal != anchor:
        npath, _, _, _ = dependency_path(nominal, head)
        out += [f"npath={npath}", f"npath_how={how}|{npath}"]
    return out


def _hash(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) & ((1 << HASH_BITS) - 1)


#: Features whose columns are kept (``_Columns``): a news vocabulary's pairs stay below.
MAX_CACHED_FEATURES = 1 << 16


class _Columns(dict):
    """Each feature string's hashed column, computed the first time it is asked for: a
    dict look-up (``map(columns.__getitem__, ...)``) is cheaper than a cached call, and
    every role row asks for some forty."""

    def __missing__(self, feature: str) -> int:
        if len(self) >= MAX_CACHED_FEATURES:
            self.clear()
        column = self[feature] = _hash(feature)
        return column


_COLUMNS = _Columns()


def featurize(rows: Sequence[Sequence[str]]) -> csr_matrix:
    """Sparse rows of hashed indicators, one per (trigger, mention) pair."""
    indptr, indices = [0], []
    for names in rows:
        cols = sorted({_hash(n) for n in names})
        indices += cols
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return csr_matrix((data, np.array(indices, dtype=np.int64), np.array(indptr)),
                      shape=(len(rows), 1 << HASH_BITS))


class RoleModel:
    """Scores a candidate's role rows and picks its sources and targets.

    The rules' choice is a feature and, where the model is unsure, the answer: the model
    replaces the rules' mention of a role by its own pick when that pick is at least
    ``switch`` probable, removes the rules' mention when it gives it "none" at least
    ``drop``, and fills a role the rules left empty when its pick is at least ``fill`` (and,
    with ``fill_local``, an argument of the trigger itself: PLV, which always codes both
    roles, cannot teach the model when nobody holds one). Thresholds in the meta, chosen by
    cross-validation; 0, 0, 0 trusts the model alone.
    """

    def __init__(self, model: LinearModel) -> None:
        self.model = model
        self.switch = float(model.meta.get("switch", 0.0))
        self.drop = float(model.meta.get("drop", 0.0))
        self.fill = float(model.meta.get("fill", 0.0))
        self.fill_local = bool(model.meta.get("fill_local", False))
        # a target the trigger governs (its object, or a noun under it, no clause between)
        # is filled at this threshold: see ``governed``
        self.fill_governed = float(model.meta.get("fill_governed", self.fill))
        self.columns = [model.classes.index(label) for label in LABELS]
        # the model's classes already in LABELS order (as trained): no columns to pick
        self.in_order = self.columns == list(range(len(self.columns)))
        self.weights = np.ascontiguousarray(model.coef.T)
        # the weights and a row of zeros after them, which pads a pair's hashed columns
        # to the longest pair's (adding zeros changes no sum)
        self.padded = np.vstack([self.weights, np.zeros((1, self.weights.shape[1]),
                                                        self.weights.dtype)])

    def probabilities(self, rows: Sequence[RoleRow]) -> np.ndarray:
        """(n, 3) probabilities of none, source, target."""
        # a sum of weight rows per pair, all pairs in one gather (cheaper than a sparse
        # matrix for a few rows); numpy adds each pair's rows in column order
        column = _COLUMNS.__getitem__
        columns = [sorted(set(map(column, r.features))) for r in rows]
        width, pad = max(map(len, columns)), len(self.weights)
        index = np.array([cols + [pad] * (width - len(cols)) for cols in columns], np.intp)
        # the ufuncs' own reductions: what ``.sum`` and ``.max`` call, without their wrappers
        scores = np.add.reduce(self.padded[index], axis=1) + self.model.intercept
        scores = scores - np.maximum.reduce(scores, axis=1, keepdims=True)
        exp = np.exp(scores)
        probs = exp / np.add.reduce(exp, axis=1, keepdims=True)
        return probs if self.in_order else probs[:, self.columns]

    def assign(self, rows: Sequence[RoleRow], heads: Sequence[Token | None],
               rule_sources: list[Mention], rule_targets: list[Mention],
               fill_source: bool = True) -> tuple[list[Mention], list[Mention]]:
        """The sources and targets of one candidate, from its rows (``heads``: each row's
        head token, for coordination). ``fill_source`` off: an empty source stays empty
        (the clause names its doer, who is no actor)."""
        if not rows:
            return rule_sources, rule_targets
        probs = self.probabilities(rows)
        labels = probs.argmax(axis=1)
        chosen: dict[int, list[Mention]] = {}
        for column, rules in ((1, rule_sources), (2, rule_targets)):
            # an empty source is not filled with the actor the rules made the target: "the
            # convoy of the army came under attack" would make the army its own attacker
            # and leave the event with no target
            kept = {m.actor for m in rule_targets} if column == 1 and not rules else set()
            mine = [k for k in range(len(rows)) if labels[k] == column
                    and rows[k].mention.actor not in kept]
            best = max(mine, key=lambda k: probs[k, column], default=None)
            keys = {(m.start, m.end, m.actor) for m in rules}
            ruled = [k for k, r in enumerate(rows)
                     if (r.mention.start, r.mention.end, r.mention.actor) in keys]
            fill = self.fill_governed if column == 2 and best is not None \
                and governed(rows[best]) else self.fill
            if best is not None and (best in ruled or (
                    probs[best, column] >= self.switch if rules else
                    (column == 2 or fill_source) and probs[best, column] >= fill
                    and (not self.fill_local or local(rows[best]))
                    and fillable(rows[best], column, heads[best]))):
                # the model's pick, with its conjuncts and the rules' other mentions of the
                # role that the model labels the same
                head = heads[best]
                group = {t.i for t in head.conjuncts} if head is not None else set()
                chosen[column] = [rows[best].mention] + [
                    rows[k].mention for k in mine if k != best and (k in ruled or (
                        heads[k] is not None and heads[k].i in group))]
            elif ruled and min(probs[k, 0] for k in ruled) >= self.drop:
                chosen[column] = []  # sure that the rules' mention plays no role
            else:
                chosen[column] = list(rules)
        sources = chosen[1]
        taken = {m.actor for m in sources}
        targets = [m for m in chosen[2] if m.actor not in taken]
        return sources, targets


# Prepositions that say where, not to whom: "fought in Mosul in northern Iraq" has no
# target. PLV marks a role in every sentence, so the model cannot learn this itself.
LOCATIVE_PREPOSITIONS = frozenset({"in", "at", "near", "inside", "outside", "across",
                                   "throughout", "around", "within"})


def relative_role(head: Token | None) -> int | None:
    """The role (1 source, 2 target) that the relative pronoun of a clause hanging on
    ``head`` plays in it ("Hezbollah, which many have condemned": 2), None without one.
    A stand-in for a token (training's cached rows) carries it as ``relative``."""
    if head is None:
        return None
    if not isinstance(head, Token):
        return getattr(head, "relative", None)
    pronouns = [t for clause in head.children if clause.dep_ == "relcl"
                for t in clause.children if t.tag_ in ("WDT", "WP")]
    return (1 if pronouns[0].dep_ == "nsubj" else 2) if pronouns else None


def fillable(row: RoleRow, column: int, head: Token | None) -> bool:
    """Whether the model may give an empty role (``column`` 1 source, 2 target) to this
    mention: not one reached through a preposition of place (a source: anywhere down the
    path), and not a relative clause's
    antecedent in the other role than its relative pronoun's ("Hezbollah, which many
    have condemned": the object of the condemning, never its speaker), and no source
    farther from the trigger than a path reads."""
    path = next((f.partition("=")[2] for f in row.features if f.startswith("path=")), "")
    first = path.split(" ")[0]
    if first.startswith("vprep:") and first[len("vprep:"):] in LOCATIVE_PREPOSITIONS:
        return False
    if column == 1 and any(arc.startswith("v") and arc[1:].partition(":")[2]
                           in LOCATIVE_PREPOSITIONS for arc in path.split(" ")):
        # nor a doer named as the place of another word ("the attack inside Baghdad's
        # Green Zone injured ...": the zone's state did not attack; a trigger inside a
        # phrase of place, "talks at a conference with X", still looks up for its doer)
        return False
    if first == "^relcl":
        relative = relative_role(head)
        if relative is not None and relative != column:
            return False
    if column == 1 and path == "far":
        # a doer more than MAX_PATH arcs from the trigger is, in articles' long sentences,
        # mostly an actor of another clause (the role model's far source fills on the
        # development articles: 2 right, 6 wrong; PLV's short sentences rarely need one)
        return False
    return True


def local(row: RoleRow) -> bool:
    """Whether a mention is an argument of the trigger itself (or of its noun): a path of
    at most two arcs, all going down ("vdobj", "vprep:on vpobj", "vposs")."""
    for feature in row.features:
        name, _, path = feature.partition("=")
        if name in ("path", "npath") and path not in ("far", "none", "self"):
            arcs = path.split(" ")
            if len(arcs) <= 2 and not any(a.startswith("^") for a in arcs):
                return True
    return False


def governed(row: RoleRow) -> bool:
    """Whether a mention lies under the trigger in the parse with no clause between: its
    object (or a passive's subject), the object of its preposition, a possessor ("imposed
    sanctions on Iran's banks"); not through the agent of a passive (a doer), a gerund
    ("from ousting X": an act of its own) or a preposition of place ("his bases in Iraq").
    What the model labels target among these is mostly what the trigger acts on; farther
    up the parse, in long sentences, it is as often an actor of another clause."""
    if "crosses=False" not in row.features:
        return False
    path = next((f.partition("=")[2] for f in row.features if f.startswith("path=")), "")
    if path in ("", "far", "none", "self"):
        return False
    for arc in path.split(" "):
        relation, _, preposition = arc[1:].partition(":")
        if arc.startswith("^") or relation in ("agent", "pcomp") \
                or preposition in LOCATIVE_PREPOSITIONS:
            return False
    return True


@cache
def load_role_model(directory: str | None = None) -> RoleModel | None:
    """The shipped role model (or the one in ``directory``); None when there is none."""
    path = Path(directory) / "event_roles.npz" if directory else packaged("event_roles.npz")
    return RoleModel(LinearModel.load(path)) if path.exists() else None
