"""Draw the demo's images: honest generated graphics instead of agency photos.

``render_image(key)`` returns JPEG bytes (1600x900) for every key in ``content.IMAGES``. Each
graphic shows exactly what its caption claims and nothing more: the map says its positions are
approximate, the market chart has no figure for the share rise (the reporting gave none), and the
expulsions graphic shows only the combined total of 45 because the per-country split is not
known to us. Inventing numbers in a chart would be fabrication, however small.

Only Pillow is used, and no font files: ``ImageFont.load_default(size=...)`` ships a scalable
font in Pillow >= 10.1. Output is deterministic (no randomness, no timestamps), so re-seeding the
demo yields byte-identical files.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterable
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from .content import IMAGES

__all__ = ["HEIGHT", "WIDTH", "render_image"]

WIDTH, HEIGHT = 1600, 900
JPEG_QUALITY = 85

# A restrained newspaper palette.
PAPER = (246, 243, 236)
INK = (29, 29, 27)
MUTED = (112, 108, 100)
RULE = (196, 190, 178)
ACCENT = (178, 34, 34)
SEA = (214, 228, 238)
LAND = (232, 226, 212)
BORDER = (150, 140, 120)
GREEN = (46, 125, 80)
PANEL = (255, 255, 255)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
Colour = tuple[int, int, int]


@lru_cache(maxsize=32)
def _font(size: int) -> Font:
    """Pillow's bundled scalable font; fall back to the bitmap default on FreeType-less builds."""
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError, ImportError):  # Pillow < 10.1 or no FreeType
        return ImageFont.load_default()


def _canvas() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    return image, ImageDraw.Draw(image)


def _header(draw: ImageDraw.ImageDraw, title: str, subtitle: str) -> None:
    """Title block shared by every graphic, so they read as one family."""
    draw.rectangle((0, 0, WIDTH, 10), fill=ACCENT)
    draw.text((60, 42), title, font=_font(52), fill=INK)
    draw.text((60, 112), subtitle, font=_font(28), fill=MUTED)
    draw.line((60, 160, WIDTH - 60, 160), fill=RULE, width=2)


def _footer(draw: ImageDraw.ImageDraw, note: str) -> None:
    """Source line: says plainly that the picture is a generated graphic."""
    draw.line((60, HEIGHT - 62, WIDTH - 60, HEIGHT - 62), fill=RULE, width=2)
    draw.text((60, HEIGHT - 48), note, font=_font(22), fill=MUTED)
    mark = "The Broadsheet · generated graphic"
    draw.text((WIDTH - 60, HEIGHT - 48), mark, font=_font(22), fill=MUTED, anchor="ra")


def _wrap(text: str, font: Font, width: int) -> list[str]:
    """Greedy word wrap by rendered width (Pillow has no text layout of its own)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and font.getlength(trial) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines


def _paragraph(
    draw: ImageDraw.ImageDraw,
    xy: tuple[int, int],
    text: str,
    size: int,
    width: int,
    fill: Colour = INK,
    leading: float = 1.3,
) -> int:
    """Draw wrapped text and return the y just below it."""
    x, y = xy
    font = _font(size)
    for line in _wrap(text, font, width):
        draw.text((x, y), line, font=font, fill=fill)
        y += int(size * leading)
    return y


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Maps
# ---------------------------------------------------------------------------------------------

# A coarse outline of Ukraine's internationally recognised borders (Crimea included), as
# (longitude, latitude). Deliberately simplified: the graphic is a schematic and says so.
_UKRAINE_OUTLINE: tuple[tuple[float, float], ...] = (
    (23.6, 51.5),
    (25.0, 51.9),
    (26.5, 51.8),
    (28.0, 51.6),
    (29.3, 51.4),
    (30.5, 51.3),
    (31.8, 52.1),
    (33.3, 52.35),
    (34.4, 51.7),
    (35.4, 51.1),
    (36.2, 50.4),
    (37.5, 50.3),
    (38.2, 50.0),
    (40.1, 49.6),
    (40.1, 49.0),
    (39.8, 48.3),
    (39.7, 47.8),
    (38.2, 47.1),
    (37.5, 47.05),
    (36.8, 46.75),
    (35.5, 46.4),
    (34.9, 46.2),
    (35.3, 45.4),
    (36.6, 45.4),
    (36.4, 45.1),
    (35.4, 44.9),
    (34.5, 44.5),
    (33.5, 44.5),
    (33.4, 44.9),
    (32.5, 45.35),
    (33.6, 45.95),
    (33.0, 46.1),
    (31.6, 46.6),
    (30.8, 46.5),
    (30.2, 45.9),
    (29.7, 45.25),
    (28.2, 45.45),
    (28.5, 45.95),
    (29.0, 46.5),
    (30.0, 46.45),
    (29.7, 47.3),
    (29.2, 47.95),
    (28.2, 48.25),
    (27.5, 48.5),
    (26.6, 48.25),
    (25.0, 47.75),
    (24.0, 47.95),
    (22.9, 47.95),
    (22.15, 48.4),
    (22.55, 49.1),
    (22.7, 49.6),
    (23.6, 50.4),
    (24.1, 50.8),
)

# City positions (longitude, latitude) and where each label sits relative to its dot.
_CITIES: dict[str, tuple[float, float, str]] = {
    "Kyiv": (30.52, 50.45, "left"),
    "Chernihiv": (31.29, 51.49, "right"),
    "Sumy": (34.80, 50.91, "right"),
    "Kharkiv": (36.23, 49.99, "right"),
    "Zaporizhzhia": (35.14, 47.84, "right"),
    "Mariupol": (37.55, 47.10, "below"),
    "Mykolaiv": (31.99, 46.97, "left"),
    "Kherson": (32.62, 46.64, "right"),
    "Lviv": (24.03, 49.84, "right"),
}

_LON_MIN, _LON_MAX = 21.6, 40.6
_LAT_MIN, _LAT_MAX = 44.2, 52.6
# Equirectangular projection scaled by cos(mid-latitude) so the country is not stretched.
_X_SCALE = math.cos(math.radians(48.4))
_MAP_BOX = (40, 180, 1100, 830)  # left, top, right, bottom in pixels


def _projector() -> Callable[[float, float], tuple[float, float]]:
    left, top, right, bottom = _MAP_BOX
    span_x = (_LON_MAX - _LON_MIN) * _X_SCALE
    span_y = _LAT_MAX - _LAT_MIN
    scale = min((right - left) / span_x, (bottom - top) / span_y)
    offset_x = left + ((right - left) - span_x * scale) / 2
    offset_y = top + ((bottom - top) - span_y * scale) / 2

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (
            offset_x + (lon - _LON_MIN) * _X_SCALE * scale,
            offset_y + (_LAT_MAX - lat) * scale,
        )

    return project


def _draw_base_map(draw: ImageDraw.ImageDraw) -> Callable[[float, float], tuple[float, float]]:
    """Sea panel plus the Ukraine outline; returns the projection for placing cities."""
    project = _projector()
    left, top, right, bottom = _MAP_BOX
    draw.rectangle((left, top, right, bottom), fill=SEA)
    # Land beyond Ukraine's borders, as one polygon in pixels: the panel's corners plus a rough
    # coast from the Caucasus round the Sea of Azov to Romania. Where it crosses Ukraine it does
    # not matter, because Ukraine is drawn on top; it only has to leave both seas uncovered.
    foreign_coast = [
        project(lon, lat)
        for lon, lat in (
            (38.9, _LAT_MIN),
            (37.6, 44.7),
            (36.8, 45.2),
            (37.6, 45.5),
            (38.1, 46.1),
            (38.3, 46.7),
            (39.1, 47.25),  # east shore of the Sea of Azov, up to Taganrog Bay
            (38.0, 47.7),
            (33.0, 47.7),
            (30.5, 47.0),
            (29.0, 46.0),  # inland, under Ukraine
            (29.65, 45.2),
            (28.9, 44.9),
            (28.6, 44.4),
            (28.4, _LAT_MIN),  # Romania's coast
        )
    ]
    foreign_coast[0] = (foreign_coast[0][0], bottom)
    foreign_coast[-1] = (foreign_coast[-1][0], bottom)
    draw.polygon(
        [(left, top), (right, top), (right, bottom), *foreign_coast, (left, bottom)],
        fill=(238, 235, 228),
    )
    draw.polygon(
        [project(lon, lat) for lon, lat in _UKRAINE_OUTLINE], fill=LAND, outline=BORDER, width=3
    )
    draw.text(project(33.0, 44.75), "Black Sea", font=_font(26), fill=(90, 120, 150), anchor="mm")
    draw.text(project(37.3, 46.35), "Sea of Azov", font=_font(20), fill=(90, 120, 150), anchor="mm")
    draw.text(project(28.2, 49.2), "UKRAINE", font=_font(40), fill=(170, 160, 140), anchor="mm")
    return project


def _label(
    draw: ImageDraw.ImageDraw,
    point: tuple[float, float],
    name: str,
    side: str,
    size: int,
    fill: Colour,
) -> None:
    """City label with a paper-coloured halo so it stays legible over borders and coasts."""
    x, y = point
    gap = 16
    anchors = {
        "left": ("rm", -gap, 0),
        "right": ("lm", gap, 0),
        "below": ("mt", 0, gap),
        "above": ("mb", 0, -gap),
    }
    anchor, dx, dy = anchors[side]
    draw.text(
        (x + dx, y + dy),
        name,
        font=_font(size),
        fill=fill,
        anchor=anchor,
        stroke_width=4,
        stroke_fill=LAND,
    )


def _dot(draw: ImageDraw.ImageDraw, point: tuple[float, float], radius: int, fill: Colour) -> None:
    x, y = point
    draw.ellipse(
        (x - radius, y - radius, x + radius, y + radius), fill=fill, outline=PANEL, width=2
    )


def _side_panel(
    draw: ImageDraw.ImageDraw, x: int, y: int, items: Iterable[tuple[str, str]]
) -> None:
    """Right-hand key: (heading, text) pairs stacked down the panel."""
    for heading, text in items:
        draw.text((x, y), heading, font=_font(30), fill=INK)
        y = _paragraph(draw, (x, y + 44), text, 24, WIDTH - 60 - x, fill=MUTED) + 26


def _render_cities_map() -> Image.Image:
    image, draw = _canvas()
    _header(
        draw,
        "Ukraine: the cities in today's report",
        "29 March 2022 · schematic map, positions approximate",
    )
    project = _draw_base_map(draw)
    north = {"Kyiv", "Chernihiv"}
    reference = {"Zaporizhzhia", "Lviv"}
    for name in north:
        x, y = project(*_CITIES[name][:2])
        draw.ellipse(
            (x - 46, y - 46, x + 46, y + 46), fill=(236, 200, 194), outline=ACCENT, width=2
        )
    for name, (lon, lat, side) in _CITIES.items():
        point = project(lon, lat)
        if name in north:
            colour, radius = ACCENT, 11
        elif name in reference:
            colour, radius = MUTED, 8
        else:
            colour, radius = INK, 10
        _dot(draw, point, radius, colour)
        _label(draw, point, name, side, 28 if name not in reference else 24, colour)
    _side_panel(
        draw,
        1150,
        200,
        (
            (
                "Kyiv and Chernihiv",
                "Russia said it would sharply cut military activity around "
                "these two cities (red rings). Shelling of Kyiv resumed within hours.",
            ),
            (
                "Heavy fighting",
                "Reported in Mariupol, Sumy, Kharkiv, Kherson and Mykolaiv (dark dots).",
            ),
            ("For reference", "Zaporizhzhia and Lviv (grey). Front lines are not shown."),
        ),
    )
    _footer(draw, "Outline simplified; Crimea shown within Ukraine's recognised borders.")
    return image


def _render_mykolaiv_map() -> Image.Image:
    image, draw = _canvas()
    _header(
        draw,
        "Mykolaiv, southern Ukraine",
        "Strike on the regional government building, 29 March 2022 · schematic map",
    )
    project = _draw_base_map(draw)
    for name, (lon, lat, side) in _CITIES.items():
        if name == "Mykolaiv":
            continue
        point = project(lon, lat)
        _dot(draw, point, 7, MUTED)
        _label(draw, point, name, side, 22, MUTED)
    x, y = project(*_CITIES["Mykolaiv"][:2])
    draw.ellipse((x - 34, y - 34, x + 34, y + 34), outline=ACCENT, width=5)
    _dot(draw, (x, y), 11, ACCENT)
    # Call-out box in the Black Sea panel, joined to the city by a leader line.
    box = (int(x) - 330, 690, int(x) - 20, 800)
    draw.line((x - 24, y + 24, box[2] - 40, box[1]), fill=ACCENT, width=3)
    draw.rectangle(box, fill=PANEL, outline=ACCENT, width=3)
    draw.text((box[0] + 20, box[1] + 14), "Mykolaiv", font=_font(34), fill=ACCENT)
    draw.text((box[0] + 20, box[1] + 60), "12 people killed", font=_font(26), fill=INK)
    _side_panel(
        draw,
        1150,
        200,
        (
            (
                "What happened",
                "A Russian strike hit the regional administration building in "
                "Mykolaiv. Twelve people were killed.",
            ),
            ("The governor", "Vitaliy Kim survived: he had overslept and was not yet at work."),
            ("Where", "Mykolaiv lies between Kherson and Odesa, close to the Black Sea coast."),
        ),
    )
    _footer(draw, "Positions approximate; front lines are not shown.")
    return image


# ---------------------------------------------------------------------------------------------
# Charts and diagrams
# ---------------------------------------------------------------------------------------------


def _render_markets() -> Image.Image:
    image, draw = _canvas()
    _header(
        draw,
        "Markets on the day of the Istanbul talks",
        "Change on 29 March 2022, approximate, per cent",
    )
    zero_x, unit = 820, 40  # pixels per percentage point
    top, row_h = 250, 170
    # Grid and axis labels from -10% to +12%.
    for pct in range(-10, 13, 2):
        gx = zero_x + pct * unit
        draw.line(
            (gx, top - 30, gx, top + 3 * row_h - 40),
            fill=RULE if pct else INK,
            width=1 if pct else 3,
        )
        draw.text(
            (gx, top + 3 * row_h - 30),
            f"{pct:+d}" if pct else "0",
            font=_font(22),
            fill=MUTED,
            anchor="mt",
        )
    rows = (
        ("European shares", None, "Rose (size of rise not charted)"),
        ("Oil", -5.0, "about -5%"),
        ("Rouble vs dollar", 10.0, "about +10%"),
    )
    for i, (label, value, note) in enumerate(rows):
        cy = top + i * row_h + 50
        draw.text((60, cy), label, font=_font(32), fill=INK, anchor="lm")
        if value is None:
            # Direction only: an up-arrow at the zero line, no invented magnitude.
            ax = zero_x + 40
            draw.polygon(((ax, cy - 42), (ax - 26, cy), (ax + 26, cy)), fill=GREEN)
            draw.rectangle((ax - 10, cy, ax + 10, cy + 36), fill=GREEN)
            draw.text((ax + 50, cy), note, font=_font(28), fill=GREEN, anchor="lm")
            continue
        end = zero_x + value * unit
        colour = GREEN if value > 0 else ACCENT
        draw.rectangle((min(zero_x, end), cy - 34, max(zero_x, end), cy + 34), fill=colour)
        if value > 0:
            draw.text((end + 16, cy), note, font=_font(30), fill=colour, anchor="lm")
        else:
            draw.text((end - 16, cy), note, font=_font(30), fill=colour, anchor="rm")
    _footer(
        draw,
        "Rounded figures as reported on the day. Share indices rose; no single figure is charted.",
    )
    return image


def _person(draw: ImageDraw.ImageDraw, x: int, y: int, colour: Colour) -> None:
    """A small pictogram figure: head and shoulders."""
    draw.ellipse((x - 11, y - 30, x + 11, y - 8), fill=colour)
    draw.rounded_rectangle((x - 19, y - 4, x + 19, y + 30), radius=12, fill=colour)


def _render_diplomats() -> Image.Image:
    image, draw = _canvas()
    _header(draw, "45 Russian diplomats expelled", "Accused of spying · 29 March 2022")
    draw.text((80, 220), "45", font=_font(260), fill=ACCENT)
    draw.text((90, 500), "diplomats, combined total", font=_font(32), fill=INK)
    # 45 identical figures: 9 columns x 5 rows. Deliberately not coloured by country.
    cols, step_x, step_y = 9, 78, 90
    origin_x, origin_y = 760, 240
    for n in range(45):
        col, row = n % cols, n // cols
        _person(draw, origin_x + col * step_x, origin_y + row * step_y, INK)
    draw.text((80, 640), "Expelled by", font=_font(30), fill=MUTED)
    countries = ("Belgium", "Ireland", "the Netherlands", "the Czech Republic")
    x = 80
    for country in countries:
        width = int(_font(34).getlength(country)) + 40
        draw.rounded_rectangle(
            (x, 690, x + width, 750), radius=10, fill=PANEL, outline=RULE, width=2
        )
        draw.text((x + 20, 720), country, font=_font(34), fill=INK, anchor="lm")
        x += width + 24
    _footer(draw, "Combined total only: the graphic does not show how many each country expelled.")
    return image


def _render_positions() -> Image.Image:
    image, draw = _canvas()
    _header(
        draw,
        "What Ukraine put on the table in Istanbul",
        "The main points of Kyiv's proposal, 29 March 2022",
    )
    columns = (
        (
            "Ukraine would accept",
            ACCENT,
            (
                "Permanent neutrality",
                "No Nato membership",
                "No nuclear weapons",
                "No foreign military bases",
                "Donbas set aside for now",
                "15 years of talks on Crimea, no force",
            ),
        ),
        (
            "Ukraine asks for",
            GREEN,
            (
                "Legally binding guarantees, likened to Nato's Article 5",
                "Guarantors: UK, US, China, France, Turkey, Germany, Poland, Israel",
                "Nothing to block EU accession",
                "A referendum on any deal, once there is full peace",
            ),
        ),
    )
    for i, (heading, colour, items) in enumerate(columns):
        x0 = 60 + i * 750
        draw.rectangle((x0, 190, x0 + 720, 250), fill=colour)
        draw.text((x0 + 24, 220), heading, font=_font(34), fill=PANEL, anchor="lm")
        y = 275
        for item in items:
            draw.ellipse((x0 + 24, y + 11, x0 + 38, y + 25), fill=colour)
            y = _paragraph(draw, (x0 + 56, y), item, 30, 640) + 16
    draw.rectangle((60, 700, WIDTH - 60, 815), fill=PANEL, outline=RULE, width=2)
    draw.text((84, 720), "Russia's reply", font=_font(30), fill=INK)
    draw.text(
        (84, 765),
        "Vladimir Medinsky: de-escalation is not a ceasefire; Moscow will "
        "respond with counter-proposals.",
        font=_font(26),
        fill=MUTED,
    )
    _footer(draw, "Summary by The Broadsheet of the proposal as reported.")
    return image


def _render_guarantors() -> Image.Image:
    image, draw = _canvas()
    _header(
        draw,
        "Eight proposed guarantors",
        "States Ukraine named to guarantee its neutrality, Istanbul, 29 March 2022",
    )
    cx, cy, radius = 560, 515, 270
    states = ("UK", "US", "China", "France", "Turkey", "Germany", "Poland", "Israel")
    centres = []
    for i, _state in enumerate(states):
        angle = -math.pi / 2 + i * 2 * math.pi / len(states)
        centres.append((cx + radius * 1.35 * math.cos(angle), cy + radius * math.sin(angle)))
    for x, y in centres:
        draw.line((cx, cy, x, y), fill=RULE, width=4)
    draw.ellipse((cx - 105, cy - 105, cx + 105, cy + 105), fill=(0, 87, 183))
    draw.text((cx, cy), "Ukraine", font=_font(38), fill=PANEL, anchor="mm")
    for (x, y), state in zip(centres, states, strict=True):
        draw.rounded_rectangle(
            (x - 95, y - 36, x + 95, y + 36), radius=14, fill=PANEL, outline=INK, width=3
        )
        draw.text((x, y), state, font=_font(32), fill=INK, anchor="mm")
    _side_panel(
        draw,
        1140,
        210,
        (
            (
                "The proposal",
                "Ukraine would stay permanently neutral. These states would be "
                "legally bound to help defend it.",
            ),
            ("The model", "Negotiators compared the mechanism to Article 5 of the Nato treaty."),
            ("Status", "A proposal only: none of the eight had agreed to the role."),
        ),
    )
    _footer(draw, "Clockwise from the top, in the order in which the states were reported.")
    return image


_RENDERERS: dict[str, Callable[[], Image.Image]] = {
    "ukraine-cities-map": _render_cities_map,
    "istanbul-positions": _render_positions,
    "markets-march-29": _render_markets,
    "diplomats-expelled": _render_diplomats,
    "mykolaiv-strike-map": _render_mykolaiv_map,
    "guarantor-states": _render_guarantors,
}

# Fail at import, not at seed time, if content gains an image nobody knows how to draw.
if set(_RENDERERS) != set(IMAGES):
    raise RuntimeError(
        f"demo images without a renderer (or vice versa): {sorted(set(_RENDERERS) ^ set(IMAGES))}"
    )


def render_image(key: str) -> bytes:
    """Return the JPEG bytes (1600x900) for the demo image ``key`` from ``content.IMAGES``."""
    try:
        renderer = _RENDERERS[key]
    except KeyError:
        raise KeyError(f"unknown demo image {key!r}; known: {sorted(_RENDERERS)}") from None
    return _jpeg(renderer())
