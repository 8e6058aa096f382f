"""Reading the YAML knowledge files (packaged in ``rashomon/data/`` or given by users)."""

from __future__ import annotations

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
