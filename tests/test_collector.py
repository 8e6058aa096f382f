"""The loaded model and knowledge leave the garbage collector's full passes, once."""

from __future__ import annotations

import gc
import weakref

from rashomon.pipeline import YOUNG_COLLECTION_EVERY, Config, Resources, freeze_loaded


class _Node:
    """A thing that can point at another, for a reference cycle."""

    def __init__(self) -> None:
        self.other: _Node | None = None


def test_warming_freezes_what_is_loaded_once_and_later_cycles_are_still_collected():
    Resources(Config()).warm()
    frozen = gc.get_freeze_count()
    assert frozen > 0  # the model, knowledge base and lexicons
    assert gc.get_threshold()[0] >= YOUNG_COLLECTION_EVERY

    freeze_loaded()  # a later call (another chunk, another run) freezes nothing new
    assert gc.get_freeze_count() == frozen

    a, b = _Node(), _Node()
    a.other, b.other = b, a
    gone = weakref.ref(a)
    del a, b
    gc.collect()
    assert gone() is None  # what documents leave behind is collected as before
