"""Ingest: every input kind becomes RawRecords; every bad input one clear IngestProblem."""

from __future__ import annotations

import http.server
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from rashomon.ingest import USER_AGENT, read_inputs
from rashomon.types import IngestProblem, RawRecord

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
ARTICLE = "Rockets hit the airbase on Tuesday.\n\nNo group claimed the attack.\n"


def read(*inputs, **kwargs) -> list[RawRecord | IngestProblem]:
    return list(read_inputs(list(inputs), **kwargs))


def records(items) -> list[RawRecord]:
    return [i for i in items if isinstance(i, RawRecord)]


def problems(items) -> list[str]:
    return [str(i) for i in items if isinstance(i, IngestProblem)]


# --- formats -------------------------------------------------------------------------------

def test_text_file_becomes_one_record_named_after_the_file(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    [record] = read(path)
    assert (record.id, record.format, record.source) == ("story", "txt", str(path))
    assert record.text == ARTICLE


def test_markdown_file_has_format_md(tmp_path):
    (tmp_path / "note.md").write_text("# Heading\n\nSome text.\n", encoding="utf-8")
    [record] = read(tmp_path / "note.md")
    assert record.format == "md"


def test_html_file_is_passed_on_as_html():
    [record] = read(FIXTURES / "article.html")
    assert record.format == "html" and record.text is None
    assert "fragile ceasefire" in record.html


def test_jsonl_records_keep_known_fields_and_put_the_rest_in_metadata(tmp_path):
    path = tmp_path / "crawl.jsonl"
    rows = [{"id": "a1", "text": ARTICLE, "outlet": "Tigris Observer", "published": "2021-04-14",
             "url": "https://tigris.example/a1", "lang": "en"},
            {"text": "Second article."}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    first, second = read(path)
    assert (first.id, first.outlet, first.published, first.source) == (
        "a1", "Tigris Observer", "2021-04-14", f"{path}:1")
    assert first.metadata == {"lang": "en"}
    assert (second.id, second.format) == ("crawl:2", "jsonl")


def test_json_file_may_hold_one_object_or_an_array(tmp_path):
    (tmp_path / "one.json").write_text(json.dumps({"text": ARTICLE, "title": "T"}), "utf-8")
    (tmp_path / "many.json").write_text(json.dumps([{"text": "A."}, {"html": "<p>B.</p>"}]),
                                        "utf-8")
    one = read(tmp_path / "one.json")
    many = read(tmp_path / "many.json")
    assert [(r.id, r.title) for r in one] == [("one", "T")]
    assert [r.id for r in many] == ["many:1", "many:2"]
    assert many[1].html == "<p>B.</p>"


def test_csv_rows_become_records_with_their_line_numbers(tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text('title,text,author\nFirst,"Line one\nline two",Jane Roe\nSecond,Body,\n',
                    encoding="utf-8")
    first, second = read(path)
    assert (first.id, first.title, first.author) == ("sheet:2", "First", "Jane Roe")
    assert first.text == "Line one\nline two"
    assert (second.id, second.source, second.author) == ("sheet:4", f"{path}:4", None)


def test_rss_items_become_records_with_feed_title_as_outlet():
    items = read(FIXTURES / "feed.rss")
    assert [r.title for r in items] == ["Militia shells airbase near Erbil",
                                        "Parliament delays vote"]
    first = items[0]
    assert first.format == "feed" and first.outlet == "Tigris Observer"
    assert first.author == "Layla Haddad"
    assert first.url == "https://tigris.example/2021/04/airbase"
    assert first.published == "Wed, 14 Apr 2021 09:30:00 +0000"
    assert "Rockets struck" in first.html  # content:encoded preferred over the teaser
    assert first.id.startswith("feed:")


def test_atom_entries_become_records():
    [entry] = read(FIXTURES / "feed.atom")
    assert (entry.title, entry.author, entry.outlet) == ("Talks resume in Muscat", "Omar Said",
                                                         "Gulf Monitor")
    assert entry.url == "https://gulf.example/talks" and entry.published == "2022-03-02T08:00:00Z"


def test_xml_file_is_sniffed_as_a_feed_or_reported(tmp_path):
    (tmp_path / "feed.xml").write_bytes((FIXTURES / "feed.atom").read_bytes())
    (tmp_path / "other.xml").write_text("<config><a>1</a></config>", encoding="utf-8")
    items = read(tmp_path / "feed.xml", tmp_path / "other.xml")
    assert len(records(items)) == 1
    assert problems(items) == [f"{tmp_path / 'other.xml'}: not an RSS or Atom feed "
                               "(unparsable or other XML)"]


def test_directory_is_walked_sorted_skipping_hidden_files_and_sidecars(tmp_path):
    (tmp_path / "b.txt").write_text("B body.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("A body.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("secret", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("git", encoding="utf-8")
    (tmp_path / "b.meta.json").write_text('{"outlet": "Wire"}', encoding="utf-8")
    items = read(tmp_path)
    assert [r.id for r in items] == ["b", "a"]
    assert items[0].outlet == "Wire"


# --- sidecars ------------------------------------------------------------------------------

@pytest.mark.parametrize("sidecar_name", ["story.meta.json", "story.txt.meta.json"])
def test_sidecar_supplies_metadata(tmp_path, sidecar_name):
    (tmp_path / "story.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / sidecar_name).write_text(json.dumps({
        "title": "Airbase attack", "published": "2021-04-14", "outlet": "Wire",
        "id": "wire-001", "desk": "Middle East"}), encoding="utf-8")
    [record] = read(tmp_path / "story.txt")
    assert (record.id, record.title, record.published, record.outlet) == (
        "wire-001", "Airbase attack", "2021-04-14", "Wire")
    assert record.metadata["desk"] == "Middle East"


def test_record_fields_win_over_sidecar_fields(tmp_path):
    (tmp_path / "c.jsonl").write_text(json.dumps({"text": "X.", "outlet": "Own"}) + "\n", "utf-8")
    (tmp_path / "c.meta.json").write_text('{"outlet": "Sidecar", "author": "A B"}', "utf-8")
    [record] = read(tmp_path / "c.jsonl")
    assert (record.outlet, record.author, record.id) == ("Own", "A B", "c:1")


def test_malformed_sidecar_is_reported_and_the_file_still_read(tmp_path):
    (tmp_path / "s.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "s.meta.json").write_text("{oops", encoding="utf-8")
    items = read(tmp_path / "s.txt")
    assert len(records(items)) == 1
    assert problems(items)[0].startswith(f"{tmp_path / 's.meta.json'}:1: malformed JSON")


# --- bad input -----------------------------------------------------------------------------

def test_missing_file(tmp_path):
    assert problems(read(tmp_path / "missing.txt")) == [f"{tmp_path / 'missing.txt'}: no such file"]


def test_empty_and_blank_files(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n ", encoding="utf-8")
    assert problems(read(tmp_path / "empty.txt", tmp_path / "blank.txt")) == [
        f"{tmp_path / 'empty.txt'}: empty file", f"{tmp_path / 'blank.txt'}: empty file"]


def test_binary_file(tmp_path):
    (tmp_path / "x.bin").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert problems(read(tmp_path / "x.bin", tmp_path / "photo.txt")) == [
        f"{tmp_path / 'x.bin'}: binary file, not text",
        f"{tmp_path / 'photo.txt'}: binary file, not text"]


def test_huge_file_is_refused_with_the_limit_stated(tmp_path):
    (tmp_path / "huge.txt").write_text("word " * 600, encoding="utf-8")
    assert problems(read(tmp_path / "huge.txt", max_bytes=1024)) == [
        f"{tmp_path / 'huge.txt'}: 2 KB exceeds the 1 KB limit"]


def test_large_jsonl_is_streamed_and_only_oversized_records_refused(tmp_path):
    path = tmp_path / "big.jsonl"
    lines = [json.dumps({"text": "short " * 20}) for _ in range(30)]
    lines[4] = json.dumps({"text": "long " * 400})
    path.write_text("\n".join(lines), encoding="utf-8")
    items = read(path, max_bytes=1024)
    assert len(records(items)) == 29
    assert problems(items) == [f"{path}:5: record of 1 KB exceeds the 1 KB limit"]


def test_malformed_jsonl_line_is_reported_and_the_rest_read(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "one"}\n{"text": "two" "x"}\n[1, 2]\n{"text": "four"}\n', "utf-8")
    items = read(path)
    assert [r.text for r in records(items)] == ["one", "four"]
    assert problems(items) == [f"{path}:2: malformed JSON (Expecting ',' delimiter)",
                               f"{path}:3: expected a JSON object, got list"]


def test_csv_row_without_text_is_reported(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text("title,text\nOne,Body one\nTwo,\nThree,Body three\n", encoding="utf-8")
    items = read(path)
    assert [r.title for r in records(items)] == ["One", "Three"]
    assert problems(items) == [f"{path}:3: row has no 'text' or 'html' field"]


def test_html_without_body_text(tmp_path):
    (tmp_path / "page.html").write_text(
        "<html><head><title>T</title><script>var a = 1;</script></head><body> </body></html>",
        encoding="utf-8")
    assert problems(read(tmp_path / "page.html")) == [
        f"{tmp_path / 'page.html'}: HTML with no body text"]


def test_legacy_encoding_is_detected(tmp_path):
    text = "Le président a déclaré que les négociations reprendraient à Genève.\n" * 3
    (tmp_path / "latin.txt").write_bytes(text.encode("cp1252"))
    [record] = read(tmp_path / "latin.txt")
    assert record.text == text
    assert record.metadata["encoding_notes"]


def test_mixed_encodings_are_decoded_per_line_with_a_note(tmp_path):
    data = "Café in Zürich — first line.\n".encode() + "Déjà vu in Bogotá.\n".encode("cp1252")
    (tmp_path / "mixed.txt").write_bytes(data)
    [record] = read(tmp_path / "mixed.txt")
    assert record.text == "Café in Zürich — first line.\nDéjà vu in Bogotá.\n"
    assert "mixed encodings" in record.metadata["encoding_notes"][0]


def test_utf16_with_bom_is_text_not_binary(tmp_path):
    (tmp_path / "wide.txt").write_bytes("Hello from Basra.".encode("utf-16"))
    [record] = read(tmp_path / "wide.txt")
    assert record.text == "Hello from Basra."


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file_and_directory(tmp_path):
    locked = tmp_path / "locked.txt"
    locked.write_text("x", encoding="utf-8")
    locked.chmod(0)
    closed = tmp_path / "dir"
    closed.mkdir()
    closed.chmod(0)
    try:
        assert problems(read(locked, closed)) == [f"{locked}: permission denied",
                                                  f"{closed}: permission denied"]
    finally:
        locked.chmod(0o600)
        closed.chmod(0o700)


def test_reading_continues_after_every_problem(tmp_path):
    (tmp_path / "1.txt").write_bytes(b"")
    (tmp_path / "2.bin").write_bytes(b"\x00\x01\x02")
    (tmp_path / "3.txt").write_text(ARTICLE, encoding="utf-8")
    items = read(tmp_path, tmp_path / "nope.txt")
    assert [r.id for r in records(items)] == ["3"]
    assert len(problems(items)) == 3


# --- URLs ----------------------------------------------------------------------------------

PAGES = {
    "/story.html": ("text/html; charset=utf-8",
                    b"<html><body><p>Talks resumed in Muscat.</p></body></html>"),
    "/plain": ("text/plain; charset=windows-1252", "Caf\xe9 talks.".encode("cp1252")),
    "/big": ("text/plain", b"x" * 5000),
}


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the name http.server calls)
        if self.path == "/slow":
            time.sleep(1.0)
        if self.path == "/agent":
            body, ctype = self.headers["User-Agent"].encode(), "text/plain"
        elif self.path in PAGES:
            ctype, body = PAGES[self.path]
        else:
            self.send_error(404, "Not Found")
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep test output quiet
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # clients that give up (timeout, size limit) break the pipe on purpose


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = _QuietServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.network
def test_html_url_is_fetched_as_html(server):
    [record] = read(f"{server}/story.html")
    assert record.format == "url" and record.url == f"{server}/story.html"
    assert "Talks resumed" in record.html and record.id.startswith("story-")


@pytest.mark.network
def test_text_url_is_decoded_with_the_header_charset(server):
    [record] = read(f"{server}/plain")
    assert record.text == "Café talks." and record.html is None


@pytest.mark.network
def test_fetch_sends_the_polite_user_agent(server):
    [record] = read(f"{server}/agent")
    assert record.text == USER_AGENT


@pytest.mark.network
def test_http_error_timeout_and_size_limit_become_problems(server):
    items = read(f"{server}/gone", f"{server}/slow", f"{server}/big",
                 fetch_timeout=0.3, max_bytes=1024)
    assert problems(items) == [f"{server}/gone: HTTP 404 Not Found",
                               f"{server}/slow: timed out after 0.3 s",
                               f"{server}/big: response exceeds the 1 KB limit"]


@pytest.mark.network
def test_url_list_files_are_fetched(server, tmp_path):
    (tmp_path / "list.urls").write_text(f"# reading list\n{server}/story.html\nnot a url\n",
                                        encoding="utf-8")
    (tmp_path / "links.txt").write_text(f"{server}/plain\n\n{server}/story.html\n", "utf-8")
    items = read(tmp_path / "list.urls", tmp_path / "links.txt")
    assert [r.format for r in records(items)] == ["url", "url", "url"]
    assert problems(items) == [f"{tmp_path / 'list.urls'}:3: not a URL: not a url"]
