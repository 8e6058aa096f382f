"""Hostile input, one case at a time: each gets one line naming it and the run goes on.

Every input here is made by the test itself (see ``hostile.py`` for the shared builders).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from hostile import BAD_PATHS, hostile_server, long_sentence

from rashomon import registry
from rashomon.ingest import read_inputs
from rashomon.ingest.names import label, printable
from rashomon.parse import MAX_SENTENCE_TOKENS, parse_texts, split_text
from rashomon.pipeline import Config, analyse_documents
from rashomon.types import Document, IngestProblem, RawRecord

ARTICLE = ("Iraqi forces retook the town of Hit from militants on Friday, the army said. "
           "Residents returned to the market on Saturday.")


def read(*inputs, **kw) -> list[RawRecord | IngestProblem]:
    return list(read_inputs([str(i) if isinstance(i, Path) else i for i in inputs], **kw))


def problems(items) -> list[IngestProblem]:
    return [i for i in items if isinstance(i, IngestProblem)]


def records(items) -> list[RawRecord]:
    return [i for i in items if isinstance(i, RawRecord)]


# --------------------------------------------------------------------------- record content


def test_lone_surrogates_in_text_and_title_are_replaced_with_one_line_each(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps({"id": "a", "text": ARTICLE + " \ud800"}) + "\n"
                    + json.dumps({"id": "b", "text": ARTICLE, "title": "T \udfff x"}) + "\n",
                    encoding="utf-8")
    items = read(path)
    [first, second] = records(items)
    assert first.text.endswith("\ufffd") and second.title == "T \ufffd x"
    lines = [str(p) for p in problems(items)]
    assert lines == [f"{path}:1: 1 lone surrogate(s) in text replaced by U+FFFD",
                     f"{path}:2: 1 lone surrogate(s) in title replaced by U+FFFD"]
    assert not any(p.skipped for p in problems(items))
    for record in records(items):  # now encodable, as the store and exports need
        (record.text + (record.title or "")).encode("utf-8")


def test_malformed_url_field_is_kept_as_metadata_with_a_line(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps({"text": ARTICLE, "url": "http://[::1"}) + "\n", "utf-8")
    items = read(path)
    [record] = records(items)
    assert record.url is None and record.metadata["invalid_url"] == "http://[::1"
    [problem] = problems(items)
    assert problem.source == f"{path}:1" and "malformed URL" in problem.problem


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_json_number_of_5000_digits_is_one_line(tmp_path, suffix):
    path = tmp_path / f"n{suffix}"
    path.write_text('{"text": "Talks resumed.", "views": ' + "9" * 5000 + "}\n", "utf-8")
    [problem] = read(path)
    assert isinstance(problem, IngestProblem)
    assert problem.problem == "JSON number too long to read (5000 digits)"
    assert problem.source in (str(path), f"{path}:1")


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_json_nested_100000_deep_is_one_line(tmp_path, suffix):
    path = tmp_path / f"d{suffix}"
    path.write_text('{"text": "Talks.", "x": ' + "[" * 100_000 + "]" * 100_000 + "}\n",
                    "utf-8")
    [problem] = read(path)
    assert isinstance(problem, IngestProblem) and "nested too deeply" in problem.problem


def test_metadata_nested_deeper_than_the_limit_but_readable_is_refused(tmp_path):
    path = tmp_path / "d.json"
    path.write_text('{"text": "Talks.", "x": ' + "[" * 500 + "]" * 500 + "}", "utf-8")
    [problem] = read(path)
    assert isinstance(problem, IngestProblem) and "levels deep" in problem.problem


def test_form_feed_and_vertical_tab_in_html_are_read(tmp_path):
    path = tmp_path / "p.html"
    path.write_text("<html><body><p>Troops\fwithdrew from\vthe base.</p></body></html>",
                    "utf-8")
    [record] = read(path)
    assert isinstance(record, RawRecord) and "withdrew" in record.html


def test_a_control_character_after_a_script_does_not_stop_the_run(tmp_path):
    # The body-text check once cut scripts out of the tree, joining this tail to the
    # text before it, which lxml refuses: the whole run ended on this page.
    (tmp_path / "a.html").write_text(
        "<html><head><title>Port talks</title></head><body><script>var x = 1;</script>"
        "\x0b Officials met in Basra on Monday.</body></html>", "utf-8")
    (tmp_path / "b.html").write_text("<html><body><script>var y;</script>\x0b </body></html>",
                                     "utf-8")
    (tmp_path / "c.txt").write_text(ARTICLE, "utf-8")
    items = read(tmp_path)
    assert [r.id for r in records(items)] == ["a", "c"]
    assert [(p.source.rsplit("/", 1)[-1], p.problem) for p in problems(items)] == [
        ("b.html", "HTML with no body text")]


@pytest.mark.parametrize("char", ["\x01", "\x0b", "\x0c", "\x1b", "\ufffe", "\uffff"])
def test_a_character_xml_forbids_does_not_stop_the_cleaning_of_a_page(char):
    """lxml parses these into text nodes, then refuses to edit such a node: the plain
    extraction (used when trafilatura finds no main text) raised on mutated pages."""
    from rashomon.clean.html import _lxml_text
    from rashomon.ingest.sniff import parse_html

    markup = (f"<html><body><article><p>Troops{char}withdrew from the base.</p><div>Talks"
              f"<script>var x;</script> resumed{char}on Monday.</div></article></body></html>")
    text = _lxml_text(parse_html(markup))
    assert "Troops withdrew from the base." in text
    assert "Talks resumed on Monday." in " ".join(text.split())


def test_a_reader_that_raises_is_one_line_for_its_file(tmp_path, monkeypatch):
    import rashomon.ingest.files as files

    def broken(markup: str) -> bool:
        if "BROKEN" in markup:
            raise ValueError("the reader broke\non two lines")
        return True

    monkeypatch.setattr(files, "html_has_body_text", broken)
    (tmp_path / "a.html").write_text("<html><body><p>BROKEN page</p></body></html>", "utf-8")
    (tmp_path / "b.html").write_text("<html><body><p>A fine page</p></body></html>", "utf-8")
    items = read(tmp_path)
    assert [r.id for r in records(items)] == ["b"]
    [problem] = problems(items)
    assert problem.source.endswith("a.html")
    assert problem.problem == "reading failed (ValueError: the reader broke on two lines)"


def test_implausible_publication_years_are_dropped_with_a_line():
    from rashomon import analyze

    with pytest.warns(UserWarning) as caught:
        result = analyze([{"id": "old", "text": ARTICLE, "published": "0001-01-01"},
                          {"id": "late", "text": ARTICLE, "published": "9999-12-31"}],
                         config=Config(stages=["dates"]))
    assert [d.published for d in result.documents] == [None, None]
    assert [d.metadata["invalid_published"] for d in result.documents] == [
        "0001-01-01", "9999-12-31"]
    assert sum("publication date" in str(w.message) for w in caught) == 2


# --------------------------------------------------------------------------- file system


def test_symlink_loop_is_one_line_each(tmp_path):
    os.symlink("b.txt", tmp_path / "a.txt")
    os.symlink("a.txt", tmp_path / "b.txt")
    (tmp_path / "good.txt").write_text(ARTICLE, "utf-8")
    items = read(tmp_path)
    assert [str(p) for p in problems(items)] == [
        f"{tmp_path / 'a.txt'}: cannot read (symbolic link loop)",
        f"{tmp_path / 'b.txt'}: cannot read (symbolic link loop)"]
    assert [r.id for r in records(items)] == ["good"]


def test_a_250_character_file_name_is_read(tmp_path):
    name = "n" * 246 + ".txt"  # the sidecar probe would add ".meta.json": too long
    (tmp_path / name).write_text(ARTICLE, "utf-8")
    [record] = read(tmp_path)
    assert isinstance(record, RawRecord) and record.id == "n" * 246


def test_a_file_name_that_is_not_utf8_is_read_under_an_escaped_name(tmp_path):
    with open(os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt"), "wb") as f:
        f.write(ARTICLE.encode())
    [record] = read(tmp_path)
    assert isinstance(record, RawRecord)
    assert record.id == "caf\\xe9" and record.source.endswith("caf\\xe9.txt")
    record.source.encode("utf-8")


def test_control_characters_in_a_name_are_escaped(tmp_path):
    (tmp_path / "a\n\x1b[31mb.txt").write_bytes(b"\x00\x01binary")
    [problem] = read(tmp_path)
    assert str(problem) == f"{tmp_path}/a\\n\\x1b[31mb.txt: binary file, not text"
    assert printable("x\u202ey\x07") == "x\\u202ey\\x07"
    assert label(b"caf\xe9") == "caf\\xe9"


# --------------------------------------------------------------------------- network


@pytest.fixture(scope="module")
def server():
    with hostile_server() as url:
        yield url


@pytest.mark.network
def test_every_misbehaving_server_is_one_line_and_the_good_page_is_read(server):
    urls = [f"{server}{path}" for path in BAD_PATHS] + [f"{server}/good"]
    started = time.monotonic()
    items = read(*urls, fetch_timeout=5, fetch_deadline=2)
    elapsed = time.monotonic() - started
    lines = {p.source: p.problem for p in problems(items)}
    assert set(lines) == {f"{server}{path}" for path in BAD_PATHS}
    assert lines[f"{server}/bad-status"].startswith("malformed response (BadStatusLine")
    assert lines[f"{server}/bad-chunked"].startswith("malformed response")
    assert "headers" in lines[f"{server}/many-headers"]
    assert lines[f"{server}/drip"] == "gave up after 2 s (total time per URL)"
    assert lines[f"{server}/short"].startswith("body cut short:")
    [good] = records(items)
    assert "Envoys" in good.html
    assert elapsed < 10  # the drip alone would take 50 minutes


# --------------------------------------------------------------------------- parsing


def test_long_texts_are_parsed_in_windows_that_join_back_exactly(monkeypatch):
    import rashomon.parse as parse

    text = "\n\n".join(f"Officials in Basra said on day {n} that the market reopened."
                       for n in range(200))
    pieces = split_text(text, 1000)
    assert "".join(pieces) == text and max(map(len, pieces)) <= 1000 and len(pieces) > 5
    assert all(p.endswith("\n\n") for p in pieces[:-1])  # cut at paragraph breaks
    assert split_text("x" * 2500, 1000) == ["x" * 1000, "x" * 1000, "x" * 500]
    monkeypatch.setattr(parse, "WINDOW_CHARS", 1000)
    [doc] = parse_texts([text])
    assert doc.text == text
    assert len(list(doc.sents)) >= 200


def test_a_sentence_of_19_kb_is_cut_into_bounded_sentences():
    text = long_sentence()
    [doc] = parse_texts([text])
    assert doc.text == text
    assert max(len(s) for s in doc.sents) <= MAX_SENTENCE_TOKENS


def test_a_long_run_cut_by_single_line_breaks_is_bounded_in_its_first_parse(monkeypatch):
    """The parser reads across a single line break: a run with no sentence end, cut into
    lines (a list, hard-wrapped text, a mangled page), is one sentence to it. The check
    before the parse sees the run, so the text is parsed once with bounded sentences, not
    parsed whole, found over-long and parsed again."""
    import rashomon.parse as parse

    piece = ("the militia fighters moved their trucks north of the river while the army "
             "waited near the bridge for orders, and ")
    blob = piece * 40
    text = "\n".join(blob[i:i + 300] for i in range(0, len(blob), 300))
    assert parse.has_long_run(text)
    assert parse.has_long_run("\n".join(["Troops entered the town on Monday"] * 100))
    assert not parse.has_long_run(text.replace("\n", "\n\n"))  # paragraphs end runs
    assert not parse.has_long_run(text.replace(", and ", ". And "))
    parsed_again = []
    bounded = parse._bounded

    def spy(nlp, doc):
        out = bounded(nlp, doc)
        parsed_again.append(out is not doc)
        return out

    monkeypatch.setattr(parse, "_bounded", spy)
    [doc] = parse_texts([text])
    assert parsed_again == [False]
    assert doc.text == text
    assert max(len(s) for s in doc.sents) <= MAX_SENTENCE_TOKENS


# --------------------------------------------------------------------------- pipeline guard


@registry.stage("test_explode")
def _explode(ctx) -> None:
    if "EXPLODE" in ctx.document.text:
        raise RuntimeError("boom")
    if "STALL" in ctx.document.text:
        time.sleep(30)


def _docs() -> list[Document]:
    texts = ["Talks resumed in Basra.", "EXPLODE here.", "STALL here.", "Troops left Mosul."]
    return [Document(id=f"d{n}", text=t, source=f"file{n}.txt") for n, t in enumerate(texts)]


@pytest.mark.parametrize("n_process", [1, 2])
def test_a_failing_or_stalling_document_is_skipped_and_the_rest_analysed(n_process):
    skipped: list[tuple[str, str]] = []
    config = Config(stages=["dates", "test_explode"], n_process=n_process, doc_timeout=2)
    started = time.monotonic()
    done = [a.result.document.id for a in analyse_documents(
        _docs(), config, on_skip=lambda d, why: skipped.append((d.source, why)))]
    assert done == ["d0", "d3"]
    assert skipped == [
        ("file1.txt", "test_explode stage failed (RuntimeError: boom)"),
        ("file2.txt", "over its 2 s time budget (11 characters; raise --doc-timeout to "
                      "analyse it)")]
    assert time.monotonic() - started < 25  # the stall (30 s) was cut short


@registry.stage("test_slow")
def _slow(ctx) -> None:
    time.sleep(4.0 if "VERYSLOW" in ctx.document.text else 1.5)


def test_the_time_budget_is_per_window_of_text():
    """1 s per 100,000 characters: a 1.5 s stage is over budget on a short text, within it
    on a text of two windows; a 4 s stage is over both windows' budgets."""
    import spacy

    from rashomon.parse import WINDOW_CHARS
    from rashomon.pipeline import Resources, SkippedDocument, _guarded

    config = Config(stages=["test_slow"], n_process=1, doc_timeout=1)
    resources = Resources(config)
    blank = spacy.blank("en")
    long_text = "SLOW " + "word " * (WINDOW_CHARS // 5)  # just over one window
    cases = {"short": "SLOW here.", "long": long_text, "stuck": "VERY" + long_text}
    out = {name: _guarded(Document(id=name, text=text, source=f"{name}.txt"), config,
                          resources, blank.make_doc(text))
           for name, text in cases.items()}
    assert isinstance(out["short"], SkippedDocument)
    assert out["short"].reason.startswith("over its 1 s time budget (10 characters;")
    assert not isinstance(out["long"], SkippedDocument)
    assert out["long"].timings["test_slow"] >= 1.5
    assert isinstance(out["stuck"], SkippedDocument)
    assert out["stuck"].reason.startswith(
        "over its 2 s time budget (100,009 characters, 1 s for each of 2 windows;")


# --------------------------------------------------------------------------- packaging


def test_every_imported_package_is_a_declared_dependency():
    import ast
    import re
    import sys
    import tomllib
    from importlib.metadata import packages_distributions

    root = Path(__file__).resolve().parent.parent

    def norm(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    with open(root / "pyproject.toml", "rb") as f:
        project = tomllib.load(f)["project"]
    # Optional features (a cluster, the web app) import what their extra declares.
    deps = project["dependencies"] + [d for extra in project.get("optional-dependencies", {})
                                      .values() for d in extra]
    declared = {norm(re.split(r"[\[=<>!~ ;]", d, maxsplit=1)[0]) for d in deps}
    imported = set()
    for path in (root / "src" / "rashomon").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"rashomon", "__future__"}
    distributions = packages_distributions()
    undeclared = {m for m in third_party
                  if not {norm(d) for d in distributions.get(m, [m])} & declared}
    assert not undeclared
    assert {"spacy", "duckdb", "lxml"} <= third_party  # the scan does see the imports


def test_the_time_budget_gives_back_an_outer_timer():
    import signal

    from rashomon.pipeline import DocumentTimeout, time_budget

    previous = signal.signal(signal.SIGALRM, lambda *a: None)
    signal.setitimer(signal.ITIMER_REAL, 100)
    try:
        with pytest.raises(DocumentTimeout), time_budget(0.2):
            time.sleep(5)
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 95 < remaining <= 100
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
