"""The store's one writer: batched commits, resumable after a kill at any point, and the
corpus-level steps read from the store without holding the texts.

A run commits ``commit_every`` whole documents per transaction. A run killed inside a
transaction, just after a commit, or while relations are rebuilt must resume, on the
local runner and on a cluster, to exactly what a clean run stores: nothing lost, nothing
twice.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from rashomon.analyze import analyze_inputs
from rashomon.cli import app
from rashomon.pipeline import Config
from rashomon.relations import build_relations, relations_by_document
from rashomon.store import PendingDocument, Store
from rashomon.types import Actor, Document, DocumentAnalysis, Event, Mention

runner = CliRunner()
# The module, not the function ``rashomon.analyze`` that the package exports under its name.
analyze_module = importlib.import_module("rashomon.analyze")


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def snapshot(db: Path) -> dict:
    """Everything a store holds; documents in commit order, metadata left out."""
    with Store(db, read_only=True) as store:
        data = store.analysis().to_dict()
    for d in data["documents"]:
        d.pop("metadata", None)
    return data


def _pending(doc_id: str, actor: Actor, text: str = "Tehran denied it.") -> PendingDocument:
    doc = Document(id=doc_id, text=text, title=doc_id.upper(), published="2020-01-05")
    mention = Mention(document=doc_id, start=0, end=6, text="Tehran", actor=actor.id,
                      rule="metonym")
    event = Event(id=f"{doc_id}:e1", document=doc_id, start=0, end=len(text), sentence=text,
                  trigger="denied", type="REJECT", quad="verbal_conflict", source=actor.id,
                  target=None)
    return PendingDocument(DocumentAnalysis(document=doc, mentions=[mention], events=[event]),
                           [actor], signature=b"\x01\x02", lines=("lantern", {"a line"}))


def test_a_batch_is_written_whole_in_order_and_merges_aliases(tmp_path):
    first = Actor(id="iran", name="Iran", kind="state", aliases=["Iran"])
    second = Actor(id="iran", name="Iran", kind="state", aliases=["Tehran"])
    with Store(tmp_path / "s.duckdb") as store:
        store.add_analysis(_pending("d0", first).result, [first])
        store.add_analyses([_pending("d1", second), _pending("d2", first)])
        assert [d.id for d in store.documents()] == ["d0", "d1", "d2"]
        assert [e.id for e in store.events()] == ["d0:e1", "d1:e1", "d2:e1"]
        assert len(store.mentions()) == 3
        assert store.actors()[0].aliases == ["Iran", "Tehran"]
        docs, counts = store.outlet_line_counts(["lantern"])
        assert docs == {"lantern": 2} and counts["lantern"]["a line"] == 2


def test_a_failed_batch_leaves_none_of_its_documents(tmp_path):
    iran = Actor(id="iran", name="Iran", kind="state")
    with Store(tmp_path / "s.duckdb") as store:
        store.add_analyses([_pending("d1", iran)])
        broken = _pending("d3", iran)
        broken.result.events.append(broken.result.events[0])  # a duplicate primary key
        with pytest.raises(duckdb.Error):
            store.add_analyses([_pending("d2", iran), broken])
        assert [d.id for d in store.documents()] == ["d1"]
        assert len(store.mentions()) == 1 and len(store.events()) == 1


def test_a_replaced_document_keeps_its_place(tmp_path):
    iran = Actor(id="iran", name="Iran", kind="state")
    with Store(tmp_path / "s.duckdb") as store:
        store.add_analyses([_pending("d1", iran), _pending("d2", iran)])
        again = _pending("d1", iran, text="Tehran denied it again.")
        again.replace = True
        store.add_analyses([again, _pending("d3", iran)])
        assert [d.id for d in store.documents()] == ["d1", "d2", "d3"]
        assert store.document("d1").text == "Tehran denied it again."
        assert len(store.events("d1")) == 1
        docs, counts = store.outlet_line_counts(["lantern"])
        assert docs == {"lantern": 3} and counts["lantern"]["a line"] == 3


def test_window_line_counts_look_up_only_the_lines_asked_for(tmp_path):
    iran = Actor(id="iran", name="Iran", kind="state")
    with Store(tmp_path / "s.duckdb") as store:
        store.add_analyses([_pending("d1", iran), _pending("d2", iran)])
        docs, counts = store.outlet_line_counts(
            ["lantern", "other"], [("lantern", "a line"), ("lantern", "never seen")])
        assert docs == {"lantern": 2}
        assert counts == {"lantern": {"a line": 2}}


def test_document_heads_keep_the_metadata_and_the_start_of_the_text(tmp_path):
    iran = Actor(id="iran", name="Iran", kind="state")
    with Store(tmp_path / "s.duckdb") as store:
        store.add_analyses([_pending("d1", iran, text="Tehran denied it, officials said.")])
        head = store.document_heads(6)["d1"]
    assert (head.text, head.title, head.published) == ("Tehran", "D1", "2020-01-05")
    assert head.raw_text is None and head.comments == []


class RefusingStore(Store):
    """A store that refuses any transaction holding the document ``refused``."""

    refused = ""

    def add_analyses(self, pending):
        if any(p.result.document.id == self.refused for p in pending):
            raise duckdb.ConstraintException(f"refused {self.refused}")
        super().add_analyses(pending)


@pytest.mark.slow
def test_a_refused_document_is_left_out_alone_and_its_batch_is_kept(tmp_path):
    texts = {f"w{n}": f"Iraqi and Iranian officials met in Baghdad on day {n} of the talks."
             for n in range(5)}
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in texts.items()))
    with RefusingStore(tmp_path / "s.duckdb") as store:
        store.refused = "w2"
        problems = []
        summary = analyze_inputs([path], store, Config(n_process=1, commit_every=10),
                                 on_problem=problems.append)
        assert [d.id for d in store.documents()] == ["w0", "w1", "w3", "w4"]
    assert summary.ingested == 4
    assert [p.source for p in problems] == [f"{path}:3"]  # the line of w2
    assert "cannot store" in problems[0].problem and "refused w2" in problems[0].problem


@pytest.mark.slow
def test_lines_of_documents_not_yet_committed_count_in_the_next_window(tmp_path, monkeypatch):
    """A line seen in three of an outlet's articles is boilerplate in the third, even when
    the first two sit uncommitted in the writer as the third's window is cleaned."""
    monkeypatch.setattr(analyze_module, "WINDOW", 2)
    footer = "The Evening Lamp thanks its readers in Erbil for their letters."
    bodies = ["Turkish jets struck targets near the border on Monday, officials said.",
              "Iraq's parliament met to debate the budget after weeks of delay.",
              "Protesters gathered in the capital to demand better public services."]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps({"id": f"lamp-{n}", "outlet": "Evening Lamp",
                                        "text": f"{body}\n\n{footer}"}) + "\n"
                            for n, body in enumerate(bodies)))
    with Store(tmp_path / "s.duckdb") as store:
        analyze_inputs([path], store, Config(n_process=1, commit_every=100))
        texts = {d.id: d.text for d in store.documents()}
    assert footer in texts["lamp-0"]
    assert footer not in texts["lamp-2"] and bodies[2] in texts["lamp-2"]


@pytest.fixture(scope="module")
def analysed(tmp_path_factory, examples_dir) -> Path:
    db = tmp_path_factory.mktemp("writer") / "clean.duckdb"
    code, output = run("analyze", str(examples_dir), "--db", str(db), "--quiet")
    assert code == 0, output
    return db


@pytest.mark.slow
@pytest.mark.parametrize("rollup", [False, True])
def test_relations_streamed_from_the_store_equal_relations_from_memory(analysed, rollup):
    with Store(analysed, read_only=True) as store:
        actors = store.actors()
        whole = build_relations(store.events(), store.claims(), store.documents(), actors,
                                stances=store.stances(), rollup=rollup)
        # Two rows per fetch: groups cross fetch boundaries.
        streamed = relations_by_document(store.findings_by_document(batch=2),
                                         store.document_heads(), actors, rollup=rollup)
        if not rollup:
            assert [r.to_dict() for r in store.relations()] == [r.to_dict() for r in whole]
    assert whole and [r.to_dict() for r in streamed] == [r.to_dict() for r in whole]


KILLER = """
import importlib, os, signal, sys
from rashomon.cli import main
from rashomon.store import Store

# Batches of exactly commit_every documents, however slow the machine.
importlib.import_module("rashomon.analyze").COMMIT_SECONDS = 1e9

point, argv = sys.argv[1], sys.argv[2:]
batches = 0

def die():
    os.kill(os.getpid(), signal.SIGKILL)

real_insert, real_add, real_relations = Store._insert, Store.add_analyses, Store.replace_relations

def insert(self, table, rows, **options):
    real_insert(self, table, rows, **options)
    if point == "inside a transaction" and table == "documents" and batches == 1:
        die()  # the second batch's documents are written, its findings and commit are not

def add_analyses(self, pending):
    global batches
    real_add(self, pending)
    batches += 1
    if point == "just after a commit" and batches == 2:
        die()

def replace_relations(self, relations):
    if point == "while relations are rebuilt":
        die()
    real_relations(self, relations)

Store._insert, Store.add_analyses, Store.replace_relations = insert, add_analyses, replace_relations
sys.argv = ["rashomon", *argv]
main()
"""


# Documents a killed run leaves, commit_every being 3: whole batches only.
WHOLE_BATCHES = {"inside a transaction": 3, "just after a commit": 6}


def _killed_run(tmp_path: Path, examples_dir: Path, point: str, extra: list[str]) -> Path:
    """A run of the examples that kills itself at ``point``; the store it leaves."""
    corpus = tmp_path / "corpus"
    shutil.copytree(examples_dir, corpus)
    config = tmp_path / "config.yaml"
    config.write_text("commit_every: 3\n")
    db = tmp_path / "killed.duckdb"
    args = ["analyze", str(corpus), "--db", str(db), "--quiet", "--config", str(config), *extra]
    # Its own session, so that a cluster's scheduler and workers go with it.
    proc = subprocess.Popen([sys.executable, "-c", KILLER, point, *args],
                            start_new_session=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    _, stderr = proc.communicate(timeout=600)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    assert proc.returncode == -signal.SIGKILL, stderr[-2000:]
    with Store(db, read_only=True) as store:
        stored = [d.id for d in store.documents()]
        assert len(stored) == WHOLE_BATCHES.get(point, len(stored))
        assert {e.document for e in store.events()} <= set(stored)
    code, output = run("analyze", str(corpus), "--db", str(db), "--quiet", *extra)
    assert code == 0, output
    return db


@pytest.mark.slow
@pytest.mark.parametrize("point", ["inside a transaction", "just after a commit",
                                   "while relations are rebuilt"])
def test_a_run_killed_at_any_point_resumes_to_the_same_store(tmp_path, examples_dir, analysed,
                                                             point):
    db = _killed_run(tmp_path, examples_dir, point, ["-j", "1"])
    assert snapshot(db) == snapshot(analysed)


@pytest.mark.slow
def test_a_cluster_run_killed_inside_a_transaction_resumes_to_the_same_store(
        tmp_path, examples_dir, analysed):
    pytest.importorskip("distributed")
    db = _killed_run(tmp_path, examples_dir, "inside a transaction",
                     ["--cluster", "local:1"])
    ours, theirs = snapshot(db), snapshot(analysed)
    for table, rows in theirs.items():  # a cluster commits in order of completion
        if isinstance(rows, list):
            key = lambda row: json.dumps(row, sort_keys=True)  # noqa: E731
            assert sorted(map(key, ours[table])) == sorted(map(key, rows)), table
