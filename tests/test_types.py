"""The records' plain dicts (what the store writes as JSON) are ``dataclasses.asdict``'s."""

from __future__ import annotations

import dataclasses
from collections import namedtuple
from dataclasses import dataclass, field

from rashomon.types import Comment, Event, plain_dict

Span = namedtuple("Span", "start end")


@dataclass
class Inner:
    name: str
    weight: float = 0.5


@dataclass
class Outer:
    id: str
    inner: Inner
    roles: list[dict[str, object]] = field(default_factory=list)
    span: Span = Span(0, 4)
    pair: tuple[int, ...] = (1, 2)
    nothing: None = None


def test_plain_dict_is_asdict_for_nested_records_lists_tuples_and_dicts():
    item = Outer("e1", Inner("army"), roles=[{"actor": "a", "spans": [(1, 2)]}])
    plain = plain_dict(item)
    assert plain == dataclasses.asdict(item)
    assert type(plain["span"]) is Span and type(plain["pair"]) is tuple


def test_plain_dict_is_a_copy_that_leaves_the_record_alone():
    item = Outer("e1", Inner("army"), roles=[{"actor": "a"}])
    plain = plain_dict(item)
    plain["roles"][0]["actor"] = "b"
    plain["inner"]["name"] = "police"
    assert item.roles == [{"actor": "a"}] and item.inner.name == "army"


def test_an_event_and_a_comment_read_as_asdict_gives_them():
    event = Event(id="d:e1", document="d", start=0, end=10, sentence="Troops left.",
                  trigger="left", type="RETREAT", quad="material conflict", source=None,
                  target=None, place={"name": "Mosul", "lat": 36.3}, reported_by=["s1"])
    assert event.to_dict() == dataclasses.asdict(event)
    comment = Comment(author=None, text="I disagree.")
    assert plain_dict(comment) == dataclasses.asdict(comment)
