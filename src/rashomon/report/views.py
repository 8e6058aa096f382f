"""The report's views as HTML fragments, each a ``<section>`` addressable by hash.

incidents (read first; in ``comparison``), overview, network, timeline, map, outlets (in
``comparison``), documents. Every number or mark in a
view links to the rows that hold its evidence, and those rows link to the spans
in the document view, so any figure can be traced to the sentences behind it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..alignments import Alignment, Change, describe_change
from ..framing import Technique
from ..incidents.tellings import IncidentView
from ..outlets import OutletView, outlet_of
from ..relations import document_period, event_period, with_kb_actors
from ..types import Analysis, Document, Event, Relation
from .figures import MapPoint, map_svg, network_svg, relation_key, timeline_svg
from .highlight import Span, document_spans, highlight
from .markup import anchor, esc, link, links

VIEWS = [
    ("incidents", "Incidents"),
    ("overview", "Overview"),
    ("network", "Network"),
    ("timeline", "Timeline"),
    ("map", "Map"),
    ("outlets", "Outlets"),
    ("documents", "Documents"),
]


@dataclass
class Context:
    """Everything the views draw from, computed once."""

    analysis: Analysis
    relations: list[Relation]  # direct and, when the KB has affiliations, rolled-up
    alignments: list[Alignment]
    changes: list[Change]
    outlets: OutletView
    incidents: list[IncidentView] = field(default_factory=list)  # most told first
    framing: list[Technique] = field(default_factory=list)
    framing_rates: dict[str, dict[str, float]] = field(default_factory=dict)  # per outlet
    names: dict[str, str] = field(init=False)
    docs: dict[str, Document] = field(init=False)
    claim_ids: set[str] = field(init=False)

    def __post_init__(self) -> None:
        self.names = {a.id: a.name for a in self.analysis.actors}
        # Rolled-up ties may end at KB parents the corpus never names: name them too.
        missing = {x for r in self.relations for x in (r.a, r.b)} - set(self.names)
        if missing:
            self.names.update((a.id, a.name) for a in with_kb_actors(()) if a.id in missing)
        self.docs = {d.id: d for d in self.analysis.documents}
        self.claim_ids = {c.id for c in self.analysis.claims}

    def name(self, actor: str | None) -> str:
        return self.names.get(actor, actor) if actor else "—"

    def actor_link(self, actor: str | None) -> str:
        return link("actor", actor, self.name(actor)) if actor else "—"


def overview(ctx: Context) -> str:
    a = ctx.analysis
    periods = Counter(event_period(e, ctx.docs.get(e.document)) for e in a.events
                      if not e.in_comment)
    per_outlet = Counter(outlet_of(d) for d in a.documents)
    counts = [("documents", len(a.documents)), ("outlets", len(per_outlet)),
              ("actors", len(a.actors)), ("events", len(a.events)), ("claims", len(a.claims)),
              ("relations", len([r for r in ctx.relations if r.view == "direct"])),
              ("periods", len(periods))]
    rows = "".join(f"<tr><th>{esc(k)}</th><td>{v}</td></tr>" for k, v in counts)
    outlet_rows = "".join(
        f'<tr><td>{link("outlet", o, o)}</td><td>{n}</td></tr>'
        for o, n in sorted(per_outlet.items())
    )
    period_rows = "".join(f"<tr><td>{esc(p)}</td><td>{n}</td></tr>"
                          for p, n in sorted(periods.items()))
    change_items = "".join(
        f"<li>{esc(describe_change(c, ctx.names))} "
        f'<span class="evidence">before: {_evidence(c.before)}; after: {_evidence(c.after)}'
        f"</span></li>"
        for c in ctx.changes if c.view == "direct"
    ) or "<li>No relation changes sign or strength between periods.</li>"
    actor_rows = "".join(
        f'<tr id="{anchor("actor", x.id)}"><td>{esc(x.name)}</td><td>{esc(x.kind)}</td>'
        f"<td>{esc(x.country or '')}</td><td>{esc(x.id)}</td></tr>"
        for x in sorted(a.actors, key=lambda x: x.name.lower())
    )
    return (
        '<h2>Overview</h2><div class="cols">'
        f'<table class="counts">{rows}</table>'
        f"<table><thead><tr><th>outlet</th><th>documents</th></tr></thead>{outlet_rows}</table>"
        f"<table><thead><tr><th>period</th><th>events</th></tr></thead>{period_rows}</table>"
        "</div>"
        f'<h3>How relations changed</h3><ul class="changes">{change_items}</ul>'
        "<h3>Actors</h3><table><thead><tr><th>name</th><th>kind</th><th>country</th>"
        f"<th>id</th></tr></thead>{actor_rows}</table>"
    )


def network(ctx: Context) -> str:
    by_graph: dict[tuple[str, str], list[Relation]] = defaultdict(list)
    for r in ctx.relations:
        by_graph[(r.view, r.period)].append(r)
    aligned = {(al.view, al.period): al for al in ctx.alignments}
    options, panels = [], []
    # The view opens on the direct graph with the most ties, not on the earliest year.
    busiest = max(by_graph, key=lambda k: (k[0] == "direct", len(by_graph[k]), k[1]),
                  default=None)
    for key in sorted(by_graph, key=lambda k: (k[0] != "direct", k[1], k[0])):
        view, period = key
        ties = by_graph[key]
        alignment = aligned.get(key) or Alignment(period, view, [], 0, 0.0, [], "exact")
        graph_id = anchor("graph", f"{view}|{period}")
        label = f"{period} — {'direct' if view == 'direct' else 'rolled up via affiliations'}"
        chosen = " selected" if key == busiest else ""
        options.append(f'<option value="{graph_id}"{chosen}>{esc(label)}</option>')
        camps = "".join(
            f'<li class="camp{i % 6}">{", ".join(ctx.actor_link(x) for x in camp)}</li>'
            for i, camp in enumerate(alignment.camps)
        )
        frustrated = "".join(
            f"<li>{esc(t.explanation)} ({t.score:+.2f}) "
            f'<span class="evidence">{links("ev", t.events)} {links("cl", t.claims)}</span></li>'
            for t in alignment.frustrated
        ) or "<li>None: the camps account for every tie.</li>"
        panels.append(
            f'<div class="graph" id="{graph_id}" data-graph="{esc(view)}|{esc(period)}">'
            f"<h3>{esc(label)}</h3>"
            f'<div class="cols"><div>{network_svg(alignment, ties, ctx.names)}</div>'
            f'<div class="side"><h4>Camps</h4><ol class="camps">{camps}</ol>'
            f"<p>Frustration: {alignment.frustration} tie(s), weight "
            f"{alignment.frustration_weight:.2f} ({esc(alignment.status)} partition; "
            f"{esc(alignment.support())}).</p>"
            f'<h4>Ties the camps cannot explain</h4><ul>{frustrated}</ul>'
            f'<div class="actor-panel" aria-live="polite"></div></div></div>'
            f"{_relation_table(ctx, ties)}</div>"
        )
    if not panels:
        return "<h2>Network</h2><p>No relations.</p>"
    return (
        '<h2>Actor network</h2><p class="legend"><span class="pos">allied</span> '
        '<span class="neg">hostile</span> <span class="zero">neutral or mixed</span> '
        "dashed: frustrated. Click a tie for its evidence, an actor for its ties.</p>"
        f'<label>Period and view <select id="graph-select">{"".join(options)}</select></label>'
        + "".join(panels)
    )


def timeline(ctx: Context) -> str:
    dated = [(e, e.date or _published(ctx, e.document)) for e in ctx.analysis.events]
    dated.sort(key=lambda pair: (pair[1], pair[0].id))
    rows = "".join(_event_row(ctx, e, date) for e, date in dated)
    claim_rows = "".join(
        f'<tr id="{anchor("cl", c.id)}"><td>{esc(document_period(ctx.docs.get(c.document)))}</td>'
        f"<td>{ctx.actor_link(c.speaker)}</td><td>{esc(c.cue_type or '')} ({esc(c.cue)})</td>"
        f'<td>{", ".join(ctx.actor_link(x) for x in c.about)}</td>'
        f"<td>{esc(_outlet(ctx, c.document))}</td>"
        f"<td>{link('doc', c.document) if c.in_comment else link('span-cl', c.id)}</td>"
        f"<td>{esc(c.content)}</td></tr>"
        for c in sorted(ctx.analysis.claims, key=lambda c: (c.document, c.start))
    )
    return (
        "<h2>Event timeline</h2>"
        f"{timeline_svg([(e, d) for e, d in dated if not e.in_comment])}"
        "<h3>Events</h3><table><thead><tr><th>date</th><th>type</th><th>source</th>"
        "<th>target</th><th>modality</th><th>outlet</th><th>in text</th><th>sentence</th>"
        f"</tr></thead><tbody>{rows}</tbody></table>"
        "<h3>Claims</h3><table><thead><tr><th>period</th><th>speaker</th><th>cue</th>"
        "<th>about</th><th>outlet</th><th>in text</th><th>content</th></tr></thead>"
        f"<tbody>{claim_rows}</tbody></table>"
    )


def map_view(ctx: Context) -> str:
    points: dict[str, MapPoint] = {}
    for e in ctx.analysis.events:
        place = e.place or {}
        if e.in_comment or place.get("lat") is None or place.get("lon") is None:
            continue
        name = str(place.get("name") or f"{place['lat']}, {place['lon']}")
        point = points.setdefault(name, MapPoint(name, float(place["lat"]),
                                                 float(place["lon"]), place.get("country"), []))
        point.events.append(e.id)
    spans: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for p in ctx.analysis.places:
        if p.name in points:
            spans[p.name].append((p.document, p.start))
    rows = "".join(
        f'<tr id="{anchor("place", p.name)}"><td>{esc(p.name)}</td>'
        f"<td>{esc(p.country or '')}</td><td>{p.lat:.2f}, {p.lon:.2f}</td>"
        f'<td>{links("ev", p.events)}</td>'
        f'<td>{", ".join(link("doc", d, d) for d in sorted({d for d, _ in spans[p.name]}))}</td>'
        "</tr>"
        for p in sorted(points.values(), key=lambda p: p.name)
    )
    return (
        "<h2>Map of event places</h2>"
        '<p class="legend">Equirectangular projection of the area around the places; '
        "country codes at the centre of their places.</p>"
        f"{map_svg(list(points.values()))}"
        "<table><thead><tr><th>place</th><th>country</th><th>lat, lon</th><th>events</th>"
        f"<th>documents</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def outlets(ctx: Context) -> str:
    from . import comparison

    return comparison.outlets(ctx, ctx.outlets, ctx.framing_rates)


def incidents(ctx: Context) -> str:
    from . import comparison

    return comparison.incidents(ctx, ctx.incidents)


def documents(ctx: Context) -> str:
    a = ctx.analysis
    mentions = defaultdict(list)
    for n, m in enumerate(a.mentions):
        mentions[m.document].append((n, m))
    events, claims = defaultdict(list), defaultdict(list)
    for e in a.events:
        events[e.document].append(e)
    for c in a.claims:
        claims[c.document].append(c)
    stances = defaultdict(list)
    for st in a.stances:
        stances[st.document].append(st)
    techniques = defaultdict(list)
    for n, t in enumerate(ctx.framing):
        techniques[t.document].append((n, t))
    parts = ['<h2>Documents</h2><p class="legend"><mark class="mn">actor mention</mark> '
             '<mark class="ev">event</mark> <mark class="cl">claim</mark> '
             '<mark class="st">stance</mark> <mark class="fr">framing technique</mark></p>']
    for doc in sorted(a.documents, key=lambda d: (d.published or "", d.id)):
        spans = document_spans(doc.text, mentions[doc.id], events[doc.id], claims[doc.id],
                               ctx.names, stances[doc.id])
        spans += [Span(t.start, t.end, "fr", str(n),
                       f"{t.technique.replace('_', ' ')} (p={t.probability:.2f})")
                  for n, t in techniques[doc.id]]
        framing = "".join(
            f'<li><a href="#{anchor("span-fr", str(n))}">{esc(t.technique.replace("_", " "))}'
            f"</a> ({t.probability:.2f}): {esc(t.text[:140])}</li>"
            for n, t in techniques[doc.id])
        comments = "".join(
            f"<li><b>{esc(c.author or 'anonymous')}</b> {esc(c.date or '')}: {esc(c.text)}</li>"
            for c in doc.comments
        )
        parts.append(
            f'<article class="doc" id="{anchor("doc", doc.id)}">'
            f"<h3>{esc(doc.title or doc.id)}</h3>"
            f'<p class="meta">{esc(outlet_of(doc))} · {esc(doc.published or "undated")} · '
            f'{esc(doc.id)}{" · " + esc(doc.url) if doc.url else ""}</p>'
            f'<div class="text">{highlight(doc.text, spans)}</div>'
            f'<p class="evidence">events: {links("ev", [e.id for e in events[doc.id]])}; '
            f'claims: {links("cl", [c.id for c in claims[doc.id]])}</p>'
            + (f'<h4>Framing techniques</h4><ul class="framing">{framing}</ul>'
               if framing else "")
            + (f'<h4>Reader comments</h4><ul class="comments">{comments}</ul>'
               if comments else "")
            + "</article>"
        )
    return "".join(parts)


def _event_row(ctx: Context, e: Event, date: str) -> str:
    notes = (" negated" if e.negated else "") + (" (reader comment)" if e.in_comment else "")
    # Comment items have no span in the article body: link to their document instead.
    where = link("doc", e.document) if e.in_comment else link("span-ev", e.id)
    return (
        f'<tr id="{anchor("ev", e.id)}"><td>{esc(date)}{"" if e.date else " (published)"}</td>'
        f'<td class="{esc(e.quad)}">{esc(e.type)}</td><td>{ctx.actor_link(e.source)}</td>'
        f"<td>{ctx.actor_link(e.target)}</td><td>{esc(e.modality)}{notes}</td>"
        f"<td>{esc(_outlet(ctx, e.document))}</td><td>{where}</td>"
        f"<td>{esc(e.sentence)}</td></tr>"
    )


def _relation_table(ctx: Context, relations: list[Relation], linked: bool = True) -> str:
    def row_id(r: Relation) -> str:
        return f' id="{anchor("rel", relation_key(r))}"' if linked else ""

    rows = "".join(
        f"<tr{row_id(r)}><td>{ctx.actor_link(r.a)}</td><td>{ctx.actor_link(r.b)}</td>"
        f'<td class="{_sign_class(r.score, r.sign)}">{r.score:+.2f}</td>'
        f'<td>{esc(", ".join(r.outlets))}</td><td class="evidence">{_evidence(r)}</td></tr>'
        for r in sorted(relations, key=lambda r: -abs(r.score))
    )
    return ('<table class="relations"><thead><tr><th>actor</th><th>actor</th><th>score</th>'
            f"<th>outlets</th><th>evidence</th></tr></thead><tbody>{rows}</tbody></table>")


def _evidence(rel: Relation) -> str:
    return " ".join(x for x in (links("ev", rel.events), links("cl", rel.claims),
                                links("span-st", rel.stances)) if x)


def _mixed_links(ctx: Context, ids: list[str]) -> str:
    """Links for a list holding both event and claim ids."""
    return ", ".join(link("cl" if i in ctx.claim_ids else "ev", i) for i in ids)


def _published(ctx: Context, doc_id: str) -> str:
    doc = ctx.docs.get(doc_id)
    return doc.published or "" if doc else ""


def _outlet(ctx: Context, doc_id: str) -> str:
    return outlet_of(ctx.docs.get(doc_id))


def _sign_class(score: float, sign: int | None = None) -> str:
    sign = sign if sign is not None else (1 if score > 0.1 else -1 if score < -0.1 else 0)
    return {1: "pos", -1: "neg", 0: "zero"}[sign]


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:+.2f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"
