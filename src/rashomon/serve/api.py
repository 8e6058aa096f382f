"""The JSON API under ``/api/``: every list filterable, paginated and downloadable as CSV.

Handlers read the current snapshot only, so any number run at once while the writer
commits. Errors are one JSON object ``{"error": "one line"}`` with a 4xx status.
"""

from __future__ import annotations

import json
import secrets
from collections import Counter
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..outlines import countries_geojson
from ..report.highlight import document_spans
from .jobs import MAX_FILES, MAX_REQUEST_BYTES, MAX_URLS, Upload
from .queries import (
    ApiError,
    actor_row,
    claim_row,
    document_row,
    event_row,
    evidence_of,
    filter_claims,
    filter_events,
    filter_relations,
    jsonable,
    outlet_rows,
    page,
    parse_query,
    place_rows,
    relation_row,
    to_csv,
)
from .search import Hit, snippet
from .snapshot import Snapshot


def snap(request: Request) -> Snapshot:
    return request.app.state.holder.get()


def listing(route: str, items: list[Any], p: dict[str, Any],
            row: Callable[[Any], dict[str, Any]] = lambda x: x,
            extra: dict[str, Any] | None = None) -> Response:
    """One page of ``items`` as JSON rows, or every item as a CSV download; ``row`` makes
    an item a row, and runs only on the items sent."""
    if p.get("format") == "csv":
        return Response(to_csv([row(x) for x in items]), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{route}.csv"'})
    total, shown = page(items, p)
    return JSONResponse({"total": total, "offset": p["offset"], "limit": p["limit"],
                         **(extra or {}), "items": [row(x) for x in shown]})


def not_found(what: str, ident: str) -> ApiError:
    return ApiError(404, f"no {what} {ident!r}")


# -- reading -------------------------------------------------------------------------------

async def status(request: Request) -> Response:
    holder = request.app.state.holder
    s = holder.get()
    a = s.analysis
    return JSONResponse({
        "documents": len(a.documents), "actors": len(a.actors), "events": len(a.events),
        "claims": len(a.claims), "relations": len([r for r in s.relations if r.view == "direct"]),
        "incidents": len(s.incidents),
        "snapshot": s.version, "stale": holder.stale, "stale_reason": holder.stale_reason,
        "read_only": request.app.state.read_only,
        "token_required": request.app.state.token is not None,
    })


async def documents(request: Request) -> Response:
    p = parse_query("documents", request.query_params)
    s = snap(request)
    ids = [d.id for d in sorted(s.analysis.documents, key=lambda d: (d.published or "", d.id))]
    if p["q"]:
        found = {h.id for h in s.search.search(p["q"], kind="document")}
        ids = [i for i in ids if i in found]
    if p["outlet"]:
        ids = [i for i in ids if p["outlet"].lower() in s.outlet(i).lower()]
    if p["period"]:
        ids = [i for i in ids if (s.docs[i].published or "").startswith(p["period"])]
    return listing("documents", ids, p, lambda i: document_row(s, i))


def document_detail(s: Snapshot, doc_id: str) -> dict[str, Any]:
    doc = s.docs.get(doc_id)
    if doc is None:
        raise not_found("document", doc_id)
    spans = document_spans(doc.text, s.mentions_by_doc.get(doc_id, []),
                           s.events_by_doc.get(doc_id, []), s.claims_by_doc.get(doc_id, []),
                           s.names, s.stances_by_doc.get(doc_id, []))
    return {**document_row(s, doc_id), "text": doc.text,
            "comments": [c.__dict__ for c in doc.comments],
            "highlights": [{"start": x.start, "end": x.end, "kind": x.kind, "id": x.ident,
                            "label": x.label} for x in spans],
            "events_list": [event_row(s, e) for e in s.events_by_doc.get(doc_id, [])],
            "claims_list": [claim_row(s, c) for c in s.claims_by_doc.get(doc_id, [])],
            "actors": sorted({m.actor for _, m in s.mentions_by_doc.get(doc_id, [])})}


async def document(request: Request) -> Response:
    return JSONResponse(document_detail(snap(request), request.path_params["doc_id"]))


async def actors(request: Request) -> Response:
    p = parse_query("actors", request.query_params)
    s = snap(request)
    q = (p["q"] or "").lower()
    rows = [actor_row(s, a.id) for a in s.analysis.actors
            if (not q or q in a.id.lower() or any(q in n.lower() for n in [a.name, *a.aliases]))
            and (not p["kind"] or a.kind == p["kind"])
            and (not p["country"] or (a.country or "").upper() == p["country"].upper())]
    rows.sort(key=lambda r: (-r["mentions"], r["name"].lower()))
    return listing("actors", rows, p)


def actor_detail(s: Snapshot, actor_id: str) -> dict[str, Any]:
    if actor_id not in s.actors:
        raise not_found("actor", actor_id)
    by_outlet: Counter[str] = Counter()
    for m in s.analysis.mentions:
        if m.actor == actor_id:
            by_outlet[s.outlet(m.document)] += 1
    only = {"actor": actor_id}
    return {**actor_row(s, actor_id), "mentions_by_outlet": dict(by_outlet.most_common()),
            "events": [event_row(s, e) for e in filter_events(s, only)],
            "claims": [claim_row(s, c) for c in filter_claims(s, only)],
            "relations": [relation_row(s, r) for r in filter_relations(s, only)]}


async def actor(request: Request) -> Response:
    return JSONResponse(actor_detail(snap(request), request.path_params["actor_id"]))


async def events(request: Request) -> Response:
    p = parse_query("events", request.query_params)
    s = snap(request)
    return listing("events", filter_events(s, p), p, lambda e: event_row(s, e))


async def event(request: Request) -> Response:
    s = snap(request)
    e = s.events.get(request.path_params["event_id"])
    if e is None:
        raise not_found("event", request.path_params["event_id"])
    return JSONResponse(event_row(s, e))


async def claims(request: Request) -> Response:
    p = parse_query("claims", request.query_params)
    s = snap(request)
    return listing("claims", filter_claims(s, p), p, lambda c: claim_row(s, c))


async def claim(request: Request) -> Response:
    s = snap(request)
    c = s.claims.get(request.path_params["claim_id"])
    if c is None:
        raise not_found("claim", request.path_params["claim_id"])
    return JSONResponse(claim_row(s, c))


async def relations(request: Request) -> Response:
    p = parse_query("relations", request.query_params)
    s = snap(request)
    return listing("relations", filter_relations(s, p), p, lambda r: relation_row(s, r))


async def network(request: Request) -> Response:
    """One period's graph: ties with their evidence, actors with their camps."""
    query = dict(request.query_params)
    view = query.pop("view", "direct")
    period = query.pop("period", None)
    if query:
        raise ApiError(400, f"unknown parameter {sorted(query)[0]!r}; this route takes "
                            "period, view")
    if view not in ("direct", "rolled_up"):
        raise ApiError(400, f"view: {view!r} is not one of direct, rolled_up")
    s = snap(request)
    counts = Counter(r.period for r in s.relations if r.view == view)
    periods = sorted(counts)
    if period is None and periods:
        period = max(periods, key=lambda x: (counts[x], x))  # the busiest period first
    elif period is not None and period not in counts:
        raise ApiError(404, f"period: no relations in {period!r}; periods: "
                            f"{', '.join(periods) or 'none'}")
    ties = [r for r in s.relations if r.view == view and r.period == period]
    alignment = s.alignment(view, period) if period else None
    camp_of = {a: i for i, camp in enumerate(alignment.camps) for a in camp} \
        if alignment else {}
    nodes = sorted({x for r in ties for x in (r.a, r.b)})
    frustrated = {(t.a, t.b): t.explanation for t in (alignment.frustrated if alignment else [])}
    return JSONResponse({
        "view": view, "period": period,
        "periods": [{"period": x, "ties": counts[x]} for x in periods],
        "nodes": [{"id": n, "name": s.names.get(n, n), "camp": camp_of.get(n),
                   "mentions": s.mention_counts.get(n, 0), "link": actor_row(s, n)["link"]
                   if n in s.actors else None} for n in nodes],
        "ties": [{**relation_row(s, r), "frustrated": frustrated.get((r.a, r.b))}
                 for r in ties],
        "camps": [[s.names.get(a, a) for a in camp] for camp in
                  (alignment.camps if alignment else [])],
    })


async def timeline(request: Request) -> Response:
    """Every dated event in the article bodies, compactly, for the timeline figure."""
    p = parse_query("events", {k: v for k, v in request.query_params.items()
                               if k not in ("limit", "offset")})
    s = snap(request)
    rows = []
    for e in filter_events(s, p):
        date = s.event_date(e)
        if date and not e.in_comment:
            rows.append([e.id, date, e.quad, e.type, s.names.get(e.source or "", ""),
                         s.names.get(e.target or "", ""), s.outlet(e.document),
                         event_row(s, e)["evidence"], bool(e.date)])
    return JSONResponse({"columns": ["id", "date", "quad", "type", "source", "target",
                                     "outlet", "evidence", "dated_in_text"], "rows": rows})


async def places(request: Request) -> Response:
    p = parse_query("places", request.query_params)
    s = snap(request)
    return listing("places", place_rows(s, filter_events(s, {**p, "placed": True})), p)


async def outlets(request: Request) -> Response:
    p = parse_query("outlets", request.query_params)
    return listing("outlets", outlet_rows(snap(request)), p)


async def incidents(request: Request) -> Response:
    p = parse_query("incidents", request.query_params)
    s = snap(request)
    rows = [{k: jsonable(v) for k, v in r.items()} for r in s.incidents]
    return listing("incidents", rows, p, extra={"available": True})


async def search(request: Request) -> Response:
    p = parse_query("search", request.query_params, required=["q"])
    s = snap(request)

    def row(hit: Hit) -> dict[str, Any]:
        text, start, end = s.search.locate(hit)
        before, word, after = snippet(text, start, end)
        doc = s.docs.get(hit.document)
        url = evidence_of(s, hit.id)["url"] if hit.kind == "claim" \
            else document_row(s, hit.document)["link"]
        return {"kind": hit.kind, "id": hit.id, "document": hit.document,
                "title": doc.title if doc else None, "outlet": s.outlet(hit.document),
                "score": round(hit.score, 3), "before": before, "match": word,
                "after": after, "start": start, "end": end, "url": url}

    return listing("search", s.search.search(p["q"], kind=p["kind"]), p, row)


async def jobs(request: Request) -> Response:
    writer = request.app.state.writer
    items = [j.to_dict() for j in writer.jobs.values()] if writer else []
    return JSONResponse({"total": len(items), "items": items[::-1]})


async def job(request: Request) -> Response:
    writer = request.app.state.writer
    found = writer.jobs.get(request.path_params["job_id"]) if writer else None
    if found is None:
        raise not_found("job", request.path_params["job_id"])
    return JSONResponse(found.to_dict())


async def countries(request: Request) -> Response:
    return Response(countries_geojson(), media_type="application/geo+json",
                    headers={"Cache-Control": "max-age=86400"})


# -- writing -------------------------------------------------------------------------------

def check_token(request: Request, sent_in_form: str | None = None) -> None:
    """Writes need the token when one is set (always when bound beyond loopback)."""
    token = request.app.state.token
    if token is None:
        return
    header = request.headers.get("authorization", "")
    sent = header[7:] if header.lower().startswith("bearer ") else (
        request.headers.get("x-rashomon-token") or sent_in_form or "")
    if not secrets.compare_digest(sent.encode(), token.encode()):
        raise ApiError(401, "a valid token is required to add articles (Authorization: "
                            "Bearer TOKEN)")


def check_origin(request: Request) -> None:
    """A browser page from another site may not post here (cross-site request forgery)."""
    origin = request.headers.get("origin")
    if origin and origin != "null" and origin.split("://", 1)[-1] != request.headers.get(
            "host"):
        raise ApiError(403, f"cross-origin write refused (origin {origin})")


async def add_documents(request: Request) -> Response:
    check_origin(request)
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > MAX_REQUEST_BYTES:
        raise ApiError(413, f"request of {length} bytes is over the {MAX_REQUEST_BYTES}-byte "
                            "limit")
    ctype = request.headers.get("content-type", "")
    form_token = None
    if ctype.startswith("multipart/form-data") or ctype.startswith(
            "application/x-www-form-urlencoded"):
        form = await request.form(max_files=MAX_FILES + 1, max_fields=20,
                                  max_part_size=MAX_REQUEST_BYTES)
        form_token = _field(form.get("token"))
        check_token(request, form_token)
        files = []
        for item in form.getlist("files"):
            if hasattr(item, "read"):
                if not item.filename:
                    continue
                files.append((item.filename, await item.read(MAX_REQUEST_BYTES + 1)))
        upload = Upload(files=files, text=_field(form.get("text")),
                        title=_field(form.get("title")), outlet=_field(form.get("outlet")),
                        published=_field(form.get("published")),
                        urls=[u.strip() for u in (_field(form.get("urls")) or "").split()
                              if u.strip()][:MAX_URLS + 1])
    elif ctype.startswith("application/json"):
        check_token(request)
        body = await _bounded_body(request)
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise ApiError(400, f"body: not JSON ({exc})") from None
        if not isinstance(data, dict):
            raise ApiError(400, "body: expected a JSON object with text, title, outlet, "
                                "published or urls")
        unknown = sorted(set(data) - {"text", "title", "outlet", "published", "urls"})
        if unknown:
            raise ApiError(400, f"body: unknown field {unknown[0]!r}")
        urls = data.get("urls") or []
        if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
            raise ApiError(400, "urls: expected a list of strings")
        for key in ("text", "title", "outlet", "published"):
            if data.get(key) is not None and not isinstance(data[key], str):
                raise ApiError(400, f"{key}: expected a string")
        upload = Upload(text=data.get("text"), title=data.get("title"),
                        outlet=data.get("outlet"), published=data.get("published"), urls=urls)
    else:
        raise ApiError(415, "send multipart/form-data (files, text, urls) or application/json")
    created = request.app.state.writer.submit(upload)
    return JSONResponse(created.to_dict(), status_code=202,
                        headers={"Location": f"/api/jobs/{created.id}"})


def _field(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


async def _bounded_body(request: Request) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_REQUEST_BYTES:
            raise ApiError(413, f"request over the {MAX_REQUEST_BYTES}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


def routes(read_only: bool) -> list[Route]:
    docs_methods = ["GET"] if read_only else ["GET", "POST"]

    async def documents_route(request: Request) -> Response:
        if request.method == "POST":
            return await add_documents(request)
        return await documents(request)

    out = [
        Route("/api/status", status),
        Route("/api/documents", documents_route, methods=docs_methods),
        Route("/api/documents/{doc_id:path}", document),
        Route("/api/actors", actors),
        Route("/api/actors/{actor_id:path}", actor),
        Route("/api/events", events),
        Route("/api/events/{event_id:path}", event),
        Route("/api/claims", claims),
        Route("/api/claims/{claim_id:path}", claim),
        Route("/api/relations", relations),
        Route("/api/network", network),
        Route("/api/timeline", timeline),
        Route("/api/places", places),
        Route("/api/outlets", outlets),
        Route("/api/incidents", incidents),
        Route("/api/search", search),
        Route("/api/countries.geojson", countries),
    ]
    if not read_only:
        out += [Route("/api/jobs", jobs), Route("/api/jobs/{job_id}", job)]
    return out
