"""A document's text with its actor mentions, events, claims and stances highlighted.

Spans may overlap (a mention inside an event inside a claim), so the text is
cut at every span boundary and each piece is wrapped in one ``<mark>`` whose
classes say which kinds of span cover it. Each span also gets an empty
anchor element at its start, ``span-ev-ID``, ``span-cl-ID``, ``span-st-ID`` or ``span-mn-N``,
which the rest of the report links to.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ..types import Claim, Event, Mention, Stance
from .markup import anchor, esc


@dataclass
class Span:
    start: int
    end: int
    kind: str  # mn (mention), ev (event), cl (claim), st (stance)
    ident: str
    label: str


def document_spans(
    text: str,
    mentions: list[tuple[int, Mention]],
    events: list[Event],
    claims: list[Claim],
    names: dict[str, str],
    stances: Sequence[Stance] = (),
) -> list[Span]:
    """The spans to highlight in one document's text; ``mentions`` come numbered.

    Events are marked on their trigger when known, claims on their content, stances on
    their sentence; items
    from reader comments and spans outside the text are left out, since their
    offsets do not point into the article body.
    """
    spans = []
    for n, m in mentions:
        if not m.in_comment:
            spans.append(Span(m.start, m.end, "mn", str(n), _name(m.actor, names)))
    main = main_events(events)
    for e in events:
        if e.in_comment:
            continue
        start, end = (e.trigger_start, e.trigger_end)
        if start is None or end is None:
            start, end = e.start, e.end
        who = f"{_name(e.source, names)} → {_name(e.target, names)}"
        note = ", main event of its sentence" if e.id in main else ""
        spans.append(Span(start, end, "ev", e.id,
                          f"event {e.id}: {e.type} {who} ({e.modality}{note})"))
    for c in claims:
        if c.in_comment:
            continue
        start, end = c.content_start, c.content_end
        if start is None or end is None:
            start, end = c.start, c.end
        label = f"claim {c.id}: {_name(c.speaker, names)} ({c.cue_type})"
        spans.append(Span(start, end, "cl", c.id, label))
    for st in stances:
        if not st.in_comment:
            sign = "for" if st.sign > 0 else "against"
            spans.append(Span(st.start, st.end, "st", st.id,
                              f"stance {st.id}: {_name(st.source, names)} {sign} "
                              f"{_name(st.target, names)} (p={st.probability:.2f})"))
    return [s for s in spans if 0 <= s.start < s.end <= len(text)]


def highlight(text: str, spans: list[Span]) -> str:
    """Escaped HTML of ``text`` with ``spans`` marked and anchored."""
    cuts = sorted({0, len(text)} | {s.start for s in spans} | {s.end for s in spans})
    starts: dict[int, list[Span]] = {}
    for s in spans:
        starts.setdefault(s.start, []).append(s)
    out = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        for s in starts.get(left, []):
            out.append(f'<span class="anchor" id="{anchor("span-" + s.kind, s.ident)}"></span>')
        covering = [s for s in spans if s.start <= left and right <= s.end]
        piece = esc(text[left:right])
        if covering:
            kinds = " ".join(sorted({s.kind for s in covering}))
            title = "; ".join(s.label for s in covering)
            out.append(f'<mark class="{kinds}" title="{esc(title)}">{piece}</mark>')
        else:
            out.append(piece)
    return "".join(out)


def _name(actor: str | None, names: dict[str, str]) -> str:
    return names.get(actor, actor) if actor else "?"


def main_events(events: Sequence[Event]) -> set[str]:
    """The ids of the events that are their sentence's main event (the highest salience,
    then confidence) in sentences that state several; none where no salience was scored."""
    by_sentence: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for e in events:
        if e.salience is not None:
            by_sentence[(e.document, e.sentence)].append(e)
    return {max(group, key=lambda e: (e.salience or 0.0, e.confidence)).id
            for group in by_sentence.values()
            if len({e.trigger_start for e in group}) > 1}
