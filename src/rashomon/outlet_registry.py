"""Which outlet published a document, and when: from metadata, the URL, or the text.

The registry (``rashomon/data/outlets.yaml``, extended by users' files of the same format)
maps web domains and names to an outlet with its country, owner type and bloc. A
document's outlet is looked up, in order, by the outlet name the crawler gave (its part
before a parenthesis: "Fox News (AP)" -> Fox News), by the URL's domain, and by a wire
credit near the top of the text ("(Reuters) -", "By ... , AP"); a name the registry does
not know is kept as given. A document without a published date takes the one in its URL
("/2008/03/31/", "2021-11-06", "29092018").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from .datafiles import DATA, DataFileError, load_yaml
from .types import Document

OWNER_TYPES = frozenset({"wire", "public_broadcaster", "state_media", "commercial", "party",
                         "think_tank", "blog", "ngo", "government"})

# "(Reuters) -" or "-- AP": a wire credit at the head of a story.
CREDIT = re.compile(r"\(([A-Z][\w./ -]{1,40})\)\s*[-–—]|[-–—]{1,2}\s*([A-Z][A-Za-z/]{1,20})\b")
# How far into the text a wire credit may stand to name the outlet.
CREDIT_WINDOW = 400


@dataclass(frozen=True)
class Outlet:
    name: str
    country: str | None = None
    owner: str | None = None
    bloc: str | None = None
    domains: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    @property
    def group(self) -> str:
        """The group blind spots compare across: the bloc, else the country."""
        return self.bloc or self.country or self.name


@dataclass
class Registry:
    outlets: dict[str, Outlet] = field(default_factory=dict)  # by canonical name
    by_domain: dict[str, str] = field(default_factory=dict)
    by_name: dict[str, str] = field(default_factory=dict)  # normalised name/alias -> name

    def add(self, outlet: Outlet) -> None:
        old = self.outlets.get(outlet.name)
        if old is not None:  # a user's entry replaces the packaged one of that name
            self.by_domain = {d: n for d, n in self.by_domain.items() if n != old.name}
            self.by_name = {k: n for k, n in self.by_name.items() if n != old.name}
        self.outlets[outlet.name] = outlet
        for domain in outlet.domains:
            self.by_domain[domain.lower().removeprefix("www.")] = outlet.name
        for alias in (outlet.name, *outlet.aliases):
            self.by_name[_name_key(alias)] = outlet.name

    def by_url(self, url: str | None) -> Outlet | None:
        host = (urlsplit(url).hostname or "").lower() if url else ""
        parts = host.split(".")
        for i in range(len(parts) - 1):  # edition.cnn.com -> cnn.com
            name = self.by_domain.get(".".join(parts[i:]))
            if name:
                return self.outlets[name]
        return None

    def by_label(self, label: str | None) -> Outlet | None:
        if not label:
            return None
        for candidate in (label, label.split("(")[0]):
            name = self.by_name.get(_name_key(candidate))
            if name:
                return self.outlets[name]
        return None

    def credit(self, text: str) -> Outlet | None:
        """An outlet credited near the top of the text: "(Reuters) -", "-- AP"."""
        head = text[:CREDIT_WINDOW]
        for match in CREDIT.finditer(head):
            found = self.by_label(match.group(1) or match.group(2))
            if found:
                return found
        return None


class OutletRegistryError(DataFileError):
    pass


def load_registry(extra_files: Sequence[str | Path] = ()) -> Registry:
    """The packaged registry, extended (and overridden by name) by users' files."""
    registry = Registry()
    for path in (DATA / "outlets.yaml", *extra_files):
        entries = load_yaml(path) or []
        if not isinstance(entries, list):
            raise OutletRegistryError(f"{path}: expected a list of outlets")
        for n, entry in enumerate(entries, start=1):
            registry.add(_outlet(entry, f"{path}: entry {n}"))
    return registry


_active: list[Registry] = []  # the registry a user chose for this process, if any


@cache
def _packaged() -> Registry:
    return load_registry()


def default_registry() -> Registry:
    """The registry in use: the one ``use_registry`` set, else the packaged one."""
    return _active[-1] if _active else _packaged()


def use_registry(extra_files: Sequence[str | Path]) -> Registry:
    """Extend the packaged registry with users' files for the rest of the process."""
    registry = load_registry(extra_files)
    _active[:] = [registry]
    return registry


def _outlet(entry: object, where: str) -> Outlet:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise OutletRegistryError(f"{where}: each outlet needs a name")
    owner = entry.get("owner")
    if owner is not None and owner not in OWNER_TYPES:
        raise OutletRegistryError(
            f"{where}: owner {owner!r} is not one of {', '.join(sorted(OWNER_TYPES))}")
    for key in ("domains", "aliases"):
        if not isinstance(entry.get(key) or [], list):
            raise OutletRegistryError(f"{where}: {key} must be a list")
    return Outlet(name=entry["name"], country=entry.get("country"), owner=owner,
                  bloc=entry.get("bloc"), domains=tuple(entry.get("domains") or ()),
                  aliases=tuple(entry.get("aliases") or ()))


def outlet_for(doc: Document, registry: Registry | None = None) -> tuple[Outlet | None, str]:
    """The registry outlet of a document and how it was found (metadata, url, text), or
    (None, "metadata") when only the crawler's own name is known, (None, "none") when nothing is."""
    registry = registry or default_registry()
    for how, found in (("metadata", lambda: registry.by_label(doc.outlet)),
                       ("url", lambda: registry.by_url(doc.url)),
                       ("text", lambda: registry.credit(doc.text or ""))):
        outlet = found()
        if outlet is not None:
            return outlet, how
    return None, "metadata" if doc.outlet else "none"


def outlet_name(doc: Document | None, registry: Registry | None = None) -> str | None:
    """The outlet to compare a document under: the registry's name, else the given one."""
    if doc is None:
        return None
    outlet, _ = outlet_for(doc, registry)
    return outlet.name if outlet else (doc.outlet or None)


def url_date(url: str | None) -> str | None:
    """A date written in a URL path: /2008/03/31/, /2008/03/, 2021-11-06, or 29092018."""
    if not url:
        return None
    path = urlsplit(url).path
    patterns = (
        (r"(?<!\d)((?:19|20)\d\d)[/-](\d\d)[/-](\d\d)(?!\d)", "ymd"),
        (r"(?<!\d)(\d\d)(\d\d)((?:19|20)\d\d)(?!\d)", "dmy"),
        (r"/((?:19|20)\d\d)/(\d\d)/", "ym"),
    )
    for pattern, order in patterns:
        match = re.search(pattern, path)
        if not match:
            continue
        if order == "dmy":
            d, m, y = match.groups()
        elif order == "ymd":
            y, m, d = match.groups()
        else:
            y, m = match.groups()
            d = None
        try:
            date(int(y), int(m), int(d or 1))
        except ValueError:
            continue
        return f"{y}-{m}-{d}" if d else f"{y}-{m}"
    return None


def document_date(doc: Document | None) -> str | None:
    """The document's published date, else the date its URL carries."""
    if doc is None:
        return None
    return doc.published or url_date(doc.url)


def _name_key(name: str) -> str:
    key = re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()
    return key.removeprefix("the ")
