"""Headless Chromium for the report tests: found, or installed from Debian when root."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path


def find_or_install_chromium() -> str | None:
    """Debian's chromium, installed by the test setup itself when running as root."""
    path = shutil.which("chromium")
    if path is None and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for step in (["apt-get", "install", "-y", "chromium"], ["apt-get", "update"],
                     ["apt-get", "install", "-y", "chromium"]):
            subprocess.run(step, check=False, capture_output=True, env=env)
            path = shutil.which("chromium")
            if path:
                break
    return path


def run_chromium(chromium: str, url: str, tmp_path: Path, *args: str
                 ) -> subprocess.CompletedProcess:
    """One headless run, with the network-quiet flags a closed sandbox needs."""
    return subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr",
         "--v=0", "--window-size=1400,1000", *args, url],
        capture_output=True, text=True, timeout=120, check=False,
    )


def console_lines(stderr: str) -> list[str]:
    """Console messages (errors, uncaught exceptions) Chromium logs to stderr."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


def assert_view_renders(chromium: str, report: Path, view: str, shot: Path,
                        tmp_path: Path) -> None:
    """Open one view of a report headless: it loads, logs no console error, and its
    screenshot (kept at ``shot`` for a person to look at) is not blank."""
    shot.unlink(missing_ok=True)
    result = run_chromium(chromium, f"{report.as_uri()}#{view}", tmp_path,
                          f"--screenshot={shot}")
    assert result.returncode == 0, result.stderr[-2000:]
    assert console_lines(result.stderr) == []
    assert shot.exists() and shot.stat().st_size > 10_000
