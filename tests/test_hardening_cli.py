"""Exports that are safe to open, and the small things a user of the command trips on.

Articles here are written for these tests.
"""

from __future__ import annotations

import csv
import json
import math
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from rashomon.cells import safe_cell
from rashomon.cli import app
from rashomon.export import export
from rashomon.store import Store
from rashomon.types import Actor, Analysis, Document, Relation

runner = CliRunner()

BRACKETS = ("Officials [of Iraq] said on Monday that the border crossing at Safwan would "
            "reopen, the interior ministry announced.")
FORMULA_TITLE = "=HYPERLINK(\"http://example.invalid\",\"click\")"


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("small")
    (folder / "crossing.txt").write_text(f"{FORMULA_TITLE}\n\n{BRACKETS}\n", "utf-8")
    (folder / "crossing_copy.txt").write_text(f"Crossing reopens\n\n{BRACKETS}\n", "utf-8")
    (folder / "talks.txt").write_text(
        "Talks resume\n\nIranian and Iraqi officials met in Baghdad on Tuesday. The US "
        "embassy said Washington welcomed the talks. Turkey and Kuwait sent envoys.\n",
        "utf-8")
    db = folder / "s.duckdb"
    code, output = run("analyze", str(folder), "--db", str(db))
    assert code == 0, output
    assert "duplicates 1" in output
    return db


# --------------------------------------------------------------------------- CLI


def test_analyze_on_a_missing_path_is_a_usage_error_and_creates_no_store(tmp_path):
    db = tmp_path / "x.duckdb"
    code, output = run("analyze", str(tmp_path / "nope"), "--db", str(db))
    assert code == 2 and "no such file or folder" in output
    assert not db.exists()


def test_nothing_readable_leaves_no_empty_store(tmp_path):
    (tmp_path / "empty.txt").write_text("", "utf-8")
    db = tmp_path / "x.duckdb"
    code, _ = run("analyze", str(tmp_path / "empty.txt"), "--db", str(db))
    assert code == 1 and not db.exists()


@pytest.mark.parametrize("command,period", [("events", "2020-1"), ("claims", "twenty"),
                                            ("relations", "2020-01")])
def test_a_malformed_period_is_a_usage_error(small_store, command, period):
    code, output = run(command, "--db", str(small_store), "--period", period)
    assert code == 2 and "--period" in output


def test_tables_print_article_text_literally(small_store):
    code, output = run("claims", "--db", str(small_store), "--limit", "50")
    assert code == 0
    code, shown = run("show", "crossing", "--db", str(small_store))
    assert code == 0 and "[of Iraq]" in shown
    code, listing = run("docs", "--db", str(small_store))
    assert code == 0 and "=HYPERLINK" in listing


def test_listings_say_when_they_are_truncated(small_store):
    code, output = run("actors", "--db", str(small_store), "--limit", "1")
    assert code == 0 and "showing the first 1 of" in output
    code, output = run("actors", "--db", str(small_store))
    assert code == 0 and "showing the first" not in output


def test_csv_export_neutralises_formulas_unless_raw_and_has_every_header(small_store,
                                                                          tmp_path):
    code, _ = run("export", "--db", str(small_store), "-f", "csv", "-o", str(tmp_path / "c"))
    assert code == 0
    with open(tmp_path / "c" / "documents.csv", encoding="utf-8") as f:
        titles = [row["title"] for row in csv.DictReader(f)]
    assert "'" + FORMULA_TITLE in titles
    with open(tmp_path / "c" / "duplicates.csv", encoding="utf-8") as f:
        assert next(csv.reader(f)) == ["id", "duplicate_of", "kind", "source"]
    code, _ = run("export", "--db", str(small_store), "-f", "csv", "-o", str(tmp_path / "r"),
                  "--raw-cells")
    with open(tmp_path / "r" / "documents.csv", encoding="utf-8") as f:
        assert FORMULA_TITLE in [row["title"] for row in csv.DictReader(f)]


def test_every_empty_table_still_gets_its_header(tmp_path):
    export(Analysis(), "csv", tmp_path / "e")
    for table in ("documents", "mentions", "events", "claims", "relations", "duplicates"):
        header = (tmp_path / "e" / f"{table}.csv").read_text("utf-8").splitlines()[0]
        assert header and "," in header


def test_safe_cell_follows_the_owasp_rule():
    assert [safe_cell(v) for v in ["=1+1", "+A1", "-cmd", "@SUM(A1)", "\tx", "\rx"]] == [
        "'=1+1", "'+A1", "'-cmd", "'@SUM(A1)", "'\tx", "'\rx"]
    assert [safe_cell(v) for v in ["-10.0", "+3", "plain", 5, None]] == [
        "-10.0", "+3", "plain", 5, None]


def test_parquet_keeps_nested_fields_nested(small_store, tmp_path):
    code, _ = run("export", "--db", str(small_store), "-f", "parquet", "-o", str(tmp_path / "p"))
    assert code == 0
    con = duckdb.connect()
    described = con.execute(f"DESCRIBE SELECT * FROM '{tmp_path / 'p' / 'actors.parquet'}'")
    types = {row[0]: row[1] for row in described.fetchall()}
    assert types["aliases"].endswith("[]")  # a list, not JSON text
    rows = con.execute(f"SELECT aliases FROM '{tmp_path / 'p' / 'actors.parquet'}'").fetchall()
    assert all(isinstance(r[0], list) for r in rows)


def _hostile_analysis() -> Analysis:
    actors = [Actor(id="a\x01b", name="Name \x02 with controls", kind="state"),
              Actor(id="iraq", name="Iraq", kind="state")]
    relation = Relation(a="a\x01b", b="iraq", period="2020", score=-0.5, sign=-1,
                        outlets=["Outlet \uffff", "=cmd|' /C calc'!A0"])
    doc = Document(id="d1", text="x", metadata={"views": math.nan, "ratio": math.inf})
    return Analysis(documents=[doc], actors=actors, relations=[relation])


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_exports_parse_back_whatever_the_ids_and_outlets_hold(tmp_path, fmt):
    path = export(_hostile_analysis(), fmt, tmp_path / f"g.{fmt}")
    root = ET.parse(path).getroot()  # raises on characters XML 1.0 forbids
    text = ET.tostring(root, encoding="unicode")
    assert "Outlet " in text and "\uffff" not in text and "\x01" not in text


def test_json_export_never_writes_nan_or_infinity(tmp_path):
    def refuse(constant: str) -> None:
        raise ValueError(f"non-standard JSON constant {constant}")

    for fmt in ("json", "jsonl"):
        path = export(_hostile_analysis(), fmt, tmp_path / f"a.{fmt}")
        text = path.read_text("utf-8")
        values = [json.loads(line, parse_constant=refuse) for line in
                  (text.splitlines() if fmt == "jsonl" else [text])]
        assert values


def test_relations_csv_neutralises_formulas(tmp_path):
    path = export(_hostile_analysis(), "relations-csv", tmp_path / "r.csv")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert rows[0]["outlets"].startswith("Outlet")
    path = export(Analysis(relations=[Relation(a="x", b="y", period="2020", score=1.0, sign=1,
                                               outlets=["@evil"])]), "relations-csv",
                  tmp_path / "r2.csv")
    assert next(csv.DictReader(path.open(encoding="utf-8")))["outlets"] == "'@evil"


# --------------------------------------------------------------------------- --update


def test_update_applies_metadata_supplied_later(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.txt").write_text(
        "Envoys meet in Baghdad\n\nEnvoys from Iran and Saudi Arabia met in Baghdad on "
        "Wednesday, the Iraqi government said.\n", "utf-8")
    (folder / "wire.jsonl").write_text(json.dumps(
        {"id": "w1", "text": "Kuwait reopened its embassy in Baghdad on Sunday."}) + "\n",
        "utf-8")
    db = tmp_path / "u.duckdb"
    assert run("analyze", str(folder), "--db", str(db), "--quiet")[0] == 0
    (folder / "story.meta.json").write_text(json.dumps(
        {"outlet": "Harbour Daily", "published": "2021-03-10"}), "utf-8")
    (folder / "wire.jsonl").write_text(json.dumps(
        {"id": "w1", "text": "Kuwait reopened its embassy in Baghdad on Sunday.",
         "outlet": "Tigris Wire", "published": "2019-07-07"}) + "\n", "utf-8")
    code, output = run("analyze", str(folder), "--db", str(db))
    assert code == 0 and "already stored 2" in output
    code, output = run("analyze", str(folder), "--db", str(db), "--update")
    assert code == 0 and "updated 2" in output, output
    with Store(db, read_only=True) as store:
        story, wire = store.document("story"), store.document("w1")
        assert (story.outlet, story.published) == ("Harbour Daily", "2021-03-10")
        assert (wire.outlet, wire.published) == ("Tigris Wire", "2019-07-07")
        assert len(store.documents()) == 2
    code, output = run("analyze", str(folder), "--db", str(db), "--update")
    assert code == 0 and "updated 0" in output and "already stored 2" in output


# --------------------------------------------------------------------------- Ctrl-C


def test_ctrl_c_exits_130_with_one_line_and_the_store_intact(tmp_path, examples_dir):
    db = tmp_path / "i.duckdb"
    cmd = [sys.executable, "-c", "from rashomon.cli import main; main()", "analyze",
           str(examples_dir), "--db", str(db), "--quiet"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.time() + 180
    wal = Path(f"{db}.wal")
    while time.time() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > 20_000:  # a document has been committed
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    if proc.returncode == 0:
        pytest.skip("the run finished before Ctrl-C could be sent")
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    with Store(db, read_only=True) as store:
        assert all(d.text for d in store.documents())
    code, output = run("analyze", str(examples_dir), "--db", str(db), "--quiet")
    assert code == 0, output


@pytest.mark.parametrize("error", [RuntimeError("Query interrupted"),
                                   duckdb.InterruptException("INTERRUPT Error: interrupted")])
def test_ctrl_c_inside_a_duckdb_query_is_a_ctrl_c(tmp_path, monkeypatch, error):
    """DuckDB hands a Ctrl-C that lands inside one of its queries back as its own error:
    still one line and exit 130, the analysed documents kept."""
    def interrupted(store):
        raise error

    monkeypatch.setattr(sys.modules["rashomon.analyze"], "rebuild_relations", interrupted)
    (tmp_path / "a.txt").write_text("Iran accused Iraq of shelling Basra on Monday.\n")
    db = tmp_path / "q.duckdb"
    code, output = run("analyze", str(tmp_path / "a.txt"), "--db", str(db), "--quiet")
    assert code == 130, output
    assert "interrupted" in output
    with Store(db, read_only=True) as store:
        assert [d.id for d in store.documents()]


def test_a_runtime_error_that_is_no_interrupt_is_not_hidden(tmp_path, monkeypatch):
    def broken(store):
        raise RuntimeError("something else")

    monkeypatch.setattr(sys.modules["rashomon.analyze"], "rebuild_relations", broken)
    (tmp_path / "a.txt").write_text("Iran accused Iraq of shelling Basra on Monday.\n")
    result = runner.invoke(app, ["analyze", str(tmp_path / "a.txt"), "--db",
                                 str(tmp_path / "r.duckdb"), "--quiet"])
    assert result.exit_code != 130
    assert isinstance(result.exception, RuntimeError)


def test_ctrl_c_just_after_commit_is_not_lost_and_the_document_is_kept(tmp_path):
    from rashomon.types import DocumentAnalysis

    class InterruptAfterCommit:
        def __init__(self, con):
            self.con = con

        def execute(self, sql, *args):
            result = self.con.execute(sql, *args)
            if sql == "COMMIT":
                raise KeyboardInterrupt
            return result

        def __getattr__(self, name):
            return getattr(self.con, name)

    with Store(tmp_path / "c.duckdb") as store:
        real = store.con
        store.con = InterruptAfterCommit(real)
        with pytest.raises(KeyboardInterrupt):
            store.add_analysis(DocumentAnalysis(document=Document(id="d1", text="Talks.")), [])
        store.con = real
        assert store.document("d1").text == "Talks."
