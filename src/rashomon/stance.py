"""Directed stance between two actors named in one sentence: who is for or against whom.

A sentence that names two actors often says how one stands toward the other ("X blamed
Y for ...", "Y was praised by X"). The model reads the pair in text order (``first``,
``second``) and gives one of five labels, as in Park et al. (2021): ``neutral``,
``first->second +``, ``second->first +``, ``first->second -``, ``second->first -``.

Everything it reads comes from the spaCy parse the pipeline already made, so the stage
costs little beyond the parse (no sentence encoder runs):

* **Tree.** The two mentions' heads and their lowest common ancestor in the dependency
  tree: its lemma, the dependency labels that lead up to it from each side (``nsubj`` ...
  ``dobj`` is "first acts on second", ``nsubjpass`` ... ``agent`` the reverse), the words
  on that path, a negation or a passive on it, what each head hangs from; and the whole
  path as labelled steps (``nsubjpass^ <praise> vagent vpobj``), its runs of two and
  three steps, and each step with the word it hangs from.
* **Words** between the two, and the five before the first and after the second,
  position-tagged (``b:``, ``l:``, ``r:``), and the content words (nouns, verbs,
  adjectives, adverbs) of the rest of the sentence (``s:``: "X backed Y's bid, calling
  it a disgrace" says how X stands past the window); the vocabulary of these strings and
  the tree's is the model's ``meta["vocabulary"]`` (kept when seen in at least 3 training
  pairs).
* **Token vectors**: the parser's own contextual vectors (``Doc.tensor``) averaged over
  the first mention, the second, the words between and the sentence, and the common
  ancestor's: one unit-length block each.
* **Word vectors**: the static wordpiece vectors (``rashomon.static_embed``) of the words
  between the two and of the lemmas on the tree path between them: what the words mean,
  for the many sentiment words too rare in training to have a weight of their own.
* **Shape**: distance, a quotation mark, a comma between, the first opening the sentence.

Parties. A sentence can say how an actor stands toward a name the resolver keeps out of
its actors (a US state, a city acting, a people's adjective, a firm it took for a town):
``actors.parties`` offers the tagged entities no actor mention covers, and the stage
keeps those that end up in a stance as actors of their own (events and claims, run
before, never see them).

The classifier is a multinomial logistic regression saved as a ``LinearModel``
(``models/stance.npz``; ``train/stance.py`` reproduces it, the model card
``models/stance.md`` gives its data and figures). ``find_stances`` runs it over a
parsed document's actor mentions and keeps the pairs it calls non-neutral, each with
its sentence span and probability.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np
import scipy.sparse as sp
from spacy.attrs import HEAD, IDX, IS_PUNCT, IS_SPACE, LIKE_NUM
from spacy.tokens import Doc, Span, Token

from .models import LinearModel, packaged
from .parse import (
    doc_text,
    token_deps,
    token_lemmas,
    token_lowers,
    token_sentence,
    token_tags,
    token_texts,
)
from .static_embed import static_vectors
from .types import DateMention, Mention, Stance

LABELS = ["neutral", "first->second +", "second->first +", "first->second -",
          "second->first -"]
# (source is the first actor, sign) of each non-neutral label.
DIRECTION = {1: (True, 1), 2: (False, 1), 3: (True, -1), 4: (False, -1)}

MODEL_FILE = "stance.npz"
# Words either side of the pair that count as "just before" / "just after".
WINDOW_WORDS = 5
# Most actors in one sentence whose pairs are read; more is a list, not a stance.
MAX_ACTORS_PER_SENTENCE = 6
# A pair is kept as a stance when a non-neutral label is the model's best and holds at
# least this much probability. The model's own ``meta["min_probability"]`` comes first:
# train/stance.py picks it by cross-validation on Park train; this is the fallback.
MIN_PROBABILITY = 0.5
# Dependency labels kept from each side's path up to the common ancestor, nearest it first:
# two tell "subject of" from "object of a preposition of" without making every path unique.
PATH_LABELS = 2
# Token-vector blocks: first mention, second, words between, sentence, common ancestor.
VECTOR_BLOCKS = ("first", "second", "between", "sentence", "ancestor")
# Static word-vector blocks: the words between the two, the lemmas on the tree path.
STATIC_BLOCKS = ("between words", "path lemmas")
SHAPE_FEATURES = ["log_distance", "quotation", "comma_between", "first_opens"]

_NEGATIONS = {"not", "no", "never", "n't", "nor", "neither", "without"}
# Parts of speech of the sentence's content words (``s:`` strings).
_CONTENT_POS = ("ADJ", "VERB", "ADV", "NOUN")
_QUOTES = "\"“”"


class _Tokens:
    """The token attributes the pair features read, as lists, taken once per parsed
    document (``_tokens``): a document's pairs read the same words, paths and blocks many
    times over, and spaCy builds a new Token (and a new Span) on every access."""

    def __init__(self, doc: Doc) -> None:
        # one array of the Doc's columns: a Token per word per attribute costs more
        columns = doc.to_array([IDX, IS_SPACE, IS_PUNCT, LIKE_NUM, HEAD])
        idx, space, punct, num, _ = columns.T.tolist()
        # the string columns the earlier stages read too (``parse.token_tags`` and kin)
        self.lemma_ = token_lemmas(doc)  # as the parse gives it (static paths)
        self.pos = token_tags(doc)
        self.dep = token_deps(doc)
        self.lower = token_lowers(doc)
        self.text = token_texts(doc)
        self.idx: list[int] = idx
        self.is_space = [bool(x) for x in space]
        self.is_punct = [bool(x) for x in punct]
        # ``_lemma``: "#" for a number
        self.lemma = ["#" if n else lemma.lower().replace("’", "'")
                      for lemma, n in zip(self.lemma_, num, strict=True)]
        # the ``s:`` string of a content word
        self.content = [f"s:{lemma.lower()}" if p in _CONTENT_POS else None
                        for lemma, p in zip(self.lemma_, self.pos, strict=True)]
        # heads are stored relative, as unsigned: back to signed, then absolute
        offsets = columns[:, -1].astype(np.int64).tolist()
        self.head = [i + offset for i, offset in enumerate(offsets)]
        self.children: list[list[int]] = [[] for _ in range(len(doc))]
        for i, h in enumerate(self.head):
            if h != i:
                self.children[h].append(i)
        # the Doc's text and arrays only: this table is kept in the Doc's user_data
        self.doc_text = doc_text(doc)
        self.tensor = doc.tensor
        self.width = (self.tensor.shape[1] if self.tensor.ndim == 2
                      and self.tensor.shape[0] == len(doc) else 0)
        self._blocks: dict[tuple[int, int], np.ndarray] = {}
        self._quoted: dict[tuple[int, int], bool] = {}

    def block(self, start: int, end: int) -> np.ndarray:
        """The unit-length mean token vector of tokens ``start:end`` (zeros if none)."""
        found = self._blocks.get((start, end))
        if found is None:
            if end > start:
                # what ``mean(axis=0)`` and ``np.linalg.norm`` compute, without their
                # Python wrappers (tens of thousands of blocks per corpus)
                block = np.add.reduce(self.tensor[start:end], axis=0)
                np.true_divide(block, np.intp(end - start), out=block, casting="unsafe")
            else:
                block = np.zeros(self.width)
            norm = float(np.sqrt(block.dot(block)))
            found = self._blocks[start, end] = block / norm if norm > 0 else block
        return found

    def quoted(self, start: int, end: int) -> bool:
        """Whether tokens ``start:end`` hold a quotation mark."""
        found = self._quoted.get((start, end))
        if found is None:
            found = self._quoted[start, end] = any(
                q in self.text[i] for i in range(start, end) for q in _QUOTES)
        return found

    def span_text(self, start: int, end: int) -> str:
        """The text of tokens ``start:end``, as ``Span.text`` gives it."""
        if end <= start:
            return ""
        return self.doc_text[self.idx[start]:self.idx[end - 1] + len(self.text[end - 1])]

    def common_ancestor(self, a: int, b: int) -> int | None:
        """The lowest token above (or at) both ``a`` and ``b``; None across sentences."""
        head = self.head
        above_a = {a}
        x = a
        while head[x] != x and len(above_a) <= len(head):
            x = head[x]
            above_a.add(x)
        x = b
        for _ in range(len(head) + 1):
            if x in above_a:
                return x
            if head[x] == x:
                return None
            x = head[x]
        return None

    def path_up(self, a: int, top: int) -> list[int]:
        """The tokens from ``a`` up to ``top``, excluding ``top``."""
        head = self.head
        path = []
        while a != top and head[a] != a:
            path.append(a)
            a = head[a]
        return path


_TOKENS = "rashomon.stance_tokens"  # the Doc's user_data key of its ``_Tokens``


def _tokens(doc: Doc) -> _Tokens:
    found = doc.user_data.get(_TOKENS)
    if found is None:
        found = doc.user_data[_TOKENS] = _Tokens(doc)
    return found


@dataclass(frozen=True)
class Pair:
    """Two mentions in a parsed document, ``first`` before ``second`` (token spans), and
    the stretch of sentences that holds them (``context``)."""

    first: Span
    second: Span
    context: Span

    @classmethod
    def from_chars(cls, doc: Doc, first: tuple[int, int], second: tuple[int, int]
                   ) -> Pair | None:
        """The pair of character spans ``first`` and ``second`` (``first`` ending before
        ``second`` starts); None if either covers no token or they share one."""
        a = doc.char_span(first[0], first[1], alignment_mode="expand")
        b = doc.char_span(second[0], second[1], alignment_mode="expand")
        if a is None or b is None or len(a) == 0 or len(b) == 0 or a.end > b.start:
            return None
        return cls(a, b, doc[token_sentence(a[0]).start:token_sentence(b[-1]).end])

    @cached_property
    def _tree(self) -> tuple[_Tokens, int, int, tuple[int, list[int], list[int]] | None]:
        """The document's tokens, the two heads, and where they meet: the common ancestor
        and the paths up to it from each head (None across sentences)."""
        tokens = _tokens(self.first.doc)
        a, b = self.first.root.i, self.second.root.i
        top = tokens.common_ancestor(a, b)
        meet = None if top is None else (top, tokens.path_up(a, top), tokens.path_up(b, top))
        return tokens, a, b, meet

    def strings(self) -> list[str]:
        """The sparse features: tree and position-tagged words (see the module docstring)."""
        tokens, a, b, meet = self._tree
        lemma, space, content = tokens.lemma, tokens.is_space, tokens.content
        first, second, context = self.first, self.second, self.context
        fs, fe, ss, se = first.start, first.end, second.start, second.end
        out = [f"b:{lemma[i]}" for i in range(fe, ss) if not space[i]]
        out += [f"l:{lemma[i]}" for i in range(max(context.start, fs - WINDOW_WORDS), fs)
                if not space[i]]
        out += [f"r:{lemma[i]}" for i in range(se, min(context.end, se + WINDOW_WORDS))
                if not space[i]]
        out += [word for i in range(context.start, context.end)
                if (word := content[i]) is not None and not fs <= i < se]
        return [*out, *_tree_strings(tokens, a, b, meet), *_path_grams(tokens, meet)]

    def static_texts(self) -> list[str]:
        """The texts of ``STATIC_BLOCKS``: the words between the two, the path's lemmas."""
        tokens, _, _, meet = self._tree
        path = [] if meet is None else [*meet[1][1:], *meet[2][1:], meet[0]]
        return [tokens.span_text(self.first.end, self.second.start),
                " ".join(tokens.lemma_[i] for i in path)]

    def vectors(self) -> np.ndarray:
        """The unit-length token-vector blocks of ``VECTOR_BLOCKS``, concatenated."""
        tokens, _, _, meet = self._tree
        if not tokens.width:
            return np.zeros(0, dtype=np.float32)
        blocks = [(self.first.start, self.first.end), (self.second.start, self.second.end),
                  (self.first.end, self.second.start), (self.context.start, self.context.end),
                  (meet[0], meet[0] + 1) if meet is not None else (0, 0)]
        return np.concatenate([tokens.block(s, e) for s, e in blocks]).astype(np.float32)

    def shape(self) -> list[float]:
        tokens = self._tree[0]
        first, second, context = self.first, self.second, self.context
        between = range(first.end, second.start)
        return [
            math.log1p(sum(not tokens.is_punct[i] for i in between)),
            float(tokens.quoted(context.start, context.end)),
            float(any(tokens.text[i] == "," for i in between)),
            float(first.start - context.start < 2),  # opens the sentence: usually its subject
        ]


def _tree_strings(tokens: _Tokens, a: int, b: int,
                  meet: tuple[int, list[int], list[int]] | None) -> list[str]:
    """Where the two heads ``a`` and ``b`` meet in the tree (``meet``: the common ancestor
    and the paths up to it) and how each hangs from that point."""
    lemma, dep, head = tokens.lemma, tokens.dep, tokens.head
    out = [f"h1:{lemma[head[a]]}", f"h2:{lemma[head[b]]}", f"r1:{dep[a]}", f"r2:{dep[b]}"]
    if meet is None:
        return [*out, "lca:none"]
    top, up_a, up_b = meet
    labels_a = "/".join(dep[t] for t in reversed(up_a[-PATH_LABELS:])) or "self"
    labels_b = "/".join(dep[t] for t in reversed(up_b[-PATH_LABELS:])) or "self"
    top_lemma = lemma[top]
    out += [f"lca:{top_lemma}", f"lcapos:{tokens.pos[top]}", f"d1:{labels_a}",
            f"d2:{labels_b}", f"dd:{labels_a}|{labels_b}",
            f"ld:{top_lemma}|{labels_a.split('/')[0]}|{labels_b.split('/')[0]}"]
    on_path = [*up_a[1:], *up_b[1:], top]
    out += [f"p:{lemma[t]}" for t in on_path]
    children = [c for t in on_path for c in tokens.children[t]]
    if any(dep[c] == "neg" or tokens.lower[c] in _NEGATIONS for c in children):
        out.append("neg")
    if any(dep[c] in ("auxpass", "nsubjpass") for c in children):
        out.append("pass")
    return out


def _path_grams(tokens: _Tokens, meet: tuple[int, list[int], list[int]] | None) -> list[str]:
    """The whole tree path from one head to the other as labelled steps (``nsubj^``
    up from the first, the common ancestor's lemma, ``vdobj`` down to the second), its
    runs of two and three steps, and each step with the word it hangs from: how the two
    are linked, beyond the two labels nearest the ancestor that ``_tree_strings`` keeps."""
    if meet is None:
        return []
    lemma, dep, head = tokens.lemma, tokens.dep, tokens.head
    top, up_a, up_b = meet
    steps = [f"{dep[t]}^" for t in up_a] + [f"<{lemma[top]}>"] + [
        f"v{dep[t]}" for t in reversed(up_b)]
    out = ["pf:" + " ".join(steps)]
    for n in (2, 3):
        out += ["pn:" + " ".join(steps[i:i + n]) for i in range(len(steps) - n + 1)]
    out += [f"pe:{dep[t]}^{lemma[head[t]]}" for t in up_a]
    out += [f"pe:v{dep[t]}:{lemma[head[t]]}" for t in reversed(up_b)]
    return out


def static_features(pairs: Sequence[Pair]) -> np.ndarray:
    """The static word-vector blocks of ``STATIC_BLOCKS``, one row per pair."""
    table = static_vectors()
    if table is None:
        raise ValueError("the stance model needs models/static_vectors.npz, which this "
                         "installation lacks")
    texts = [p.static_texts() for p in pairs]
    between = table.encode([words for words, _ in texts])
    # the lemmas of a tree path recur from document to document: their rows are kept
    paths = np.zeros((len(texts), table.dims), dtype=np.float32)
    for row, (_, lemmas) in enumerate(texts):
        paths[row] = table.vector(lemmas)
    return np.hstack([between, paths])


def pair_features(pairs: Sequence[Pair], vocabulary: Sequence[str] | dict[str, int]
                  ) -> np.ndarray:
    """The feature matrix of pairs: token vectors, static word vectors, then string
    indicators, then shape.

    ``vocabulary``: the strings in column order, or already as {string: column}."""
    return _sparse_features(pairs, vocabulary).toarray()


def _sparse_features(pairs: Sequence[Pair], vocabulary: Sequence[str] | dict[str, int]
                     ) -> sp.csr_matrix:
    """``pair_features`` as a sparse matrix: the string indicators are tens of thousands
    of columns with a few dozen set per pair, too many to fill densely per document."""
    index = vocabulary if isinstance(vocabulary, dict) else {
        w: i for i, w in enumerate(vocabulary)}
    n = len(pairs)
    vectors = np.zeros((n, len(VECTOR_BLOCKS) * vector_width(pairs)), dtype=np.float32)
    string_cols: list[int] = []
    string_counts = []
    for row, pair in enumerate(pairs):
        found = pair.vectors()
        vectors[row, :found.size] = found
        columns = set(map(index.get, pair.strings()))
        columns.discard(None)
        string_cols += sorted(columns)
        string_counts.append(len(columns))
    dense = np.hstack([vectors, static_features(pairs)])
    shape = np.array([pair.shape() for pair in pairs],
                     dtype=np.float32).reshape(n, len(SHAPE_FEATURES))
    return _stacked_csr(dense, np.array(string_cols, dtype=np.intp),
                        np.array(string_counts, dtype=np.intp), len(index), shape)


def _stacked_csr(dense: np.ndarray, string_cols: np.ndarray, string_counts: np.ndarray,
                 strings: int, shape: np.ndarray) -> sp.csr_matrix:
    """The matrix ``sp.hstack`` of ``csr_matrix(dense)``, the string indicators (ones at
    ``string_cols``, ``string_counts`` a row, ascending within each row, among
    ``strings`` columns) and ``csr_matrix(shape)`` would make: each row's non-zero
    entries in column order, the order its product with the model's weights sums them
    in. The three blocks are laid side by side, one row per pair (the string block
    padded to the row with most strings), and the entries kept are read off row by row."""
    n, width = dense.shape
    longest = int(string_counts.max(initial=0))
    taken = np.arange(longest) < string_counts[:, None]
    columns = np.zeros((n, longest), dtype=np.intp)
    columns[taken] = string_cols + width
    keep = np.hstack([dense != 0, taken, shape != 0])
    values = np.hstack([dense, taken.astype(np.float32), shape])
    index = np.hstack([np.broadcast_to(np.arange(width, dtype=np.intp), (n, width)), columns,
                       np.broadcast_to(np.arange(shape.shape[1], dtype=np.intp)
                                       + width + strings, shape.shape)])
    starts = np.zeros(n + 1, dtype=np.intp)
    np.cumsum(keep.sum(axis=1), out=starts[1:])
    return sp.csr_matrix((values[keep], index[keep], starts),
                         shape=(n, width + strings + shape.shape[1]))


def vector_width(pairs: Sequence[Pair]) -> int:
    """The parser's token-vector width (96 for the small English model)."""
    for pair in pairs:
        tensor = pair.first.doc.tensor
        if tensor.ndim == 2 and tensor.shape[0]:
            return int(tensor.shape[1])
    return 0


@cache
def load_model() -> LinearModel:
    """The packaged stance model (loaded once per process)."""
    return LinearModel.load(packaged(MODEL_FILE))


# The column of each vocabulary string for the last model used: built once, not per document.
_LAST_INDEX: list[tuple[LinearModel, dict[str, int]]] = []


def _index(model: LinearModel) -> dict[str, int]:
    if not _LAST_INDEX or _LAST_INDEX[0][0] is not model:
        _LAST_INDEX[:] = [(model, {w: i for i, w in enumerate(model.meta["vocabulary"])})]
    return _LAST_INDEX[0][1]


def classify(pairs: Sequence[Pair], model: LinearModel | None = None) -> np.ndarray:
    """Probabilities over ``LABELS`` for each pair, one row per pair."""
    model = model or load_model()
    if not pairs:
        return np.zeros((0, len(LABELS)))
    features = _sparse_features(pairs, _index(model))
    if features.shape[1] != model.coef.shape[1]:
        raise ValueError(f"stance model expects {model.coef.shape[1]} features, the parse "
                         f"gives {features.shape[1]} (a parser with another vector width?)")
    scores = np.asarray(features @ model.coef.T) + model.intercept
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    proba = exp / exp.sum(axis=1, keepdims=True)
    order = [model.classes.index(str(i)) for i in range(len(LABELS))]
    return proba[:, order]


def find_stances(doc: Doc, document: str, mentions: Sequence[Mention],
                 dates: Sequence[DateMention] = (), model: LinearModel | None = None,
                 parties: Sequence[Mention] = ()) -> list[Stance]:
    """The directed stances between actors named together in a sentence of ``doc``.

    For each pair of different actors in a sentence, the closest pair of their mentions
    is read; a pair the model calls non-neutral (with at least its keep-threshold of
    the probability, see ``MIN_PROBABILITY``) becomes a Stance from the source actor to
    the target, dated by the resolved date mention of the sentence nearest the pair, if
    there is one. ``parties`` (``actors.parties``: entities no actor covers) join a
    sentence's actors as far as ``MAX_ACTORS_PER_SENTENCE`` allows, the actors first.
    """
    text = doc_text(doc)
    candidates: list[tuple[tuple[int, int], Mention, Mention, Pair]] = []
    by_sentence: dict[int, list[Mention]] = {}
    sentences = [(s.start_char, s.end_char) for s in doc.sents]
    starts = [s for s, _ in sentences]
    for m in sorted((m for m in mentions if m.actor), key=lambda m: m.start):
        k = _sentence_of(starts, m.start)
        if k is not None and m.end <= sentences[k][1]:
            by_sentence.setdefault(k, []).append(m)
    named_in: dict[int, set[str]] = {}  # sentence -> the actors its mentions name
    for m in sorted(parties, key=lambda m: m.start):
        k = _sentence_of(starts, m.start)
        if k is None or m.end > sentences[k][1]:
            continue
        inside = by_sentence.setdefault(k, [])
        named = named_in.setdefault(k, {x.actor for x in inside})
        # an actor named in the sentence is read at its own mentions, not at a word the
        # tagger also took for a name ("Shiite" beside "Sadr", once called a Shiite cleric)
        if m.actor not in named and len({x.actor for x in inside}) < MAX_ACTORS_PER_SENTENCE:
            inside.append(m)
    for k, inside in by_sentence.items():
        inside.sort(key=lambda m: m.start)
        actors = list(dict.fromkeys(m.actor for m in inside))
        if len(actors) < 2 or len(actors) > MAX_ACTORS_PER_SENTENCE:
            continue
        for i, a in enumerate(actors):
            for b in actors[i + 1:]:
                found = _closest(_named_first([m for m in inside if m.actor == a]),
                                 _named_first([m for m in inside if m.actor == b]))
                if found is None:
                    continue
                pair = Pair.from_chars(doc, (found[0].start, found[0].end),
                                       (found[1].start, found[1].end))
                if pair is not None:
                    candidates.append((sentences[k], *found, pair))
    if not candidates:
        return []
    model = model or load_model()
    threshold = float(model.meta.get("min_probability", MIN_PROBABILITY))
    proba = classify([c[3] for c in candidates], model)
    verdicts: list[tuple[Mention, Mention, int, float] | None] = []
    for (_, m1, m2, _), p in zip(candidates, proba, strict=True):
        label = int(p.argmax())
        if label == 0 or p[label] < threshold:
            verdicts.append(None)
            continue
        forward, sign = DIRECTION[label]
        verdicts.append((*((m1, m2) if forward else (m2, m1)), sign, float(p[label])))
    verdicts = _conjuncts_share(candidates, verdicts)
    out = []
    for ((s, e), m1, _, _), verdict in zip(candidates, verdicts, strict=True):
        if verdict is None:
            continue
        src, tgt, sign, probability = verdict
        within = [d for d in dates if d.value and s <= d.start and d.end <= e]
        date = min(within, key=lambda d: abs(d.start - m1.end)).value if within else None
        out.append(Stance(
            id=f"{document}:st{len(out) + 1}", document=document, start=s, end=e,
            sentence=text[s:e], source=src.actor, target=tgt.actor, sign=sign,
            probability=round(probability, 4),
            source_span=[src.start, src.end], target_span=[tgt.start, tgt.end], date=date,
            in_comment=m1.in_comment, comment=m1.comment,
        ))
    return out


def _conjuncts_share(candidates: list[tuple[tuple[int, int], Mention, Mention, Pair]],
                     verdicts: list[tuple[Mention, Mention, int, float] | None]
                     ) -> list[tuple[Mention, Mention, int, float] | None]:
    """Verdicts (source, target, sign, probability) with coordinated mentions sharing
    them: a pair left neutral takes the stance of a kept pair that has the same mention
    on one side and, on the other, a mention coordinated with its own ("X condemned A
    and B", "A and B praised X"). The model reads the farther conjunct through a longer
    path and more words between, so it often misses what the sentence says of both."""
    out = list(verdicts)
    # each candidate's mentions -> the tokens their phrases hang from, once
    heads = [{(m1.start, m1.end): _phrase_head(pair.first.root),
              (m2.start, m2.end): _phrase_head(pair.second.root)}
             for _, m1, m2, pair in candidates]
    kept_in: dict[tuple[int, int], list[int]] = {}  # sentence -> its kept candidates
    for k, verdict in enumerate(verdicts):
        if verdict is not None:
            kept_in.setdefault(candidates[k][0], []).append(k)
    for k, (sentence, m1, m2, _) in enumerate(candidates):
        if verdicts[k] is not None:
            continue
        spans = {(m.start, m.end): m for m in (m1, m2)}
        for j in kept_in.get(sentence, []):
            src, tgt, sign, probability = verdicts[j]
            for shared, free in (((src.start, src.end), (tgt.start, tgt.end)),
                                 ((tgt.start, tgt.end), (src.start, src.end))):
                rest = [key for key in spans if key != shared]
                if shared not in spans or len(rest) != 1 or free not in heads[j]:
                    continue
                if heads[k][rest[0]].i not in {t.i for t in heads[j][free].conjuncts}:
                    continue
                mine = spans[rest[0]]
                out[k] = (src, mine, sign, probability) if shared == (src.start, src.end) \
                    else (mine, tgt, sign, probability)
                break
            if out[k] is not None:
                break
    return out


def _phrase_head(token: Token) -> Token:
    """The noun a name modifies as a compound ("Dawa" in "the Dawa movement"): where
    the phrase, and so its coordination, hangs."""
    while token.dep_ == "compound" and token.head.i != token.i:
        token = token.head
    return token


def _sentence_of(starts: list[int], offset: int) -> int | None:
    from bisect import bisect_right

    k = bisect_right(starts, offset) - 1
    return k if k >= 0 else None


def _named_first(mentions: list[Mention]) -> list[Mention]:
    """An actor's mentions by name where the sentence has one: the model learned pairs of
    names, and a pronoun standing for the same actor ("Turkey attacked ..., as it did
    against Iraq") is a poorer pair than the name."""
    named = [m for m in mentions if m.rule != "pronoun"]
    return named or mentions


def _closest(left: list[Mention], right: list[Mention]) -> tuple[Mention, Mention] | None:
    """The two non-overlapping mentions nearest each other, in text order."""
    best: tuple[int, Mention, Mention] | None = None
    for x in left:
        for y in right:
            first, second = (x, y) if x.start <= y.start else (y, x)
            if first.end > second.start:
                continue
            gap = second.start - first.end
            if best is None or gap < best[0]:
                best = (gap, first, second)
    return None if best is None else (best[1], best[2])
