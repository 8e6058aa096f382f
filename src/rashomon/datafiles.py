"""Reading the YAML knowledge files (packaged in ``rashomon/data/`` or given by users)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data"

# libyaml's C loader reads the ~1,200-entry actor KB in a fraction of a second; the pure
# Python loader took 8 s on the 2-core dev machine.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DataFileError(Exception):
    """A knowledge file that cannot be read, named with the problem."""


def load_yaml(path: str | Path) -> Any:
    """Parse one YAML file; a missing or malformed file raises DataFileError naming it."""
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_Loader)  # noqa: S506 (a safe loader)
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"{path}: cannot read ({exc})") from exc


def load_lexicon(name: str, extra_files: Sequence[str | Path] = ()) -> dict[str, Any]:
    """A packaged lexicon (``data/lexicon/NAME.yaml``) extended by users' files.

    A user file holds one section per lexicon it extends, in that lexicon's layout::

        event_triggers:
          verbs: {blockade: {type: COERCE, mode: blockade}}
        attribution_cues:
          verbs: {tweet: {cue_type: assert, takes: [ccomp]}}

    Each of the lexicon's tables (``verbs``, ``phrases``, ...) is updated entry by entry,
    so a user's entry replaces a packaged one of the same key.
    """
    merged = load_yaml(DATA / "lexicon" / f"{name}.yaml") or {}
    for path in extra_files:
        data = load_yaml(path) or {}
        if not isinstance(data, dict):
            raise DataFileError(f"{path}: expected a mapping of lexicon sections")
        section = data.get(name) or {}
        if not isinstance(section, dict):
            raise DataFileError(f"{path}: section {name!r} must be a mapping")
        for table, entries in section.items():
            if isinstance(entries, dict) and isinstance(merged.get(table), dict):
                merged[table] = {**merged[table], **entries}
            else:
                merged[table] = entries
    return merged
