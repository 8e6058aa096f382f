"""The OpenAPI 3.1 document of the JSON API, written from the routes' own parameter lists."""

from __future__ import annotations

from typing import Any

from .. import __version__
from .queries import LISTS

ERROR = {"$ref": "#/components/responses/Error"}

LIST_ROUTES = {
    "documents": "Stored documents (no text; see /api/documents/{doc_id}).",
    "actors": "Actors with mention counts, most mentioned first.",
    "events": "Who did what to whom, when and where; each row links to its evidence span.",
    "claims": "Who says what, through whom; each row links to its evidence span.",
    "relations": "Signed relations per period with the evidence they rest on.",
    "outlets": "Outlets with their document, event and claim counts.",
    "incidents": "Incidents: events of several documents telling one real-world incident.",
    "places": "Places of events the text places, with their events.",
    "search": "Full-text search over documents and claims.",
}
DETAIL_ROUTES = {
    "documents": ("doc_id", "One document: text, highlights, comments, events, claims."),
    "actors": ("actor_id", "One actor: aliases, affiliations, mentions by outlet, events, "
                           "claims, relations."),
    "events": ("event_id", "One event."),
    "claims": ("claim_id", "One claim."),
}


def _json(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {
        "schema": schema or {"type": "object"}}}}


def openapi_document(read_only: bool = False) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for route, summary in LIST_ROUTES.items():
        paths[f"/api/{route}"] = {"get": {
            "summary": summary, "operationId": f"list_{route}",
            "parameters": [{"name": p.name, "in": "query", "required": route == "search"
                            and p.name == "q", "description": p.description,
                            "schema": p.schema()} for p in LISTS[route]],
            "responses": {
                "200": {"description": "One page of rows (JSON) or all rows (CSV).",
                        "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Page"}},
                            "text/csv": {"schema": {"type": "string"}}}},
                "400": ERROR},
        }}
    for route, (param, summary) in DETAIL_ROUTES.items():
        paths[f"/api/{route}/{{{param}}}"] = {"get": {
            "summary": summary, "operationId": f"get_{route}",
            "parameters": [{"name": param, "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "responses": {"200": _json("The item."), "404": ERROR}}}
    paths["/api/status"] = {"get": {"summary": "Counts, snapshot version and staleness.",
                                    "operationId": "status",
                                    "responses": {"200": _json("Status.")}}}
    paths["/api/network"] = {"get": {
        "summary": "One period's graph: actors with camps, ties with evidence.",
        "operationId": "network",
        "parameters": [
            {"name": "period", "in": "query", "schema": {"type": "string"},
             "description": "YYYY; default the period with the most ties."},
            {"name": "view", "in": "query",
             "schema": {"type": "string", "enum": ["direct", "rolled_up"]}}],
        "responses": {"200": _json("The graph."), "400": ERROR, "404": ERROR}}}
    paths["/api/timeline"] = {"get": {
        "summary": "Every dated event, compactly (columns + rows); takes the events filters.",
        "operationId": "timeline",
        "parameters": [{"name": p.name, "in": "query", "description": p.description,
                        "schema": p.schema()} for p in LISTS["events"]
                       if p.name not in ("limit", "offset", "format")],
        "responses": {"200": _json("Columns and rows."), "400": ERROR}}}
    paths["/api/countries.geojson"] = {"get": {
        "summary": "Country outlines (Natural Earth), for the map.",
        "operationId": "countries",
        "responses": {"200": {"description": "GeoJSON FeatureCollection.", "content": {
            "application/geo+json": {"schema": {"type": "object"}}}}}}}
    if not read_only:
        paths["/api/documents"]["post"] = {
            "summary": "Add articles: files, pasted text or URLs, analysed in the background.",
            "operationId": "add_documents",
            "security": [{}, {"token": []}],
            "requestBody": {"required": True, "content": {
                "multipart/form-data": {"schema": {"type": "object", "properties": {
                    "files": {"type": "array",
                              "items": {"type": "string", "contentMediaType":
                                        "application/octet-stream"}},
                    "text": {"type": "string"}, "title": {"type": "string"},
                    "outlet": {"type": "string"}, "published": {"type": "string"},
                    "urls": {"type": "string", "description": "One URL per line."},
                    "token": {"type": "string"}}}},
                "application/json": {"schema": {"type": "object", "properties": {
                    "text": {"type": "string"}, "title": {"type": "string"},
                    "outlet": {"type": "string"}, "published": {"type": "string"},
                    "urls": {"type": "array", "items": {"type": "string"}}},
                    "additionalProperties": False}}}},
            "responses": {"202": _json("The job, queued; poll its url.",
                                       {"$ref": "#/components/schemas/Job"}),
                          "400": ERROR, "401": ERROR, "403": ERROR, "413": ERROR,
                          "415": ERROR}}
        paths["/api/jobs"] = {"get": {"summary": "Upload jobs, newest first.",
                                      "operationId": "list_jobs",
                                      "responses": {"200": _json("Jobs.")}}}
        paths["/api/jobs/{job_id}"] = {"get": {
            "summary": "One job's progress and outcome.", "operationId": "get_job",
            "parameters": [{"name": "job_id", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "responses": {"200": _json("The job.", {"$ref": "#/components/schemas/Job"}),
                          "404": ERROR}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Rashomon", "version": __version__,
                 "description": "Actors, events, claims and relations found in a corpus of "
                                "articles, each pointing to its text span."},
        "paths": paths,
        "components": {
            "schemas": {
                "Error": {"type": "object", "required": ["error"],
                          "properties": {"error": {"type": "string"}}},
                "Page": {"type": "object", "required": ["total", "offset", "limit", "items"],
                         "properties": {"total": {"type": "integer"},
                                        "offset": {"type": "integer"},
                                        "limit": {"type": "integer"},
                                        "items": {"type": "array", "items": {}}}},
                "Job": {"type": "object", "properties": {
                    "id": {"type": "string"},
                    "state": {"type": "string", "enum": ["queued", "waiting", "running",
                                                         "done", "failed"]},
                    "done": {"type": "integer"}, "total": {"type": ["integer", "null"]},
                    "problems": {"type": "array", "items": {"type": "string"}},
                    "documents": {"type": "array", "items": {"type": "string"}}}},
            },
            "responses": {"Error": {"description": "Bad request, with a one-line reason.",
                                    "content": {"application/json": {"schema": {
                                        "$ref": "#/components/schemas/Error"}}}}},
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer",
                                          "description": "Required for writes when the "
                                                         "server has a token."}},
        },
    }
