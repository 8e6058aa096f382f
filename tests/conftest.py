"""Shared fixtures: where the repository, the bundled examples and ../shared are."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "corpus" / "corpus.jsonl").exists():
        pytest.skip(f"{SHARED} is absent: shared-corpus checks skipped")
    return SHARED


@pytest.fixture(scope="session")
def chromium() -> str:
    from browser import find_or_install_chromium

    path = find_or_install_chromium()
    if path is None:
        pytest.skip("chromium is not installed and cannot be installed without root: "
                    "run `apt-get install -y chromium` to enable the browser tests")
    return path
