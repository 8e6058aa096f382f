"""Hostile inputs for the hardening tests: a folder of every kind of bad input beside good
articles, and a loopback HTTP server that misbehaves in every way the tests need.

Every article here was written for these tests. ``build_folder`` returns the folder and the
names of the inputs that must each get one line on stderr (skipped or repaired).
"""

from __future__ import annotations

import json
import os
import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

GOOD = {
    "harbour_talks.txt": (
        "Talks on the port deal resume in Basra\n\n"
        "By Lena Ortiz\n\n"
        "Iraqi and Kuwaiti officials met in Basra on Monday to resume talks on a shared port, "
        "the Iraqi foreign ministry said. The talks had stalled for a year.\n\n"
        "A Kuwaiti envoy said the two governments wanted a deal before the summer.\n"),
    "militia_statement.txt": (
        "Militia denies role in convoy attack\n\n"
        "A spokesman for Kataib Hezbollah denied on Tuesday that the group had attacked a "
        "supply convoy near Baghdad airport. The United States blamed the group for the "
        "attack, which wounded two contractors.\n"),
    "sanctions.md": (
        "# Washington adds sanctions on Iranian shipping firms\n\n"
        "The US Treasury imposed sanctions on three Iranian shipping companies on Thursday, "
        "accusing them of moving oil for the Revolutionary Guards. Tehran condemned the move "
        "as economic terrorism.\n"),
}

# A page whose article text mentions brackets, so that Rich tables would eat it as markup.
BRACKET_TEXT = ("Officials [of Iraq] said the border crossing at Safwan reopened on Sunday after "
                "a week of closures.")

GOOD_HTML = ("<html><head><title>Crossing reopens</title></head><body><article><h1>Crossing "
             "reopens</h1><p>" + BRACKET_TEXT + "</p><p>Traders said lorries queued for "
             "hours on the Kuwaiti side before the gates opened.</p></article></body></html>")


def long_text(min_chars: int = 1_050_000) -> str:
    """An article longer than spaCy's default max_length, made of varied short paragraphs."""
    cities = ["Basra", "Mosul", "Erbil", "Najaf", "Kirkuk", "Ramadi", "Tikrit", "Karbala"]
    paragraphs, n = [], 0
    size = 0
    while size < min_chars:
        city = cities[n % len(cities)]
        para = (f"Report {n}: officials in {city} said on day {n % 28 + 1} that the market "
                f"reopened and that {n % 97} shops were trading again.")
        paragraphs.append(para)
        size += len(para) + 2
        n += 1
    return "Market life returns across Iraq\n\n" + "\n\n".join(paragraphs) + "\n"


def long_sentence(chars: int = 19_000) -> str:
    """One 'sentence' of about ``chars`` characters, with no full stop to end it."""
    words = ["officials", "said", "that", "the", "convoy", "and", "the", "militia", "near",
             "Baghdad", "clashed", "with", "troops", "while", "residents", "fled"]
    out, n = [], 0
    while sum(map(len, out)) + len(out) < chars:
        out.append(words[n % len(words)])
        n += 1
    return "A very long sentence\n\n" + " ".join(out) + ".\n"


def build_folder(root: Path, urls: list[str] | None = None) -> tuple[Path, dict[str, str]]:
    """Write the hostile folder under root; returns (folder, {input name: why it is bad}).

    ``urls`` (from ``hostile_server``) go into a ``.urls`` file; each bad one is expected to
    get its own line too.
    """
    folder = root / "hostile"
    folder.mkdir()
    bad: dict[str, str] = {}
    for name, text in GOOD.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "crossing.html").write_text(GOOD_HTML, encoding="utf-8")
    (folder / "long_article.txt").write_text(long_text(), encoding="utf-8")
    (folder / "long_sentence.txt").write_text(long_sentence(), encoding="utf-8")

    good_record = {"text": "Iraqi forces retook the town of Hit from militants on Friday, "
                           "the army said.", "outlet": "Test Wire"}
    records = folder / "records.jsonl"

    def good(day: str) -> dict[str, str]:
        # distinct texts: the same text twice is rightly stored once, as a duplicate
        return {**good_record, "text": good_record["text"].replace("Friday", day)}

    lines = [
        json.dumps({"id": "surrogate-text", **good("Monday"),
                    "text": good("Monday")["text"] + " \ud800"}),
        json.dumps({"id": "surrogate-title", **good("Tuesday"), "title": "Hit \ud800 retaken"}),
        json.dumps({"id": "bad-url", **good("Wednesday"), "url": "http://[::1"}),
        json.dumps({"id": "year-0001", **good("Thursday"), "published": "0001-01-01"}),
        json.dumps({"id": "year-9999", **good("Saturday"), "published": "9999-12-31"}),
        '{"id": "big-number", "text": "Troops moved north.", "n": ' + "7" * 5000 + "}",
        '{"id": "deep", "text": "Troops moved south.", "x": ' + "[" * 100_000
        + "]" * 100_000 + "}",
    ]
    records.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for number, why in enumerate(["lone surrogate in text", "lone surrogate in title",
                                  "malformed URL", "year 0001", "year 9999",
                                  "5,000-digit number", "nested 100,000 deep"], start=1):
        bad[f"records.jsonl:{number}"] = why

    (folder / "big_number.json").write_text(
        '{"text": "Talks resumed.", "views": ' + "9" * 5000 + "}", encoding="utf-8")
    bad["big_number.json"] = "5,000-digit number"
    (folder / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    bad["deep.json"] = "nested 100,000 deep"
    (folder / "controls.html").write_text(
        "<html><body><p>Page\fwith a form feed\vand a vertical tab. Troops\fwithdrew from "
        "the base on\vMonday.</p></body></html>", encoding="utf-8")
    (folder / "surrogate_title.json").write_text(
        '{"title": "Talks \\ud800 resume", "text": "Iran and Iraq resumed talks on water '
        'sharing on Monday, officials said."}', encoding="utf-8")
    bad["surrogate_title.json"] = "lone surrogate in title"

    os.symlink("loop_b.txt", folder / "loop_a.txt")
    os.symlink("loop_a.txt", folder / "loop_b.txt")
    bad["loop_a.txt"] = bad["loop_b.txt"] = "symlink loop"
    long_name = "n" * 246 + ".txt"  # 250 characters; the sidecar probe adds 10
    (folder / long_name).write_text(GOOD["harbour_talks.txt"].replace("Basra", "Umm Qasr"),
                                    encoding="utf-8")
    # A file name that is not UTF-8 (Latin-1 "é"), holding a good article.
    with open(os.path.join(os.fsencode(folder), b"caf\xe9_talks.txt"), "wb") as f:
        f.write(b"Cafe owners in Najaf protest power cuts\n\nShop owners in Najaf protested "
                b"on Sunday against daily power cuts, local officials said.\n")
    # A name with a newline and an escape sequence; its content is binary, so it is skipped.
    (folder / "evil\n\x1b[31mred.txt").write_bytes(b"\x00\x01\x02binary")
    bad["evil\\n\\x1b[31mred.txt"] = "binary, name with control characters"
    if urls:
        (folder / "links.urls").write_text("\n".join(urls) + "\n", encoding="utf-8")
    return folder, bad


# --------------------------------------------------------------------------- server

ARTICLE_PAGE = (b"<html><head><title>Envoys meet</title></head><body><article><p>Envoys from "
                b"Iran and Saudi Arabia met in Baghdad on Wednesday, the Iraqi government "
                b"said.</p></article></body></html>")


def _respond(path: str, conn: socket.socket) -> None:
    """Write the response for one request path; each path misbehaves in its own way."""
    ok = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n"
    if path == "/good":
        conn.sendall(ok + b"Content-Length: %d\r\n\r\n" % len(ARTICLE_PAGE) + ARTICLE_PAGE)
    elif path == "/bad-status":
        conn.sendall(b"HTTP/1.1 OK-ish\r\n\r\nhello")
    elif path == "/bad-chunked":
        conn.sendall(ok + b"Transfer-Encoding: chunked\r\n\r\nZZZ\r\nhello\r\n0\r\n\r\n")
    elif path == "/many-headers":
        conn.sendall(ok + b"".join(b"X-H%d: v\r\n" % i for i in range(150)) + b"\r\nhi")
    elif path == "/drip":
        conn.sendall(ok + b"Content-Length: 1000\r\n\r\n")
        for _ in range(1000):
            time.sleep(3)
            conn.sendall(b"<")
    elif path == "/short":
        conn.sendall(ok + b"Content-Length: %d\r\n\r\n" % (len(ARTICLE_PAGE) + 5000)
                     + ARTICLE_PAGE)
    else:
        conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            request += chunk
        path = request.split(b" ", 2)[1].decode("ascii", "replace")
        try:
            _respond(path, self.request)
        except OSError:
            pass  # the client gave up (deadline), as it should


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


BAD_PATHS = {"/bad-status": "bad status line", "/bad-chunked": "bad chunked body",
             "/many-headers": "too many headers", "/drip": "drips a byte every 3 s",
             "/short": "body cut short"}


@contextmanager
def hostile_server() -> Iterator[str]:
    """A loopback server; yields its base URL (``BAD_PATHS`` misbehave, ``/good`` serves)."""
    server = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
