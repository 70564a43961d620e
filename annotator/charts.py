"""Server-rendered SVG charts: horizontal bars, lines over time, grouped bars.

No JavaScript and no style attributes (the Content-Security-Policy allows neither inline): shapes
carry SVG presentation attributes, text takes its font from app.css (`svg.chart`). Every piece of
text goes through `format_html`, so names typed by users (usernames, label names) come out escaped.

Each chart is an `<svg role="img">` named by its `<title>` and `<desc>`; the page puts a table of
the same numbers beside it, since a picture alone tells a screen reader nothing. Charts are readable
without colour: bars carry their numbers and names as text, lines differ by dash and marker shape too.
The SVG is drawn at its natural size (width attribute = viewBox width) and only shrinks on narrow
screens, so its text stays the size of the page's text; the wide line chart (class `chart-wide`) stops
shrinking at a readable width and its box scrolls instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

INK = "#1d232b"
MUTED = "#5b6570"
GRID = "#d9dee4"
ACCENT = "#1f5fae"
LONGEST_NAME = 20  # characters of a name shown beside a bar; the bar's tooltip has all of it


def _number(value: float) -> str:
    """Coordinates with one decimal: enough for a screen, short in the markup."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _shorten(text: str, limit: int = LONGEST_NAME) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _svg(
    *, chart_id: str, title: str, desc: str, width: int, height: int, body: SafeString, css_class: str = "chart"
) -> SafeString:
    return format_html(
        '<svg class="{css_class}" id="{id}" role="img" aria-labelledby="{id}-title {id}-desc" width="{w}" height="{h}" '
        'viewBox="0 0 {w} {h}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        css_class=css_class,
        id=chart_id,
        title=title,
        desc=desc,
        w=width,
        h=height,
        body=body,
    )


def _join(parts: Sequence[SafeString]) -> SafeString:
    # Every part was built by format_html, so joining them keeps them safe.
    return mark_safe("".join(parts))  # noqa: S308


# --- horizontal bars ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str  # shown left of the bar
    value: float  # the bar's length
    text: str  # shown right of the bar, e.g. "12 (40%)"


def bar_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    bars: Sequence[Bar],
    colour: str = ACCENT,
    width: int = 640,
    maximum: float | None = None,
) -> SafeString:
    """One horizontal bar per item, on a pale track so zero still shows a row.

    The full track is `maximum` (for figures with a fixed scale, e.g. agreement on 0–1) or else the
    longest value; values below zero draw no bar, their text tells the value.
    """
    label_width, text_width, row, bar_height, top = 150, 90, 30, 20, 8
    track = width - label_width - text_width
    height = top * 2 + row * max(len(bars), 1)
    largest = maximum if maximum is not None else max((bar.value for bar in bars), default=0)
    rows = []
    for i, bar in enumerate(bars):
        y = top + i * row
        length = track * min(max(bar.value, 0), largest) / largest if largest else 0
        rows.append(
            format_html(
                '<g class="bar-row"><title>{label}: {text}</title>'
                '<text x="{lx}" y="{ty}" text-anchor="end">{short}</text>'
                '<rect class="track" x="{x}" y="{y}" width="{track}" height="{h}" fill="#eef1f4" rx="3"/>'
                '<rect class="bar" x="{x}" y="{y}" width="{length}" height="{h}" fill="{colour}" rx="3"/>'
                '<text x="{vx}" y="{ty}">{text}</text></g>',
                label=bar.label,
                short=_shorten(bar.label),
                text=bar.text,
                lx=label_width - 8,
                x=label_width,
                y=y,
                ty=_number(y + bar_height / 2 + 4.5),
                track=track,
                length=_number(length),
                h=bar_height,
                colour=colour,
                vx=_number(label_width + track + 8),
            )
        )
    return _svg(chart_id=chart_id, title=title, desc=desc, width=width, height=height, body=_join(rows))


# --- lines over time ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # one per x label; None is a gap in the line, never a zero
    colour: str
    dash: str = ""  # stroke-dasharray, so lines differ without colour
    marker: str = "circle"  # circle, square or triangle


def _marker(kind: str, x: float, y: float, colour: str, tooltip: str) -> SafeString:
    shape = {
        "circle": format_html('<circle cx="{}" cy="{}" r="4" fill="{}"/>', _number(x), _number(y), colour),
        "square": format_html(
            '<rect x="{}" y="{}" width="8" height="8" fill="{}"/>', _number(x - 4), _number(y - 4), colour
        ),
        "triangle": format_html(
            '<polygon points="{},{} {},{} {},{}" fill="{}"/>',
            *(_number(c) for c in (x, y - 5, x - 5, y + 4, x + 5, y + 4)),
            colour,
        ),
    }[kind]
    return format_html('<g class="point"><title>{}</title>{}</g>', tooltip, shape)


def _ticks(low: float, high: float, step: float) -> list[float]:
    count = round((high - low) / step)
    return [round(low + i * step, 6) for i in range(count + 1)]


def line_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    y_min: float = 0.0,
    y_max: float = 1.0,
    y_step: float = 0.25,
    width: int = 960,
    height: int = 300,
) -> SafeString:
    """Lines over evenly spaced x positions, with a marker at every defined point, so a value between two gaps
    still shows. The y range widens to whole steps to take values below `y_min` or above `y_max`."""
    defined = [value for line in series for value in line.values if value is not None]
    y_min = min([y_min, *(math.floor(value / y_step) * y_step for value in defined)])
    y_max = max([y_max, *(math.ceil(value / y_step) * y_step for value in defined)])
    left, right, top, bottom, legend = 48, 36, 40, 34, 24
    plot_w, plot_h = width - left - right, height - top - bottom

    def x_at(i: int) -> float:
        return left + (plot_w / 2 if len(x_labels) == 1 else plot_w * i / (len(x_labels) - 1))

    def y_at(value: float) -> float:
        return top + plot_h * (y_max - value) / (y_max - y_min)

    parts = []
    for tick in _ticks(y_min, y_max, y_step):
        y = _number(y_at(tick))
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{y}" y2="{y}" stroke="{}" stroke-width="{}"/>'
                '<text x="{}" y="{}" text-anchor="end" class="axis">{}</text>',
                left,
                width - right,
                INK if tick == 0 else GRID,
                1.5 if tick == 0 else 1,
                left - 6,
                _number(y_at(tick) + 4),
                f"{tick:g}",
                y=y,
            )
        )
    # As many x labels as fit (about 70 units each), always including the first.
    every = max(1, math.ceil(len(x_labels) / max(1, plot_w // 70)))
    parts.extend(
        format_html(
            '<text x="{}" y="{}" text-anchor="middle" class="axis">{}</text>',
            _number(x_at(i)),
            height - bottom + 20,
            label,
        )
        for i, label in enumerate(x_labels)
        if i % every == 0
    )
    legend_x = left
    for line in series:
        parts.append(
            format_html(
                '<g class="legend-item"><line x1="{}" x2="{}" y1="{y}" y2="{y}" stroke="{c}" stroke-width="2.5" '
                'stroke-dasharray="{}"/>{}<text x="{}" y="{}">{}</text></g>',
                legend_x,
                legend_x + 28,
                line.dash or "none",
                _marker(line.marker, legend_x + 14, top - legend, line.colour, line.name),
                legend_x + 34,
                top - legend + 4,
                line.name,
                y=top - legend,
                c=line.colour,
            )
        )
        legend_x += 34 + 7.5 * len(line.name) + 24
    for line in series:
        # A new "M" after every gap: the line stops at an undefined value instead of dropping to zero.
        path, pen_down = [], False
        for i, value in enumerate(line.values):
            if value is None:
                pen_down = False
                continue
            path.append(f"{'L' if pen_down else 'M'}{_number(x_at(i))} {_number(y_at(value))}")
            pen_down = True
        parts.append(
            format_html(
                '<path class="line" d="{}" fill="none" stroke="{}" stroke-width="2.5" stroke-dasharray="{}"/>',
                " ".join(path),
                line.colour,
                line.dash or "none",
            )
        )
        parts.extend(
            _marker(line.marker, x_at(i), y_at(value), line.colour, f"{x_labels[i]} — {line.name}: {value:.2f}")
            for i, value in enumerate(line.values)
            if value is not None
        )
    return _svg(
        chart_id=chart_id,
        title=title,
        desc=desc,
        width=width,
        height=height,
        body=_join(parts),
        css_class="chart chart-wide",
    )


# --- grouped bars ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    label: str  # shown under the group
    colour: str  # of every bar in the group; the series differ by fill pattern
    values: Sequence[int]  # one per series


def grouped_bar_chart(
    *, chart_id: str, title: str, desc: str, groups: Sequence[Group], series: Sequence[str], height: int = 260
) -> SafeString:
    """Vertical bars, one group per category and one bar per series in it: the first series solid, the
    others hatched, so they differ without colour; each bar's number stands on it, the group's name under it."""
    left, top, bottom, legend = 8, 46, 30, 22
    bar_w, gap, group_gap = 32, 4, 22
    group_w = len(series) * bar_w + (len(series) - 1) * gap
    width = max(320, left * 2 + len(groups) * (group_w + group_gap))
    plot_h = height - top - bottom
    largest = max((value for group in groups for value in group.values), default=0)
    base = top + plot_h
    parts = [
        format_html(
            '<line x1="{}" x2="{}" y1="{y}" y2="{y}" stroke="{}" stroke-width="1.5"/>', left, width - left, INK, y=base
        )
    ]
    patterns = []
    legend_x = left
    for s, name in enumerate(series):
        swatch = MUTED if s == 0 else f"url(#{chart_id}-hatch-legend)"
        parts.append(
            format_html(
                '<g class="legend-item"><rect x="{}" y="{}" width="14" height="14" fill="{}" stroke="{}"/>'
                '<text x="{}" y="{}">{}</text></g>',
                legend_x,
                top - legend - 11,
                swatch,
                MUTED,
                legend_x + 20,
                top - legend,
                name,
            )
        )
        legend_x += 20 + 7.5 * len(name) + 24
    for g, group in enumerate(groups):
        patterns.append((f"{chart_id}-hatch-{g}", group.colour))
        x0 = left + group_gap / 2 + g * (group_w + group_gap)
        for s, value in enumerate(group.values):
            x = x0 + s * (bar_w + gap)
            bar_h = plot_h * value / largest if largest else 0
            fill = group.colour if s == 0 else f"url(#{chart_id}-hatch-{g})"
            parts.append(
                format_html(
                    '<g class="bar-group"><title>{label} — {name}: {value}</title>'
                    '<rect class="bar" x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}" stroke="{colour}"/>'
                    '<text x="{tx}" y="{ty}" text-anchor="middle" class="value">{value}</text></g>',
                    label=group.label,
                    name=series[s],
                    value=value,
                    x=_number(x),
                    y=_number(base - bar_h),
                    w=bar_w,
                    h=_number(bar_h),
                    fill=fill,
                    colour=group.colour,
                    tx=_number(x + bar_w / 2),
                    ty=_number(base - bar_h - 5),
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle">{}</text>',
                _number(x0 + group_w / 2),
                base + 19,
                _shorten(group.label, 16),
            )
        )
    patterns.append((f"{chart_id}-hatch-legend", MUTED))
    defs = format_html(
        "<defs>{}</defs>",
        format_html_join(
            "",
            '<pattern id="{}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            '<rect width="6" height="6" fill="#fff"/><rect width="3" height="6" fill="{}"/></pattern>',
            patterns,
        ),
    )
    return _svg(chart_id=chart_id, title=title, desc=desc, width=width, height=height, body=_join([defs, *parts]))
