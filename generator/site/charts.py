"""Trend charts: the SVG geometry of an objective's history (one point per report, the
target as a line), computed here and drawn by `partials/macros.html`. No markup here."""

from __future__ import annotations

from dataclasses import dataclass

from generator.content.model import History

WIDTH = 240
HEIGHT = 72
PAD = 8


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    state: str


@dataclass(frozen=True)
class TrendChart:
    """An objective's points on a `width` x `height` canvas (SVG user units)."""

    dots: tuple[Dot, ...]
    target_y: float
    width: int = WIDTH
    height: int = HEIGHT
    pad: int = PAD

    @property
    def line(self) -> str:
        """The `points` attribute of the polyline joining the dots."""
        return " ".join(f"{dot.x:g},{dot.y:g}" for dot in self.dots)


def trend_chart(history: History) -> TrendChart | None:
    """The chart of `history`; None before its first report."""
    if not history.points:
        return None
    values = [point.value for point in history.points]
    target = history.objective.target
    low, high = min(0.0, *values, target), max(*values, target)
    span = (high - low) or 1.0

    def y_of(value: float) -> float:
        return round(PAD + (high - value) / span * (HEIGHT - 2 * PAD), 2)

    step = (WIDTH - 2 * PAD) / (len(values) - 1) if len(values) > 1 else 0.0
    first = PAD if len(values) > 1 else WIDTH / 2
    points = enumerate(history.points)
    dots = tuple(Dot(round(first + index * step, 2), y_of(point.value), point.state) for index, point in points)
    return TrendChart(dots, y_of(target))
