"""The report's figures as SVG strings, laid out in Python so the page needs no library.

* Network: actors on a circle, each camp on its own arc, ties coloured by sign
  (green allied, red hostile, grey neutral), width by strength, frustrated
  ties dashed. Every tie links to its relation row, every actor to its row.
* Timeline: one lane per quad class, one dot per event, linking to its row.
* Map: an equirectangular projection of the box around the event places, with
  country outlines (``rashomon.outlines``, when the serve extra is installed), a
  lat/lon graticule and a label for each country at the mean of its places: no
  tiles, nothing fetched.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from ..alignments import Alignment
from ..outlines import outlines_in
from ..types import Event, Relation
from .markup import anchor, esc

QUADS = ["material_conflict", "verbal_conflict", "verbal_cooperation", "material_cooperation"]
QUAD_LABELS = {
    "material_conflict": "material conflict",
    "verbal_conflict": "verbal conflict",
    "verbal_cooperation": "verbal cooperation",
    "material_cooperation": "material cooperation",
}

# Longest actor label drawn in the network; longer names are cut, full name on hover.
# Chosen to fit the label room of a 760-pixel-wide figure at 12px.
LABEL_CHARS = 26


def relation_key(rel: Relation) -> str:
    """The identifier of a relation's row: view, period and both actors."""
    return f"{rel.view}|{rel.period}|{rel.a}|{rel.b}"


def network_svg(
    alignment: Alignment, ties: list[Relation], names: dict[str, str], width: int = 760
) -> str:
    """An SVG of one period's graph: camps on arcs, sign-coloured ties."""
    height = width * 3 // 4
    cx, cy = width / 2, height / 2
    radius = min(height / 2 - 40, width / 2 - 190)  # room outside for labels (LABEL_CHARS)
    placed = [a for camp in alignment.camps for a in camp]
    placed += sorted({x for r in ties for x in (r.a, r.b)} - set(placed))  # sign-0 ties only
    gap = 1.0  # empty slots between camps, so camps read as groups
    slots = len(placed) + gap * max(len(alignment.camps), 1)
    pos: dict[str, tuple[float, float]] = {}
    slot = 0.0
    camp_of = {a: i for i, camp in enumerate(alignment.camps) for a in camp}
    for i, actor in enumerate(placed):
        if i and camp_of.get(actor) != camp_of.get(placed[i - 1]):
            slot += gap
        angle = 2 * math.pi * slot / slots - math.pi / 2
        pos[actor] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
        slot += 1
    frustrated = {(t.a, t.b) for t in alignment.frustrated}
    parts = [f'<svg class="network" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="actor network {esc(alignment.period)}">']
    for r in ties:
        (x1, y1), (x2, y2) = pos[r.a], pos[r.b]
        cls = {1: "pos", -1: "neg", 0: "zero"}[r.sign]
        if (r.a, r.b) in frustrated:
            cls += " frustrated"
        label = f"{names.get(r.a, r.a)} – {names.get(r.b, r.b)}: {r.score:+.2f}"
        parts.append(
            f'<a href="#{anchor("rel", relation_key(r))}"><line class="tie {cls}" '
            f'x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke-width="{1 + 5 * abs(r.score):.1f}"><title>{esc(label)}</title></line></a>'
        )
    for actor, (x, y) in pos.items():
        camp = camp_of.get(actor, -1)
        anchor_side = "start" if x >= cx else "end"
        # Labels radiate outward along the spoke, so neighbours on the circle do not collide.
        angle = math.atan2(y - cy, x - cx)
        dx, dy = 14 * math.cos(angle), 14 * math.sin(angle)
        parts.append(
            f'<g class="node camp{camp % 6 if camp >= 0 else "x"}" data-actor="{esc(actor)}" '
            f'tabindex="0"><circle cx="{x:.1f}" cy="{y:.1f}" r="9"/>'
            f'<text x="{x + dx:.1f}" y="{y + dy + 4:.1f}" text-anchor="{anchor_side}">'
            f"{esc(_short(names.get(actor, actor)))}</text>"
            f"<title>{esc(names.get(actor, actor))} ({esc(actor)})</title></g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def fractional_year(date: str) -> float | None:
    """"2020-01-03" -> 2020.005; "2014" -> 2014.5 (the middle of what is known)."""
    parts = date.split("-")
    if not parts[0].isdigit():
        return None
    year = int(parts[0])
    if len(parts) == 1:
        return year + 0.5
    month = int(parts[1]) if parts[1].isdigit() else 6
    day = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 15
    return year + ((month - 1) * 30.4 + day) / 366


def timeline_svg(dated: list[tuple[Event, str]], width: int = 1100) -> str:
    """Events as dots on a time axis, one lane per quad class; ``dated`` pairs each
    event with the date it is shown at."""
    points = [(e, fractional_year(d)) for e, d in dated]
    points = [(e, t) for e, t in points if t is not None]
    lane_h, left, top = 80, 170, 20
    height = top + lane_h * len(QUADS) + 40
    parts = [f'<svg class="timeline" viewBox="0 0 {width} {height}" role="img" '
             'aria-label="event timeline">']
    if not points:
        parts.append('<text x="20" y="40">No dated events.</text></svg>')
        return "".join(parts)
    t0 = math.floor(min(t for _, t in points))
    t1 = math.floor(max(t for _, t in points)) + 1
    scale = (width - left - 20) / (t1 - t0)
    step = max(1, (t1 - t0) // 12)
    for year in range(t0, t1 + 1, step):
        x = left + (year - t0) * scale
        parts.append(f'<line class="grid" x1="{x:.1f}" y1="{top}" x2="{x:.1f}" '
                     f'y2="{height - 30}"/><text class="tick" x="{x:.1f}" y="{height - 12}" '
                     f'text-anchor="middle">{year}</text>')
    for lane, quad in enumerate(QUADS):
        y = top + lane * lane_h + lane_h / 2
        parts.append(f'<text class="lane" x="{left - 10}" y="{y + 4:.1f}" text-anchor="end">'
                     f"{QUAD_LABELS[quad]}</text>")
    stacked: dict[tuple[str, int], int] = defaultdict(int)
    for e, t in points:
        if e.quad not in QUADS:
            continue
        x = left + (t - t0) * scale
        # Events at the same spot pile up from the lane's floor, then spill sideways, so
        # a busy year reads as a tall pile and each dot stays clickable.
        n = stacked[(e.quad, round(x / 9))]
        stacked[(e.quad, round(x / 9))] += 1
        per_column = (lane_h - 8) // 9
        x += (n // per_column) * 4
        y = top + (QUADS.index(e.quad) + 1) * lane_h - 6 - (n % per_column) * 9
        parts.append(f'<a href="#{anchor("ev", e.id)}"><circle class="dot {e.quad}" '
                     f'cx="{x:.1f}" cy="{y:.1f}" r="4"><title>{esc(e.id)}: {esc(e.type)}'
                     f"</title></circle></a>")
    parts.append("</svg>")
    return "".join(parts)


@dataclass
class MapPoint:
    name: str
    lat: float
    lon: float
    country: str | None
    events: list[str]


def map_svg(points: list[MapPoint], width: int = 1000) -> str:
    """An equirectangular map of the places, graticule and country labels included."""
    if not points:
        return '<p class="empty">No event has a place with coordinates.</p>'
    lat0, lat1 = min(p.lat for p in points), max(p.lat for p in points)
    lon0, lon1 = min(p.lon for p in points), max(p.lon for p in points)
    # Pad the box and keep at least 8 degrees of extent so one city is not a blow-up.
    pad_lat, pad_lon = max(2.0, (8 - (lat1 - lat0)) / 2), max(2.0, (8 - (lon1 - lon0)) / 2)
    lat0, lat1 = max(-90.0, lat0 - pad_lat), min(90.0, lat1 + pad_lat)
    lon0, lon1 = max(-180.0, lon0 - pad_lon), min(180.0, lon1 + pad_lon)
    # Equirectangular with the x axis shrunk by cos(mid latitude): shapes stay true near it.
    kx = math.cos(math.radians((lat0 + lat1) / 2))
    scale = width / ((lon1 - lon0) * kx)
    height = int((lat1 - lat0) * scale)

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return (lon - lon0) * kx * scale, (lat1 - lat) * scale

    parts = [f'<svg class="map" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="map of event places"><rect class="sea" width="{width}" '
             f'height="{height}"/>']
    for name, rings in outlines_in(lon0, lat0, lon1, lat1):
        path = "".join("M" + "L".join("{:.1f} {:.1f}".format(*xy(lat, lon)) for lon, lat in ring)
                       + "Z" for ring in rings)
        parts.append(f'<path class="land" d="{path}"><title>{esc(name)}</title></path>')
    step = next(s for s in (1, 2, 5, 10, 15, 30) if max(lat1 - lat0, lon1 - lon0) / s <= 12)
    for lat in range(math.ceil(lat0 / step) * step, math.floor(lat1) + 1, step):
        _, y = xy(lat, lon0)
        parts.append(f'<line class="grat" x1="0" y1="{y:.1f}" x2="{width}" y2="{y:.1f}"/>'
                     f'<text class="gratlabel" x="4" y="{y - 3:.1f}">{abs(lat)}°'
                     f'{"N" if lat >= 0 else "S"}</text>')
    for lon in range(math.ceil(lon0 / step) * step, math.floor(lon1) + 1, step):
        x, _ = xy(lat0, lon)
        parts.append(f'<line class="grat" x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}"/>'
                     f'<text class="gratlabel" x="{x + 3:.1f}" y="{height - 4}">{abs(lon)}°'
                     f'{"E" if lon >= 0 else "W"}</text>')
    by_country: dict[str, list[MapPoint]] = defaultdict(list)
    for p in points:
        if p.country:
            by_country[p.country].append(p)
    for country, members in sorted(by_country.items()):
        x, y = xy(sum(p.lat for p in members) / len(members),
                  sum(p.lon for p in members) / len(members))
        parts.append(f'<text class="country" x="{x:.1f}" y="{y + 34:.1f}" '
                     f'text-anchor="middle">{esc(country)}</text>')
    for p in points:
        x, y = xy(p.lat, p.lon)
        r = 4 + 3 * math.sqrt(len(p.events))
        parts.append(f'<a href="#{anchor("place", p.name)}"><circle class="place" '
                     f'cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"><title>{esc(p.name)}: '
                     f'{len(p.events)} event(s)</title></circle></a><text class="placelabel" '
                     f'x="{x + r + 3:.1f}" y="{y + 4:.1f}">{esc(p.name)}</text>')
    parts.append("</svg>")
    return "".join(parts)
