"""Shared helpers for the Rashomon benchmarks: paths, provenance, results files, text matching.

Every benchmark module in ``bench/`` exposes ``NAME``, ``DESCRIPTION``, ``run(options)``
(returns a result dict, or ``None`` after printing why it skipped) and ``render(result)``
(a Markdown table for BENCHMARKS.md). This module holds what they share. It is imported
with ``bench/`` on ``sys.path``; ``bench/`` is a folder of scripts, not a package.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import resource
import shlex
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
SHARED = Path(os.environ.get("RASHOMON_SHARED", REPO_ROOT.parent / "shared")).resolve()
DATA = SHARED / "data"
RESULTS_DIR = BENCH_DIR / "results"
BENCHMARKS_MD = REPO_ROOT / "BENCHMARKS.md"


@dataclass
class Options:
    """Command-line options shared by every benchmark."""

    quick: bool = False
    full: bool = False
    processes: int = 2
    limit: int | None = None  # cap on items (sentences, articles) for a smoke run
    argv: list[str] = field(default_factory=list)  # the command line, for provenance


class Skip(Exception):  # noqa: N818 - a signal, not an error
    """Raised by a benchmark that cannot run here (data or pipeline absent)."""


# --------------------------------------------------------------------------- provenance


def git_commit() -> str:
    """Short hash of HEAD, or "uncommitted" where there is no commit (or no git)."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO_ROOT, capture_output=True, text=True, timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return "uncommitted"
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else "uncommitted"


def _meminfo_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def machine() -> dict[str, Any]:
    """Cores, RAM, CPU model, Python and platform of the machine running the benchmark."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {
        "cores": usable,
        "ram_gib": _meminfo_gib(),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def machine_line(m: dict[str, Any]) -> str:
    """One-line description of a ``machine()`` dict for tables."""
    return f"{m.get('cores')} cores, {m.get('ram_gib')} GiB RAM, Python {m.get('python')}"


def peak_rss_mib() -> dict[str, float]:
    """Peak resident set size of this process and of its waited-for children (MiB)."""
    scale = 1024 if sys.platform != "darwin" else 1024 * 1024  # ru_maxrss: KiB on Linux
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / scale
    return {"self_mib": round(own, 1), "children_mib": round(kids, 1)}


def command_line(name: str, opts: Options) -> str:
    """The command that reproduces a run of one benchmark."""
    parts = ["python", "bench/run.py", "--only", name]
    if opts.quick:
        parts.append("--quick")
    if opts.full:
        parts.append("--full")
    if opts.processes != 2:
        parts += ["--processes", str(opts.processes)]
    if opts.limit:
        parts += ["--limit", str(opts.limit)]
    return shlex.join(parts)


def write_result(name: str, figures: dict[str, Any], opts: Options, started: float,
                 details: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write ``bench/results/<name>.json`` with figures and provenance; print the figures."""
    result = {
        "name": name,
        "figures": figures,
        "details": details or {},
        "command": command_line(name, opts),
        "options": {"quick": opts.quick, "full": opts.full, "processes": opts.processes,
                    "limit": opts.limit},
        "commit": git_commit(),
        "machine": machine(),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "duration_s": round(time.time() - started, 1),
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print(f"[{name}] figures:")
    print(json.dumps(figures, indent=1, ensure_ascii=False))
    shown = path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path
    print(f"[{name}] wrote {shown} ({result['duration_s']} s)")
    return result


def require(path: Path, what: str) -> Path:
    """Return ``path`` if it exists, else raise :class:`Skip` naming the missing data."""
    if not path.exists():
        raise Skip(f"{what} not found at {path} (external data is read from ../shared/data)")
    return path


# --------------------------------------------------------------------------- the pipeline


def analyze_dicts(records: Sequence[dict[str, Any]], processes: int = 1,
                  config: Any = None) -> dict[str, Any]:
    """Run ``rashomon.analyze`` on id/text records and return the JSON-export dict
    (``config``: a ``rashomon.pipeline.Config`` instead of the default one).

    Raises :class:`Skip` when the pipeline does not expose ``analyze`` yet.
    """
    try:
        import rashomon
    except ImportError as exc:  # pragma: no cover - the package is installed editable
        raise Skip(f"rashomon is not importable: {exc}") from exc
    analyze = getattr(rashomon, "analyze", None)
    if analyze is None:
        raise Skip("rashomon.analyze does not exist yet (pipeline not merged)")
    records = list(records)
    try:
        if config is not None:
            analysis = analyze(records, config=config)
        elif processes > 1:
            analysis = analyze(records, n_process=processes)
        else:
            analysis = analyze(records)
    except ImportError as exc:  # a stage module not merged yet
        raise Skip(f"the pipeline is incomplete: {exc}") from exc
    return analysis.to_dict() if hasattr(analysis, "to_dict") else analysis


# --------------------------------------------------------------------------- text helpers

_QUOTES = {"’": "'", "‘": "'", "“": '"', "”": '"', "ʼ": "'"}


def norm(s: str | None) -> str:
    """Normalise a name for comparison: accents, case, quotes, possessive, "the", punctuation."""
    if not s:
        return ""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    for a, b in _QUOTES.items():
        s = s.replace(a, b)
    s = s.lower()
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[.\"'`]", "", s)
    s = re.sub(r"[-‐–—_/]", " ", s)
    s = re.sub(r"[^\w\s%]", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    return re.sub(r"^the ", "", s)


def contains_words(haystack: str, needle: str) -> bool:
    """True when normalised ``needle`` occurs in normalised ``haystack`` on word boundaries."""
    h, n = norm(haystack), norm(needle)
    if not h or not n:
        return False
    return f" {n} " in f" {h} "


def overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    """Half-open interval overlap."""
    return a0 < b1 and b0 < a1


def by_document(items: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Group export items (events, claims, mentions...) by their ``document`` id."""
    out: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        out.setdefault(item.get("document"), []).append(item)
    return out


def top_event(events: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The event a sentence-level benchmark treats as "ours": the sentence's main event as the
    pipeline orders them (highest salience, where events carry one), then the highest
    confidence, then the earliest.

    Events denied or negated are skipped when others exist, since gold codes what happened.
    """
    if not events:
        return None
    pool = [e for e in events if not e.get("negated") and e.get("modality") != "denied"] or list(
        events)
    return min(pool, key=lambda e: (-(e.get("salience") or 0.0), -(e.get("confidence") or 0.0),
                                    e.get("start") or 0, e.get("trigger_start") or 0))


def pct(x: float | None, digits: int = 1) -> str:
    """Format a share as a percentage for tables ("n/a" for None)."""
    return "n/a" if x is None else f"{100 * x:.{digits}f}%"


def ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def prf(tp_gold: int, n_gold: int, tp_sys: int, n_sys: int) -> dict[str, Any]:
    """Precision/recall/F1 from matched counts on each side (as in shared/eval/score.py)."""
    r = ratio(tp_gold, n_gold)
    p = ratio(tp_sys, n_sys)
    f = 2 * p * r / (p + r) if p and r else 0.0
    return {"precision": p, "recall": r, "f1": f, "gold": n_gold, "system": n_sys,
            "gold_matched": tp_gold, "system_matched": tp_sys}


def provenance_rows(result: dict[str, Any]) -> str:
    """Markdown lines with the command, commit, machine and date of a result."""
    return (
        f"\nCommand: `{result['command']}` · commit `{result['commit']}` · "
        f"{machine_line(result['machine'])} · {result['date']} · {result['duration_s']} s\n"
    )
