"""The knowledge base's name keys, kept per name: the same as computed afresh."""

from __future__ import annotations

import pytest

import rashomon.actors.kb as kb_module
from rashomon.actors import load_kb
from rashomon.actors.kb import KnowledgeBase
from rashomon.actors.normalize import SKIP_TOKENS, token_key


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


def fresh_key(kb: KnowledgeBase, name: str) -> tuple[str, ...]:
    return tuple(k for k in (token_key(t) for t in kb.tokenize(name)) if k not in SKIP_TOKENS)


def test_a_kept_key_is_the_key_computed_afresh(kb: KnowledgeBase, monkeypatch):
    monkeypatch.setattr(kb_module, "MAX_CACHED_KEYS", 3)
    names = ["Muqtada al-Sadr", "the U.S. Army's", "Hayder Al-Abadi", "Café Tehran", "",
             "Muqtada al-Sadr"]
    for _ in range(2):
        for name in names:
            assert kb.key(name) == fresh_key(kb, name)
    assert kb.key("Muqtada al-Sadr") == ("muqtada", "sadr")
    assert len(kb._keys) <= 3
