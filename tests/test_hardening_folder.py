"""The issue's acceptance check: one folder of every hostile input beside good articles.

``rashomon analyze`` must exit 0, print one line per bad input (each naming it) and store
every good article. The network cases come from a loopback server listed in a ``.urls``
file (see ``hostile.py``, which builds everything here). The 1 MB article gets the time
budget of its 11 windows and is analysed whole (minutes on a busy 2-core machine).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hostile import BAD_PATHS, build_folder, hostile_server

from rashomon.store import Store

# Good inputs, by the id they are stored under.
GOOD_IDS = {"harbour_talks", "militia_statement", "sanctions", "crossing", "long_sentence",
            "n" * 246, "caf\\xe9_talks", "controls", "surrogate-text", "surrogate-title",
            "bad-url", "year-0001", "year-9999", "surrogate_title"}


@pytest.mark.network
@pytest.mark.slow
def test_hostile_folder_one_line_per_bad_input_every_good_article_stored(tmp_path):
    with hostile_server() as url:
        urls = [f"{url}{path}" for path in BAD_PATHS] + [f"{url}/good"]
        folder, bad = build_folder(tmp_path, urls)
        db = tmp_path / "h.duckdb"
        cmd = [sys.executable, "-c", "from rashomon.cli import main; main()", "analyze",
               str(folder), "--db", str(db), "--fetch-timeout", "5", "--doc-timeout", "20"]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900,
                              env={**os.environ, "COLUMNS": "250"})
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines()
             if line.startswith(("skipped:", "repaired:"))]
    assert "\x1b" not in proc.stderr  # the escape in a file name never reaches the terminal
    expected = {f"{folder}/{name}": why for name, why in bad.items()}
    expected |= {f"{url}{path}": why for path, why in BAD_PATHS.items()}
    for source, why in expected.items():
        hits = [line for line in lines if line.split(": ", 1)[1].startswith(f"{source}: ")]
        assert len(hits) == 1, f"{source} ({why}): {hits}"
    long_lines = [line for line in lines if "long_article.txt" in line]
    with Store(db, read_only=True) as store:
        ids = {d.id for d in store.documents()}
        assert GOOD_IDS <= ids, GOOD_IDS - ids
        assert any(i.startswith("good-") for i in ids)  # the page the loopback served
        # The long article is analysed whole, or skipped with one line saying why.
        if "long_article" in ids:
            assert len(store.document("long_article").text) > 1_000_000 and not long_lines
        else:
            assert len(long_lines) == 1 and "time budget" in long_lines[0]
    # Every line is one the expected inputs account for, the long article aside.
    assert len(lines) == len(expected) + len(long_lines), "\n".join(lines)
