"""Incidents: the events of many documents that tell one real-world incident, side by side.

``build_incidents`` clusters events across documents (``cluster``: the pair scorer, over
the pairs ``candidates`` proposes, grouped by ``linkage``); ``tellings`` lays out
what each outlet says about one incident and where the tellings contradict each other.
"""

from .cluster import build_incidents

__all__ = ["build_incidents"]
