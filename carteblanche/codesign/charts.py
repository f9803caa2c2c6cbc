"""A measured indicator against its baseline and target, drawn as a small SVG (no script, works offline)."""

WIDTH, HEIGHT, PAD = 560, 220, 40


def indicator_chart(indicator) -> dict | None:
    points = list(indicator.measurements.order_by("date", "pk"))
    if not points:
        return None
    values = [float(p.value) for p in points] + [float(indicator.baseline), float(indicator.target)]
    low, high = min(values), max(values)
    if high == low:
        high = low + 1
    first, last = points[0].date, points[-1].date
    span = max((last - first).days, 1)

    def x(date):
        return PAD + (WIDTH - 2 * PAD) * ((date - first).days / span if len(points) > 1 else 0.5)

    def y(value):
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * ((float(value) - low) / (high - low))

    return {
        "width": WIDTH,
        "height": HEIGHT,
        "line": " ".join(f"{x(p.date):.1f},{y(p.value):.1f}" for p in points),
        "dots": [{"x": round(x(p.date), 1), "y": round(y(p.value), 1), "point": p} for p in points],
        "baseline_y": round(y(indicator.baseline), 1),
        "target_y": round(y(indicator.target), 1),
        "left": PAD,
        "right": WIDTH - PAD,
    }
