"""Places: the gazetteer and the extraction of place mentions from parsed documents."""

from rashomon.places.extract import extract_places
from rashomon.places.gazetteer import Gazetteer, PlaceCandidate
from rashomon.places.normalize import normalize_name

__all__ = ["Gazetteer", "PlaceCandidate", "extract_places", "normalize_name"]
