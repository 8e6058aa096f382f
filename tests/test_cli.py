"""The `rashomon` command end to end: analyze, rerun, resume after a kill, export, show."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import jsonschema
import pytest
from typer.testing import CliRunner

from rashomon.cli import app
from rashomon.export import FORMATS, TABLES, export
from rashomon.store import Store

runner = CliRunner()
SCHEMA = Path(__file__).resolve().parent.parent / "src/rashomon/data/analysis.schema.json"


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def store_snapshot(db: Path) -> dict:
    """Everything a store holds, in a comparable form."""
    with Store(db, read_only=True) as store:
        data = store.analysis().to_dict()
    for d in data["documents"]:
        d.pop("metadata", None)
    return data


@pytest.fixture(scope="module")
def analysed_examples(tmp_path_factory, examples_dir) -> Path:
    db = tmp_path_factory.mktemp("cli") / "examples.duckdb"
    code, output = run("analyze", str(examples_dir), "--db", str(db), "--quiet")
    assert code == 0, output
    return db


def test_analyze_stores_every_bundled_example(analysed_examples):
    with Store(analysed_examples, read_only=True) as store:
        documents = store.documents()
    # 4 txt + 3 html + 3 jsonl records; the README is prose about the corpus, also read
    assert len(documents) >= 10
    assert all(d.text.strip() for d in documents)


def test_a_rerun_on_the_same_inputs_adds_nothing(analysed_examples, examples_dir):
    before = store_snapshot(analysed_examples)
    code, output = run("analyze", str(examples_dir), "--db", str(analysed_examples))
    assert code == 0
    assert "ingested 0" in output
    assert store_snapshot(analysed_examples) == before


def test_json_export_follows_the_schema(analysed_examples, tmp_path):
    out = tmp_path / "analysis.json"
    code, output = run("export", "--db", str(analysed_examples), "--format", "json",
                       "--output", str(out))
    assert code == 0, output
    data = json.loads(out.read_text())
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    assert data["documents"] and data["actors"] and data["mentions"]


def test_packaged_schema_is_the_shared_contract(shared_dir):
    assert SCHEMA.read_text() == (shared_dir / "schema/analysis.schema.json").read_text()


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_other_export_formats_write_every_table(analysed_examples, tmp_path, fmt):
    out = tmp_path / f"export.{fmt}"
    code, output = run("export", "--db", str(analysed_examples), "--format", fmt,
                       "--output", str(out))
    assert code == 0, output
    if fmt == "jsonl":
        tables = {json.loads(line)["table"] for line in out.read_text().splitlines()}
        assert {"documents", "actors", "mentions"} <= tables
    else:
        assert (out / f"documents.{fmt}").exists() and (out / f"mentions.{fmt}").exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_streams_the_store_into_the_same_files_as_the_whole_analysis(
        analysed_examples, tmp_path, fmt):
    """`rashomon export` reads the store a batch of rows at a time (flat memory for a store
    of any size; the GDELT table a document's events at a time) and writes what exporting
    the store's whole Analysis writes, incidents of events included."""
    streamed, whole = tmp_path / f"streamed.{fmt}", tmp_path / f"whole.{fmt}"
    code, output = run("export", "--db", str(analysed_examples), "--format", fmt,
                       "--output", str(streamed))
    assert code == 0, output
    with Store(analysed_examples, read_only=True) as store:
        analysis = store.analysis()
        rows = {table: list(store.table_rows(table, batch=3)) for table in TABLES}
    export(analysis, fmt, whole)
    assert rows == analysis.to_dict()
    assert any(e["incident"] for e in rows["events"])
    if fmt == "json":  # laid out as one json.dumps of the whole
        assert streamed.read_text() == json.dumps(rows, ensure_ascii=False, indent=1)
    files = sorted(p.name for p in whole.iterdir()) if whole.is_dir() else [""]
    assert files == (sorted(p.name for p in streamed.iterdir()) if streamed.is_dir() else [""])
    for name in files:
        a, b = (streamed / name, whole / name) if name else (streamed, whole)
        if fmt == "parquet":  # same rows; the files' metadata may differ
            con = duckdb.connect()
            assert (con.execute(f"SELECT * FROM '{a}'").fetchall()
                    == con.execute(f"SELECT * FROM '{b}'").fetchall()), name
        else:
            assert a.read_bytes() == b.read_bytes(), name
    if fmt == "gdelt-tsv":  # a header and an event row at least
        assert len(streamed.read_text().splitlines()) > 1


def test_docs_and_show_and_actors_print_what_is_stored(analysed_examples):
    code, output = run("docs", "--db", str(analysed_examples))
    assert code == 0 and "tw-20140610-mosul" in output
    code, output = run("show", "tw-20140610-mosul", "--db", str(analysed_examples))
    assert code == 0 and "Mosul" in output
    code, output = run("actors", "--db", str(analysed_examples))
    assert code == 0 and "Iraq" in output


def test_show_names_an_unknown_document(analysed_examples):
    code, output = run("show", "no-such-doc", "--db", str(analysed_examples))
    assert code == 2 and "no-such-doc" in output


def test_reader_comments_are_split_off_the_bundled_op_ed(analysed_examples):
    with Store(analysed_examples, read_only=True) as store:
        doc = store.document("liberty_ledger_soleimani_oped_2020")
    assert len(doc.comments) == 3
    assert all(c.author for c in doc.comments)
    assert not any(c.text[:40] in doc.text for c in doc.comments)


def test_unknown_export_format_is_a_usage_error(analysed_examples, tmp_path):
    code, output = run("export", "--db", str(analysed_examples), "--format", "xml",
                       "--output", str(tmp_path / "x"))
    assert code == 2 and "unknown format" in output


def test_nothing_readable_exits_1_with_one_line_per_problem(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    code, output = run("analyze", str(tmp_path / "empty.txt"), str(tmp_path / "missing.txt"),
                       "--db", str(tmp_path / "s.duckdb"))
    assert code == 1
    assert "empty.txt" in output and "missing.txt" in output
    assert "Traceback" not in output


def test_a_bad_file_is_skipped_and_the_rest_is_stored(tmp_path):
    (tmp_path / "good.txt").write_text("Iran and Iraq signed a trade deal on Monday.\n")
    (tmp_path / "bad.bin").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    code, output = run("analyze", str(tmp_path), "--db", str(tmp_path / "s.duckdb"))
    assert code == 0
    assert "bad.bin" in output and "ingested 1" in output


def test_interrupted_run_resumes_to_the_same_store(tmp_path, examples_dir):
    """A run killed mid-way keeps what it committed; a rerun ends identical to a clean run."""
    corpus = tmp_path / "corpus"
    shutil.copytree(examples_dir, corpus)
    clean_db, killed_db = tmp_path / "clean.duckdb", tmp_path / "killed.duckdb"
    assert run("analyze", str(corpus), "--db", str(clean_db), "--quiet")[0] == 0

    cmd = [sys.executable, "-c", "from rashomon.cli import main; main()", "analyze",
           str(corpus), "--db", str(killed_db), "--quiet"]
    proc = subprocess.Popen(cmd, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    wal = Path(f"{killed_db}.wal")
    deadline = time.time() + 120
    # Kill once the first document transactions have reached the write-ahead log.
    while time.time() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > 50_000:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    code, output = run("analyze", str(corpus), "--db", str(killed_db), "--quiet")
    assert code == 0, output
    assert store_snapshot(killed_db) == store_snapshot(clean_db)


def test_events_claims_and_relations_commands_filter_what_is_stored(analysed_examples):
    code, output = run("events", "--db", str(analysed_examples), "--actor", "Iran")
    assert code == 0 and "event(s)" in output
    code, all_output = run("events", "--db", str(analysed_examples), "--period", "1900")
    assert code == 0 and "0 event(s)" in all_output
    code, output = run("claims", "--db", str(analysed_examples))
    assert code == 0 and "claim(s)" in output and not output.startswith("0 claim")
    code, output = run("relations", "--db", str(analysed_examples))
    assert code == 0 and "camps" in output


@pytest.mark.parametrize("fmt", ["relations-csv", "graphml", "gexf", "gdelt-tsv"])
def test_graph_exports_of_the_examples(analysed_examples, tmp_path, fmt):
    out = tmp_path / f"graph.{fmt}"
    code, output = run("export", "--db", str(analysed_examples), "-f", fmt, "-o", str(out))
    assert code == 0, output
    assert out.stat().st_size > 200


def test_report_of_the_examples_opens_in_chromium(analysed_examples, tmp_path, chromium):
    """The report a user gets from the bundled corpus: every view renders, nothing external."""
    from browser import assert_view_renders

    from rashomon.report.views import VIEWS

    report = tmp_path / "report.html"
    code, output = run("report", "--db", str(analysed_examples), "--output", str(report))
    assert code == 0, output
    html = report.read_text()
    assert not re.search(r'(?:src|href)\s*=\s*["\']?\s*(?:https?:)?//', html, re.I)
    shots = Path(__file__).parent / "screenshots" / "examples"
    shots.mkdir(parents=True, exist_ok=True)
    for view, _title in VIEWS:
        assert_view_renders(chromium, report, view, shots / f"{view}.png", tmp_path)


def test_a_report_of_part_of_the_store_holds_that_part_and_says_so(analysed_examples,
                                                                   tmp_path):
    """On a store too large for one HTML file a user reports a slice: the newest documents
    (or those of a period, outlet or actor), with the events, claims and incidents they
    hold; the command says how many documents it left out."""
    with Store(analysed_examples, read_only=True) as store:
        newest = sorted(store.documents(), key=lambda d: d.published or "", reverse=True)
    report = tmp_path / "slice.html"
    code, output = run("report", "--db", str(analysed_examples), "--output", str(report),
                       "--max-documents", "2")
    assert code == 0, output
    assert f"newest 2 of {len(newest)} matching documents" in output
    html = report.read_text()
    shown = set(re.findall(r'id="doc-([^"]+)"', html))
    assert len(shown) == 2 and {d.id for d in newest[:2]} == shown
    code, output = run("report", "--db", str(analysed_examples), "--output", str(report),
                       "--period", "1900")
    assert code == 1 and "no stored document matches" in output


def test_a_config_file_chooses_the_stages(tmp_path):
    (tmp_path / "a.txt").write_text("Iran and Iraq signed a trade deal in Baghdad on Monday.\n")
    config = tmp_path / "rashomon.yaml"
    config.write_text("stages: [places, dates, actors]\nbatch_size: 4\n")
    db = tmp_path / "s.duckdb"
    code, output = run("analyze", str(tmp_path / "a.txt"), "--db", str(db), "--config",
                       str(config))
    assert code == 0, output
    with Store(db, read_only=True) as store:
        assert store.mentions() and not store.events()


def test_stance_runs_by_default_and_no_stance_leaves_it_out(tmp_path):
    (tmp_path / "a.txt").write_text("Iran strongly condemned Iraq for the deadly attack on "
                                    "its border guards on Monday.\n")
    stances = {}
    for flag in ([], ["--no-stance"]):
        db = tmp_path / f"s{len(flag)}.duckdb"
        code, output = run("analyze", str(tmp_path / "a.txt"), "--db", str(db), "--quiet",
                           *flag)
        assert code == 0, output
        with Store(db, read_only=True) as store:
            stances[bool(flag)] = [(s.source, s.target, s.sign) for s in store.stances()]
    assert stances[False] == [("iran", "iraq", -1)]
    assert stances[True] == []
    config = tmp_path / "rashomon.yaml"
    config.write_text("stages: [places, dates, actors]\n")
    code, output = run("analyze", str(tmp_path / "a.txt"), "--db", str(tmp_path / "c.duckdb"),
                       "--config", str(config), "--stance", "--quiet")
    assert code == 0, output
    with Store(tmp_path / "c.duckdb", read_only=True) as store:
        assert [(s.source, s.target) for s in store.stances()] == [("iran", "iraq")]


@pytest.mark.parametrize("content, problem", [
    ("stages: [actors, telepathy]\n", "unknown stage 'telepathy'"),
    ("batchsize: 4\n", "unknown setting(s) batchsize"),
    ("stages: [actors\n", "cannot read"),
    ("commit_every: lots\n", "commit_every must be a number, not 'lots'"),
])
def test_a_bad_config_is_one_clear_line(tmp_path, content, problem):
    config = tmp_path / "bad.yaml"
    config.write_text(content)
    code, output = run("analyze", str(tmp_path), "--db", str(tmp_path / "s.duckdb"),
                       "--config", str(config))
    assert code == 2
    assert problem in output and "bad.yaml" in output and "Traceback" not in output


@pytest.mark.parametrize("option, content", [
    ("--actors", "- id: x\n  name: [unclosed\n"),
    ("--actors", "- id: x\n  name: X\n  affiliations: [{relation: branch_of, actor: nowhere}]\n"),
    ("--boilerplate", "categories:\n  mine:\n    patterns: ['(unclosed']\n"),
    ("--gazetteer", "places: [{name: X\n"),
])
def test_a_broken_user_knowledge_file_is_named_and_nothing_is_lost(tmp_path, option, content):
    (tmp_path / "a.txt").write_text("Iran and Iraq signed a trade deal on Monday.\n")
    db = tmp_path / "s.duckdb"
    assert run("analyze", str(tmp_path / "a.txt"), "--db", str(db), "--quiet")[0] == 0
    bad = tmp_path / "mine.yaml"
    bad.write_text(content)
    (tmp_path / "b.txt").write_text("Turkey shelled positions near Sinjar on Tuesday.\n")
    code, output = run("analyze", str(tmp_path / "b.txt"), "--db", str(db), option, str(bad))
    assert code == 1
    assert "mine.yaml" in output and "Traceback" not in output
    with Store(db, read_only=True) as store:
        assert [d.id for d in store.documents()] == ["a"]


def test_two_articles_with_one_id_are_not_merged_silently(tmp_path):
    for folder, text in (("a", "Iran and Iraq signed a trade deal on Monday.\n"),
                         ("b", "Turkey shelled positions near Sinjar on Tuesday.\n")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(text)
    db = tmp_path / "s.duckdb"
    code, output = run("analyze", str(tmp_path / "a"), str(tmp_path / "b"), "--db", str(db))
    assert code == 0
    assert "id 'report' is already used by" in output and "b/report.txt" in output
    code, output = run("analyze", str(tmp_path / "b"), "--db", str(db))
    assert "already stored from" in output and "ingested 0" in output


def test_findings_in_reader_comments_are_marked_and_point_into_the_comment(analysed_examples):
    with Store(analysed_examples, read_only=True) as store:
        doc = store.document("liberty_ledger_soleimani_oped_2020")
        mentions = [m for m in store.mentions(doc.id) if m.in_comment]
        in_text = [m for m in store.mentions(doc.id) if not m.in_comment]
    assert mentions and in_text
    for m in mentions:
        assert doc.comments[m.comment].text[m.start:m.end] == m.text
    for m in in_text:
        assert doc.text[m.start:m.end] == m.text and m.comment is None


def test_a_user_lexicon_adds_a_trigger(tmp_path):
    (tmp_path / "a.txt").write_text("Iran throttled Iraqi gas exports on Monday.\n")
    lexicon = tmp_path / "mine.yaml"
    lexicon.write_text("event_triggers:\n  verbs:\n    throttle: {type: SANCTION}\n")
    plain, extended = tmp_path / "plain.duckdb", tmp_path / "ext.duckdb"
    assert run("analyze", str(tmp_path / "a.txt"), "--db", str(plain), "-q")[0] == 0
    assert run("analyze", str(tmp_path / "a.txt"), "--db", str(extended), "-q",
               "--lexicon", str(lexicon))[0] == 0
    with Store(plain, read_only=True) as store:
        assert not any(e.type == "SANCTION" for e in store.events())
    with Store(extended, read_only=True) as store:
        assert any(e.type == "SANCTION" and e.source == "iran" for e in store.events())
