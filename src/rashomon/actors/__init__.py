"""Actors: the knowledge base and the resolution of mentions to canonical actors."""

from .kb import KnowledgeBase, KnowledgeBaseError, load_kb
from .resolve import Resolution, resolve_actors

__all__ = ["KnowledgeBase", "KnowledgeBaseError", "Resolution", "load_kb", "resolve_actors"]
