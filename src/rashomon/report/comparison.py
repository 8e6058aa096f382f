"""The report's comparison views: incidents told side by side, and outlets on one screen.

``incidents``: one card per incident told by two or more documents, most told first,
its tellings in one column per outlet; a row whose cells differ between outlets is
highlighted, and each contradiction links to the evidence on both sides. Every telling
links to its span in the document view.

``outlets``: who the outlets are (registry: country, owner type, group; framing
techniques per 100 sentences), a coverage matrix of incidents by outlets with blind
spots marked, the words each outlet uses for actors, its stance toward them and the
sources it quotes. It is meant to be read on one screen; long lists fold.
"""

from __future__ import annotations

from collections import Counter

from ..incidents.tellings import IncidentView, Telling
from ..outlets import OutletView
from .markup import anchor, esc, link, links

# Rows of the stance and coverage matrices shown before the rest fold away.
MATRIX_ROWS = 15


def incidents(ctx, views: list[IncidentView]) -> str:
    multi = [v for v in views if len(v.incident.documents) > 1]
    single = [v for v in views if len(v.incident.documents) < 2]
    cards = "".join(_card(ctx, v) for v in multi) or (
        "<p>No incident is told by two or more documents: nothing to set side by side.</p>")
    lone = "".join(
        f'<li id="{anchor("inc", v.incident.id)}">{esc(v.incident.summary)} '
        f'<span class="evidence">{links("span-ev", v.incident.events)}</span></li>'
        for v in single)
    return (
        "<h2>Incidents</h2>"
        '<p class="legend">One card per incident told by two or more documents, most told '
        'first; one column per outlet. <span class="diff">Highlighted</span> rows differ '
        "between outlets; every telling links to its sentence.</p>"
        f"{cards}"
        + (f"<details><summary>{len(single)} incident(s) told by one document</summary>"
           f'<ul class="lone">{lone}</ul></details>' if single else "")
    )


def _card(ctx, v: IncidentView) -> str:
    inc = v.incident
    head = "".join(f"<th>{esc(o)}</th>" for o in v.outlets)
    rows = "".join(_row(ctx, v, label, show) for label, show in _aspects(ctx))
    contradictions = "".join(
        f'<li><b>{esc(c.kind)}</b>: {esc(c.description)} <span class="evidence">'
        f"{esc(c.outlets[0])}: {links('span-ev', c.evidence[0])}; "
        f"{esc(c.outlets[1])}: {links('span-ev', c.evidence[1])}</span></li>"
        for c in v.contradictions)
    place = (inc.place or {}).get("name")
    return (
        f'<article class="incident" id="{anchor("inc", inc.id)}">'
        f"<h3>{esc(inc.summary or inc.id)}</h3>"
        f'<p class="meta">{esc(inc.id)} · {esc(inc.date or "undated")}'
        f'{" · " + esc(place) if place else ""} · confidence {inc.confidence:.2f} · '
        f'documents: {", ".join(link("doc", d) for d in inc.documents)}</p>'
        f'<table class="tellings"><thead><tr><th></th>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        + (f'<ul class="contradictions">{contradictions}</ul>' if contradictions else
           '<p class="legend">No contradiction found between these tellings.</p>')
        + "</article>"
    )


def _aspects(ctx) -> list[tuple[str, object]]:
    def who(t: Telling) -> str:
        if t.perpetrator_as == "named":
            return ctx.name(t.perpetrator)
        if t.blamed:
            return "blamed on " + ", ".join(ctx.name(a) for a in t.blamed)
        return "unnamed"

    return [
        ("act", lambda t: t.type),
        ("perpetrator", who),
        ("target", lambda t: ctx.name(t.target) if t.target else "unnamed"),
        ("modality", lambda t: t.modality),
        ("attributed to", lambda t: " < ".join(ctx.name(a) for a in t.chain) or "own voice"),
        ("labels", lambda t: "; ".join(f"{ctx.name(a)}: {', '.join(w)}"
                                       for a, w in t.labels.items() if w) or "—"),
        ("numbers", lambda t: ", ".join(f"{v} {k}" for k, v in t.numbers.items()) or "—"),
        ("date", lambda t: t.date or (f"published {t.published}" if t.published else "—")),
    ]


def _row(ctx, v: IncidentView, label: str, show) -> str:
    values = {o: [show(t) for t in v.tellings[o]] for o in v.outlets}
    # A row differs when the outlets' sets of values do not all agree.
    differs = len({frozenset(vals) for vals in values.values()}) > 1
    cells = []
    for o in v.outlets:
        parts = [f'<a href="#{anchor("span-ev", t.event)}" title="{esc(t.sentence)}">'
                 f"{esc(val)}</a>" for t, val in zip(v.tellings[o], values[o], strict=True)]
        # Repeated values in one outlet show once, with the first telling's link.
        seen, unique = set(), []
        for val, part in zip(values[o], parts, strict=True):
            if val not in seen:
                seen.add(val)
                unique.append(part)
        cells.append(f'<td class="{"diff" if differs else ""}">{"<br>".join(unique)}</td>')
    return f"<tr><th>{esc(label)}</th>{''.join(cells)}</tr>"


def outlets(ctx, view: OutletView, framing: dict[str, dict[str, float]]) -> str:
    warning = f'<p class="warning">{esc(view.warning)}</p>' if view.warning else ""
    return (
        "<h2>Outlets compared</h2>" + warning
        + '<div class="cols">'
        + _profiles(view, framing) + _blind_spots(view)
        + "</div>"
        + _coverage(view)
        + '<div class="cols">' + _stance(ctx, view) + _labels(ctx, view)
        + _quoted(ctx, view) + "</div>"
        + _contradictions(ctx, view)
        + _relations(ctx, view)
    )


def _profiles(view: OutletView, framing: dict[str, dict[str, float]]) -> str:
    rows = "".join(
        f'<tr id="{anchor("outlet", p.name)}"><td>{esc(p.name)}</td>'
        f"<td>{esc(_who(p))}</td>"
        f'<td title="outlet known from its {esc(p.found_by)}">{p.documents}</td>'
        f"<td>{esc(_top_techniques(framing.get(p.name, {})))}</td></tr>"
        for p in view.profiles.values())
    return ('<div><h3>Outlets</h3><table class="compact"><thead><tr><th>outlet</th>'
            "<th>country · owner · group</th><th>docs</th>"
            f"<th>framing (per 100 sentences)</th></tr></thead><tbody>{rows}</tbody></table>"
            "</div>")


def _who(p) -> str:
    owner = (p.owner or "").replace("_", " ")
    return " · ".join(x for x in (p.country, owner, p.group) if x)


def _top_techniques(rates: dict[str, float]) -> str:
    return ", ".join(f"{k.replace('_', ' ')} {v:g}" for k, v in list(rates.items())[:3]) or "—"


def _blind_spots(view: OutletView) -> str:
    items = "".join(
        f"<li><b>{esc(o)}</b>: {len(spots)} — "
        + ", ".join(f'<a href="#{anchor("inc", s.incident)}" title="told by '
                    f'{esc(", ".join(s.told_by))}">{esc(s.incident)}</a>' for s in spots[:3])
        + (f" and {len(spots) - 3} more" if len(spots) > 3 else "") + "</li>"
        for o, spots in view.blind_spots.items() if spots)
    return ('<div class="side"><h3>Blind spots</h3><p class="legend">Incidents outlets of '
            "another group tell in weeks this outlet was reporting, and it leaves out.</p>"
            f'<ul class="blind">{items or "<li>None found.</li>"}</ul></div>')


def _coverage(view: OutletView) -> str:
    if not view.incidents:
        return ""
    blind = {(o, s.incident) for o, spots in view.blind_spots.items() for s in spots}
    head = "".join(f'<th class="rot" title="{esc(o)}">{esc(_short(o, 9))}</th>'
                   for o in view.outlets)
    rows = []
    for n, v in enumerate(view.incidents):
        cells = []
        for o in view.outlets:
            ids = view.coverage.get(v.incident.id, {}).get(o, [])
            if ids:
                cells.append(f'<td class="hit"><a href="#{anchor("span-ev", ids[0])}">'
                             f"{len(ids)}</a></td>")
            elif (o, v.incident.id) in blind:
                cells.append('<td class="blind" title="blind spot">○</td>')
            else:
                cells.append('<td class="miss"></td>')
        hidden = ' class="more"' if n >= MATRIX_ROWS else ""
        title = _short(v.incident.summary or "", 70)
        rows.append(f"<tr{hidden}><td>{link('inc', v.incident.id, title)}</td>"
                    + "".join(cells) + "</tr>")
    more = (f'<p class="legend">{len(view.incidents) - MATRIX_ROWS} more incident(s) below '
            "the fold.</p>" if len(view.incidents) > MATRIX_ROWS else "")
    return ('<h3>Coverage</h3><p class="legend">Incidents told by two or more documents '
            "(rows) by outlet (columns): the number of tellings, ○ a blind spot.</p>"
            f'<table class="coverage compact"><thead><tr><th>incident</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>{more}")


def _stance(ctx, view: OutletView) -> str:
    weight = Counter()
    for s in view.stances:
        weight[s.actor] += len(s.events) + len(s.claims)
    outlets_of = Counter(s.actor for s in view.stances)
    actors = [a for a, _ in weight.most_common() if outlets_of[a] > 1][:MATRIX_ROWS]
    if not actors:
        return ""
    by_key = {(s.outlet, s.actor): s for s in view.stances}
    head = "".join(f'<th class="rot" title="{esc(o)}">{esc(_short(o, 9))}</th>'
                   for o in view.outlets)
    rows = ""
    for a in actors:
        cells = ""
        for o in view.outlets:
            s = by_key.get((o, a))
            if s is None:
                cells += "<td></td>"
                continue
            cls = "pos" if s.score > 0.1 else "neg" if s.score < -0.1 else "zero"
            first = s.events[:1] and f"#{anchor('span-ev', s.events[0])}" or (
                s.claims[:1] and f"#{anchor('span-cl', s.claims[0])}") or "#"
            cells += (f'<td class="{cls}"><a href="{first}" title="{len(s.events)} event(s), '
                      f'{s.quotes} quote(s)">{s.score:+.1f}</a></td>')
        rows += f"<tr><td>{ctx.actor_link(a)}</td>{cells}</tr>"
    return ('<div><h3>Stance toward actors</h3><p class="legend">tone of the acts reported, '
            "lowered by distancing quotes; each cell links to its first evidence.</p>"
            f'<table class="stance compact"><thead><tr><th>actor</th>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div>")


def _labels(ctx, view: OutletView) -> str:
    items = "".join(
        f"<li><b>{esc(o)}</b>: "
        + "; ".join(f"{ctx.actor_link(a)} “{esc(', '.join(w[:3]))}”"
                    for a, w in list(labels.items())[:4]) + "</li>"
        for o, labels in view.labels.items() if labels)
    return ('<div class="side"><h3>Words for actors</h3><p class="legend">besides their '
            "names; ! marks a loaded word.</p>"
            f'<ul class="labels">{items or "<li>None.</li>"}</ul></div>')


def _quoted(ctx, view: OutletView) -> str:
    items = "".join(
        f"<li><b>{esc(o)}</b>: " + ", ".join(f"{ctx.actor_link(a)} ({n})" for a, n in sp[:3])
        + "</li>" for o, sp in view.quoted.items())
    return f'<div class="side"><h3>Sources quoted</h3><ul>{items or "<li>None.</li>"}</ul></div>'


def _contradictions(ctx, view: OutletView) -> str:
    if not view.contradictions:
        return "<h3>Contradictions</h3><p>None found between outlets.</p>"
    items = "".join(
        f"<li><b>{esc(c.kind)}</b>: {esc(c.description)} <span class=\"evidence\">"
        f"{esc(c.outlets[0])}: {_mixed(ctx, c.evidence[0])}; "
        f"{esc(c.outlets[1])}: {_mixed(ctx, c.evidence[1])}</span></li>"
        for c in view.contradictions)
    return (f"<details open><summary><b>Contradictions ({len(view.contradictions)})</b>"
            f'</summary><ul class="contradictions">{items}</ul></details>')


def _relations(ctx, view: OutletView) -> str:
    from .views import _relation_table

    return "".join(
        f"<details><summary>{esc(o)}: its own relations ({len(rels)})</summary>"
        f"{_relation_table(ctx, rels, linked=False)}</details>"
        for o, rels in view.relations.items())


def _mixed(ctx, ids: list[str]) -> str:
    return ", ".join(link("span-cl" if i in ctx.claim_ids else "span-ev", i) for i in ids)


def _short(name: str, width: int = 14) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"
