"""The HTML pages: lists and detail pages rendered here, figures drawn by ``static/app.js``.

Every string from the store passes through ``esc`` (the report's escaping), document
text through the report's ``highlight``, so article text is always text. Each event,
claim and tie links to ``/documents/ID#span-ev-ID`` (or ``span-cl-``), the span it
rests on, highlighted on arrival. The figure pages (network, timeline, map) hold an
empty container the script fills from the JSON API.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from ..alignments import changes, describe_change
from ..report.highlight import document_spans, highlight
from ..report.markup import anchor, esc
from .api import actor_detail, snap
from .jobs import MAX_FILE_BYTES, MAX_FILES, SUFFIXES
from .queries import (
    MODALITIES,
    ApiError,
    actor_row,
    claim_row,
    document_row,
    event_row,
    filter_claims,
    filter_events,
    outlet_rows,
    page,
    parse_query,
)
from .search import snippet
from .snapshot import Snapshot

NAV = [("/", "Overview"), ("/network", "Network"), ("/timeline", "Timeline"), ("/map", "Map"),
       ("/events", "Events"), ("/claims", "Claims"), ("/actors", "Actors"),
       ("/documents", "Documents"), ("/outlets", "Outlets")]
PER_PAGE = 50


def layout(title: str, body: str, page_id: str, read_only: bool, q: str = "") -> HTMLResponse:
    return HTMLResponse(render(title, body, page_id, read_only, q))


def render(title: str, body: str, page_id: str, read_only: bool, q: str = "") -> str:
    entries = NAV if read_only else [*NAV, ("/add", "Add articles")]
    current = "/" if page_id == "overview" else "/" + page_id
    nav = "".join(f'<a href="{href}"{" class=current" if href == current else ""}>'
                  f"{esc(label)}</a>" for href, label in entries)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)} · Rashomon</title>"
        '<link rel="icon" href="data:,"><link rel="stylesheet" href="/static/app.css"></head>'
        f'<body data-page="{esc(page_id)}"><header><a class="brand" href="/">Rashomon</a>'
        f"<nav>{nav}</nav>"
        '<form class="search" action="/search" method="get" role="search">'
        f'<input type="search" name="q" value="{esc(q)}" placeholder="Search articles and '
        'claims" aria-label="search"><button>Search</button></form></header>'
        f'<main><h1>{esc(title)}</h1>{body}</main>'
        '<script src="/static/app.js"></script></body></html>'
    )


def error_page(status: int, message: str, read_only: bool) -> str:
    return render(f"Error {status}", f'<p class="error">{esc(message)}</p>', "error", read_only)


def _ro(request: Request) -> bool:
    return request.app.state.read_only


def _a(href: str, text: Any) -> str:
    return f'<a href="{esc(href)}">{esc(text)}</a>'


def _doc_url(doc_id: str) -> str:
    return f"/documents/{quote(doc_id, safe='')}"


def _actor(s: Snapshot, actor_id: str | None) -> str:
    if not actor_id:
        return "—"
    name = s.names.get(actor_id, actor_id)
    return _a(f"/actors/{quote(actor_id, safe='')}", name) if actor_id in s.actors else esc(name)


def _table(head: list[str], rows: list[str], cls: str = "") -> str:
    if not rows:
        return '<p class="empty">Nothing to show.</p>'
    th = "".join(f"<th>{esc(h)}</th>" for h in head)
    return (f'<table class="{cls}"><thead><tr>{th}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _pager(request: Request, total: int, offset: int, limit: int) -> str:
    if total <= limit:
        return f'<p class="count">{total} result(s)</p>'
    params = {k: v for k, v in request.query_params.items() if k != "offset"}
    links = []
    if offset > 0:
        links.append(_a("?" + urlencode({**params, "offset": max(0, offset - limit)}),
                        "← previous"))
    if offset + limit < total:
        links.append(_a("?" + urlencode({**params, "offset": offset + limit}), "next →"))
    return (f'<p class="count">{offset + 1}–{min(total, offset + limit)} of {total} '
            f'{" · ".join(links)}</p>')


def _downloads(request: Request, api_path: str) -> str:
    params = {k: v for k, v in request.query_params.items() if k not in ("offset", "limit")}
    csv_q = urlencode({**params, "format": "csv"})
    json_q = urlencode({**params, "limit": 1000})
    return (f'<p class="downloads">Download: <a href="{esc(api_path)}?{esc(csv_q)}">CSV</a> · '
            f'<a href="{esc(api_path)}?{esc(json_q)}">JSON</a></p>')


def _list_params(route: str, request: Request) -> dict[str, Any]:
    """The page's filters, checked like the API's; empty fields are ignored."""
    query = {k: v for k, v in request.query_params.items() if v.strip() and k != "format"}
    return parse_query(route, {**query, "limit": query.get("limit", str(PER_PAGE))})


def _event_rows(s: Snapshot, items: list) -> list[str]:
    rows = []
    for e in items:
        r = event_row(s, e)
        notes = (" · negated" if e.negated else "") + (" · reader comment" if e.in_comment
                                                        else "")
        rows.append(
            f'<tr class="event" data-id="{esc(e.id)}"><td>{esc(r["shown_date"])}</td>'
            f'<td class="{esc(e.quad)}">{esc(e.type)}</td><td>{_actor(s, e.source)}</td>'
            f"<td>{_actor(s, e.target)}</td><td>{esc(e.modality)}{notes}</td>"
            f'<td>{esc((e.place or {}).get("name") or "")}</td><td>{esc(r["outlet"])}</td>'
            f'<td class="sentence">{_a(r["evidence"], e.sentence)}</td></tr>')
    return rows


EVENT_HEAD = ["date", "type", "source", "target", "modality", "place", "outlet",
              "evidence (opens the span)"]


def _claim_rows(s: Snapshot, items: list) -> list[str]:
    rows = []
    for c in items:
        r = claim_row(s, c)
        via = " › ".join(s.names.get(a, a) for a in c.reported_by)
        rows.append(
            f'<tr class="claim"><td>{_actor(s, c.speaker) if c.speaker else esc(c.speaker_text)}'
            f"</td><td>{esc(c.cue)}</td><td>{esc(c.cue_type or '')}</td><td>{esc(via)}</td>"
            f'<td>{esc(r["outlet"])}</td><td class="sentence">{_a(r["evidence"], c.content)}'
            "</td></tr>")
    return rows


CLAIM_HEAD = ["speaker", "cue", "type", "through", "outlet", "content (opens the span)"]


# -- pages ---------------------------------------------------------------------------------

async def overview(request: Request) -> Response:
    s = snap(request)
    a = s.analysis
    direct = [r for r in s.relations if r.view == "direct"]
    counts = [("documents", len(a.documents)), ("outlets", len(outlet_rows(s))),
              ("actors", len(a.actors)), ("events", len(a.events)), ("claims", len(a.claims)),
              ("relations", len(direct))]
    cards = "".join(f'<div class="card"><b>{n}</b><span>{esc(k)}</span></div>'
                    for k, n in counts)
    top = sorted(s.mention_counts.items(), key=lambda kv: -kv[1])[:12]
    actors_ = "".join(f"<li>{_actor(s, x)} <small>{n} mentions</small></li>" for x, n in top
                      if x in s.actors)
    periods = Counter(s.event_period(e) for e in a.events if not e.in_comment)
    period_rows = [f'<tr><td>{_a("/events?" + urlencode({"period": p}), p)}</td><td>'
                   f"{n}</td></tr>" for p, n in sorted(periods.items())]
    change_items = "".join(f"<li>{esc(describe_change(c, s.names))}</li>"
                           for c in changes(direct)[:15])
    docs = sorted(a.documents, key=lambda d: (d.published or "", d.id), reverse=True)[:8]
    doc_items = "".join(f"<li>{_a(_doc_url(d.id), d.title or d.id)} <small>"
                        f"{esc(s.outlet(d.id))} · {esc(d.published or 'undated')}</small></li>"
                        for d in docs)
    holder = request.app.state.holder
    stale = (f'<p class="warn">Showing the last snapshot: {esc(holder.stale_reason)}</p>'
             if holder.stale else "")
    body = (f'{stale}<div class="cards">{cards}</div><div class="cols">'
            f"<section><h2>Most mentioned actors</h2><ol>{actors_}</ol></section>"
            f"<section><h2>Events per period</h2>{_table(['period', 'events'], period_rows)}"
            "</section>"
            f"<section><h2>Latest documents</h2><ul>{doc_items}</ul></section></div>"
            f'<h2>How relations changed</h2><ul class="changes">{change_items or "<li>None.</li>"}'
            "</ul>")
    return layout("Overview", body, "overview", _ro(request))


async def events_page(request: Request) -> Response:
    p = _list_params("events", request)
    s = snap(request)
    total, items = page(filter_events(s, p), p)
    types = sorted({e.type for e in s.analysis.events})
    form = _filter_form([
        ("actor", "actor", p["actor"], None), ("type", "type", p["type"], types),
        ("period", "period", p["period"], None), ("outlet", "outlet", p["outlet"], None),
        ("modality", "modality", p["modality"], list(MODALITIES))])
    body = (form + _pager(request, total, p["offset"], p["limit"])
            + _table(EVENT_HEAD, _event_rows(s, items), "events")
            + _downloads(request, "/api/events"))
    return layout("Events", body, "events", _ro(request))


async def claims_page(request: Request) -> Response:
    p = _list_params("claims", request)
    s = snap(request)
    total, items = page(filter_claims(s, p), p)
    cues = sorted({c.cue_type for c in s.analysis.claims if c.cue_type})
    form = _filter_form([("actor", "actor", p["actor"], None),
                         ("cue_type", "cue type", p["cue_type"], cues),
                         ("period", "period", p["period"], None),
                         ("outlet", "outlet", p["outlet"], None)])
    body = (form + _pager(request, total, p["offset"], p["limit"])
            + _table(CLAIM_HEAD, _claim_rows(s, items), "claims")
            + _downloads(request, "/api/claims"))
    return layout("Claims", body, "claims", _ro(request))


def _filter_form(fields: list[tuple[str, str, Any, list[str] | None]]) -> str:
    parts = []
    for name, label, value, choices in fields:
        if choices is None:
            control = (f'<input name="{name}" id="f-{name}" value="{esc(value or "")}">')
        else:
            options = "".join(f'<option{" selected" if c == value else ""}>{esc(c)}</option>'
                              for c in choices)
            control = f'<select name="{name}" id="f-{name}"><option value="">any</option>' \
                      f"{options}</select>"
        parts.append(f'<label for="f-{name}">{esc(label)}</label>{control}')
    return f'<form class="filters" method="get">{"".join(parts)}<button>Filter</button></form>'


async def actors_page(request: Request) -> Response:
    p = _list_params("actors", request)
    s = snap(request)
    q = (p["q"] or "").lower()
    rows = [actor_row(s, a.id) for a in s.analysis.actors
            if not q or any(q in n.lower() for n in [a.id, a.name, *a.aliases])]
    rows.sort(key=lambda r: (-r["mentions"], r["name"].lower()))
    total, items = page(rows, p)
    html_rows = [f'<tr><td>{_a(r["link"], r["name"])}</td><td>{esc(r["kind"])}</td>'
                 f'<td>{esc(r["country"] or "")}</td><td>{esc(r["sector"] or "")}</td>'
                 f'<td>{r["mentions"]}</td><td>{r["documents"]}</td></tr>' for r in items]
    body = (_filter_form([("q", "name", p["q"], None)])
            + _pager(request, total, p["offset"], p["limit"])
            + _table(["name", "kind", "country", "sector", "mentions", "documents"], html_rows)
            + _downloads(request, "/api/actors"))
    return layout("Actors", body, "actors", _ro(request))


async def actor_page(request: Request) -> Response:
    s = snap(request)
    d = actor_detail(s, request.path_params["actor_id"])
    outlets = [f"<tr><td>{esc(o)}</td><td>{n}</td></tr>"
               for o, n in d["mentions_by_outlet"].items()]
    affiliations = "".join(
        f"<li>{_actor(s, x.get('actor') or x.get('id'))} {esc(x.get('role') or '')}"
        f"{esc(' ' + str(x.get('from') or '') if x.get('from') else '')}</li>"
        for x in d["affiliations"] if isinstance(x, dict))
    rel_rows = []
    for r in d["relations"]:
        other = r["b"] if r["a"] == d["id"] else r["a"]
        sign = {1: "pos", -1: "neg"}.get(r["sign"], "zero")
        evidence = ", ".join(_a(ev["url"], ev["id"]) for ev in r["evidence"])
        rel_rows.append(f'<tr><td>{esc(r["period"])}</td><td>{_actor(s, other)}</td>'
                        f'<td class="{sign}">{r["score"]:+.2f}</td><td>{evidence}</td></tr>')
    events_ = [s.events[e["id"]] for e in d["events"]]
    claims_ = [s.claims[c["id"]] for c in d["claims"]]
    body = (
        f'<p class="meta">{esc(d["kind"])} · {esc(d["country"] or "")} · '
        f'{esc(d["sector"] or "")} · id {esc(d["id"])}'
        f'{" · provisional (seen in text only)" if d["provisional"] else ""}</p>'
        f'<p><b>Also called:</b> {esc(", ".join(d["aliases"]) or "—")}</p>'
        + (f"<h2>Affiliations</h2><ul>{affiliations}</ul>" if affiliations else "")
        + '<div class="cols"><section><h2>Mentions by outlet</h2>'
        + _table(["outlet", "mentions"], outlets) + "</section><section><h2>Relations</h2>"
        + _table(["period", "with", "score", "evidence"], rel_rows) + "</section></div>"
        + f'<h2>Events ({len(events_)})</h2>{_table(EVENT_HEAD, _event_rows(s, events_[:200]))}'
        + f'<h2>Claims ({len(claims_)})</h2>{_table(CLAIM_HEAD, _claim_rows(s, claims_[:200]))}'
    )
    return layout(d["name"], body, "actors", _ro(request))


async def documents_page(request: Request) -> Response:
    p = _list_params("documents", request)
    s = snap(request)
    docs = sorted(s.analysis.documents, key=lambda d: (d.published or "", d.id))
    if p["outlet"]:
        docs = [d for d in docs if p["outlet"].lower() in s.outlet(d.id).lower()]
    if p["period"]:
        docs = [d for d in docs if (d.published or "").startswith(p["period"])]
    total, items = page(docs, p)
    rows = []
    for d in items:
        r = document_row(s, d.id)
        rows.append(f'<tr><td>{esc(d.published or "")}</td><td>{esc(s.outlet(d.id))}</td>'
                    f'<td>{_a(r["link"], d.title or d.id)}</td><td>{r["words"]}</td>'
                    f'<td>{r["events"]}</td><td>{r["claims"]}</td></tr>')
    body = (_filter_form([("outlet", "outlet", p["outlet"], None),
                          ("period", "period", p["period"], None)])
            + _pager(request, total, p["offset"], p["limit"])
            + _table(["published", "outlet", "title", "words", "events", "claims"], rows)
            + _downloads(request, "/api/documents"))
    return layout("Documents", body, "documents", _ro(request))


async def document_page(request: Request) -> Response:
    s = snap(request)
    doc_id = request.path_params["doc_id"]
    doc = s.docs.get(doc_id)
    if doc is None:
        raise ApiError(404, f"no document {doc_id!r}")
    events_ = s.events_by_doc.get(doc_id, [])
    claims_ = s.claims_by_doc.get(doc_id, [])
    spans = document_spans(doc.text, s.mentions_by_doc.get(doc_id, []), events_, claims_,
                           s.names, s.stances_by_doc.get(doc_id, []))
    comments = "".join(f"<li><b>{esc(c.author or 'anonymous')}</b> {esc(c.date or '')}: "
                       f"{esc(c.text)}</li>" for c in doc.comments)
    meta = " · ".join(esc(x) for x in (s.outlet(doc_id), doc.author, doc.published or "undated",
                                       doc.id) if x)
    link = f' · <a href="{esc(doc.url)}" rel="noreferrer">original</a>' if doc.url and \
        doc.url.startswith(("http://", "https://")) else ""
    body = (
        f'<p class="meta">{meta}{link}</p>'
        '<p class="legend"><mark class="mn">actor mention</mark> <mark class="ev">event</mark>'
        ' <mark class="cl">claim</mark> <mark class="st">stance</mark>'
        ' (hover a mark for what was found)</p>'
        f'<div class="doctext">{highlight(doc.text, spans)}</div>'
        f'<h2>Events ({len(events_)})</h2>{_table(EVENT_HEAD, _event_rows(s, events_))}'
        f'<h2>Claims ({len(claims_)})</h2>{_table(CLAIM_HEAD, _claim_rows(s, claims_))}'
        + (f'<h2>Reader comments</h2><ul class="comments">{comments}</ul>' if comments else "")
    )
    return layout(doc.title or doc.id, body, "documents", _ro(request))


async def search_page(request: Request) -> Response:
    q = request.query_params.get("q", "").strip()
    s = snap(request)
    if not q:
        return layout("Search", '<p class="empty">Type words to find in the articles and '
                      "their claims.</p>", "search", _ro(request))
    p = _list_params("search", request)
    hits = s.search.search(q, kind=p["kind"])
    total, items = page(hits, p)
    rows = []
    for h in items:
        before, word, after = snippet(*s.search.locate(h))
        doc = s.docs.get(h.document)
        url = (f"{_doc_url(h.document)}#{anchor('span-cl', h.id)}" if h.kind == "claim"
               else _doc_url(h.document))
        title = (doc.title if doc else None) or h.document
        rows.append(f'<li class="hit {h.kind}">{_a(url, title)}'
                    f' <small>{esc(h.kind)} · {esc(s.outlet(h.document))}</small>'
                    f"<p>{esc(before)}<mark>{esc(word)}</mark>{esc(after)}</p></li>")
    body = (_pager(request, total, p["offset"], p["limit"])
            + (f'<ol class="hits">{"".join(rows)}</ol>' if rows else
               f'<p class="empty">Nothing matches {esc(q)!s}.</p>')
            + _downloads(request, "/api/search"))
    return layout(f"Search: {q}", body, "search", _ro(request), q)


async def outlets_page(request: Request) -> Response:
    s = snap(request)
    rows = []
    for r in outlet_rows(s):
        only = urlencode({"outlet": r["outlet"]})
        rows.append(f'<tr><td>{_a("/documents?" + only, r["outlet"])}</td>'
                    f'<td>{r["documents"]}</td><td>{_a("/events?" + only, r["events"])}</td>'
                    f'<td>{r["claims"]}</td><td>{esc(r["first"] or "")}</td>'
                    f'<td>{esc(r["last"] or "")}</td></tr>')
    body = (_table(["outlet", "documents", "events", "claims", "first", "last"], rows)
            + _downloads(request, "/api/outlets"))
    return layout("Outlets", body, "outlets", _ro(request))


def _figure(title: str, page_id: str, help_text: str, request: Request) -> Response:
    body = (f'<p class="legend">{esc(help_text)}</p>'
            f'<div id="figure" class="figure" data-figure="{page_id}">Loading…</div>'
            '<div id="detail" class="detail" aria-live="polite"></div>')
    return layout(title, body, page_id, _ro(request))


async def network_page(request: Request) -> Response:
    return _figure("Network over time", "network", "Actors grouped in camps, ties green "
                   "(allied) or red (hostile), dashed when they contradict the camps. Move the "
                   "slider to change period; click a tie for its evidence, an actor for its "
                   "page.", request)


async def timeline_page(request: Request) -> Response:
    return _figure("Timeline", "timeline", "One row per kind of event. Scroll to zoom, shift-drag "
                   "to pan, drag across the chart to select a span: its events are listed "
                   "below.", request)


async def map_page(request: Request) -> Response:
    return _figure("Map", "map", "Events the text places, clustered when close. Scroll to "
                   "zoom, drag to pan, click a marker for its events.", request)


async def add_page(request: Request) -> Response:
    token = ('<label for="token">token</label><input id="token" name="token" '
             'type="password" autocomplete="off">' if request.app.state.token else "")
    body = (
        '<form id="add" class="add" method="post" action="/api/documents" '
        'enctype="multipart/form-data">'
        f'<fieldset><legend>Files</legend><input type="file" name="files" multiple '
        f'accept="{",".join(SUFFIXES)}"><small>at most {MAX_FILES} files of '
        f"{MAX_FILE_BYTES // 1_000_000} MB: {' '.join(SUFFIXES)}</small></fieldset>"
        '<fieldset><legend>Pasted text</legend><label for="title">title</label>'
        '<input id="title" name="title"><label for="outlet">outlet</label>'
        '<input id="outlet" name="outlet"><label for="published">published</label>'
        '<input id="published" name="published" placeholder="YYYY-MM-DD">'
        '<textarea name="text" rows="10" placeholder="Article text"></textarea></fieldset>'
        '<fieldset><legend>URLs</legend><textarea name="urls" rows="3" '
        'placeholder="one per line"></textarea></fieldset>'
        f"{token}<button>Add and analyse</button></form>"
        '<div id="jobs" aria-live="polite"></div>'
    )
    return layout("Add articles", body, "add", _ro(request))


def routes(read_only: bool) -> list[Route]:
    out = [
        Route("/", overview), Route("/events", events_page), Route("/claims", claims_page),
        Route("/actors", actors_page), Route("/actors/{actor_id:path}", actor_page),
        Route("/documents", documents_page), Route("/documents/{doc_id:path}", document_page),
        Route("/search", search_page), Route("/outlets", outlets_page),
        Route("/network", network_page), Route("/timeline", timeline_page),
        Route("/map", map_page),
    ]
    if not read_only:
        out.append(Route("/add", add_page))
    return out
