"""The HTML report: one self-contained, offline file that shows the system view.

``write_report`` computes the system view (incidents told side by side, relations
direct and rolled up, camps per period, changes, the outlet comparison, framing
techniques when their model is installed) and writes one HTML file
with all CSS and JS inline: no CDN, no fonts, no tiles, nothing fetched, so it
opens the same on an air-gapped laptop and in an archive years later.

Views are addressed by URL hash (``report.html#network``); any element with an
id (``#ev-e1``, ``#span-ev-e1``, ``#doc-ID``) opens its view and scrolls to it.
Everything from the data is HTML-escaped, and the JSON the script reads is
escaped for ``<script>``, so the report never runs anything an article contains.
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import framing
from ..alignments import align, changes
from ..incidents import build_incidents
from ..incidents.tellings import incident_views
from ..outlets import outlet_of, outlet_view
from ..relations import build_relations
from ..types import Analysis, Relation
from . import views
from .figures import relation_key
from .markup import anchor, esc, script_json

HERE = Path(__file__).parent


def write_report(analysis: Analysis, path: Path) -> Path:
    """Write the report for ``analysis`` to ``path`` (parents created) and return the path."""
    path = Path(path)
    relations = system_relations(analysis)
    if not analysis.incidents and analysis.events:
        analysis.incidents = build_incidents(analysis.events, analysis.documents,
                                             analysis.actors)
    outlets = outlet_view(analysis)
    found = framing.detect(analysis.documents) if analysis.documents else []
    ctx = views.Context(
        analysis=analysis,
        relations=relations,
        alignments=align(relations, analysis.actors),
        changes=changes(relations),
        outlets=outlets,
        incidents=outlets.incidents + [v for v in incident_views(analysis)
                                       if len(v.incident.documents) < 2],
        framing=found,
        framing_rates=framing.per_outlet(found, analysis.documents, outlet_of),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(ctx), encoding="utf-8")
    return path


def system_relations(analysis: Analysis) -> list[Relation]:
    """The direct relations (the analysis's own, else built) plus the rolled-up view when
    the KB gives any actor an affiliation."""
    direct = [r for r in analysis.relations if r.view == "direct"] or build_relations(
        analysis.events, analysis.claims, analysis.documents, analysis.actors
    )
    rolled = [r for r in analysis.relations if r.view == "rolled_up"]
    if not rolled and any(a.affiliations for a in analysis.actors):
        rolled = build_relations(analysis.events, analysis.claims, analysis.documents,
                                 analysis.actors, rollup=True)
    return direct + rolled


def render(ctx: views.Context) -> str:
    """The whole page as one string."""
    renderers = {
        "incidents": views.incidents,
        "overview": views.overview,
        "network": views.network,
        "timeline": views.timeline,
        "map": views.map_view,
        "outlets": views.outlets,
        "documents": views.documents,
    }
    body = "".join(
        f'<section class="view" id="{key}">{renderers[key](ctx)}</section>'
        for key, _ in views.VIEWS
    )
    nav = "".join(f'<a href="#{key}">{esc(label)}</a>' for key, label in views.VIEWS)
    parts = {
        "title": esc(f"Rashomon report: {len(ctx.analysis.documents)} documents"),
        "css": (HERE / "report.css").read_text(encoding="utf-8"),
        "js": (HERE / "report.js").read_text(encoding="utf-8"),
        "nav": nav,
        "body": body,
        "data": script_json(script_data(ctx)),
    }
    template = (HERE / "template.html").read_text(encoding="utf-8")
    # One pass over the template only: text substituted in is never scanned again, so
    # an article containing "{{data}}" stays text.
    return re.sub(r"\{\{(\w+)\}\}", lambda m: parts[m.group(1)], template)


def script_data(ctx: views.Context) -> dict:
    """What the page script needs: actor details and each graph's ties, for the actor panel."""
    graphs: dict[str, list[list]] = {}
    for r in ctx.relations:
        graphs.setdefault(anchor("graph", f"{r.view}|{r.period}"), []).append(
            [r.a, r.b, r.score, r.sign, anchor("rel", relation_key(r))]
        )
    return {
        "actors": {
            a.id: {"name": a.name, "kind": a.kind, "country": a.country}
            for a in ctx.analysis.actors
        },
        "graphs": graphs,
    }
