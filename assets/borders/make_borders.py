#!/usr/bin/env python3
"""Makes west-africa.txt, the borders and coastline the map charts draw, from Natural
Earth's 1:50m countries as the npm package world-atlas ships them (TopoJSON).

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python3 assets/borders/make_borders.py package/countries-50m.json > assets/borders/west-africa.txt

Run it again only to change the region or the source; the binary embeds its output. It
needs nothing beyond Python 3's standard library.
"""

import json
import sys

# The region kept: West Africa around the Mali network, with room for the map's margins.
LON_MIN, LON_MAX, LAT_MIN, LAT_MAX = -26.0, 18.0, -2.0, 30.0
# Coordinates are written in thousandths of a degree (about 110 m): finer than 1:50m data.
UNIT = 1000
# Points closer than this (degrees) to the line through their neighbours are dropped
# (Douglas-Peucker): a tenth of a pixel on the Mali map, and a smaller file.
TOLERANCE = 0.004


def decode_arcs(topology):
    """The arcs as lists of (lon, lat), undoing the delta encoding and quantization."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def arc_points(arcs, index):
    """Arc `index` in its direction: a negative index is arc ~index reversed."""
    return arcs[index] if index >= 0 else arcs[~index][::-1]


def ring_points(arcs, ring):
    """A polygon ring from its arcs, each arc's first point dropped after the first arc."""
    points = []
    for i, index in enumerate(ring):
        part = arc_points(arcs, index)
        points.extend(part if i == 0 else part[1:])
    return points


def polygons(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def inside(p):
    return LON_MIN <= p[0] <= LON_MAX and LAT_MIN <= p[1] <= LAT_MAX


def clip_segment(a, b):
    """The part of segment ab inside the region (Liang-Barsky), or None."""
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0] - LON_MIN), (dx, LON_MAX - a[0]), (-dy, a[1] - LAT_MIN), (dy, LAT_MAX - a[1])):
        if p == 0:
            if q < 0:
                return None
        else:
            t = q / p
            if p < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
    if t0 > t1:
        return None
    return (a[0] + t0 * dx, a[1] + t0 * dy), (a[0] + t1 * dx, a[1] + t1 * dy)


def clip_line(points):
    """The pieces of a polyline inside the region."""
    pieces, current = [], []
    for a, b in zip(points, points[1:]):
        part = clip_segment(a, b)
        if part is None:
            if current:
                pieces.append(current)
                current = []
            continue
        start, end = part
        if not current:
            current = [start]
        current.append(end)
        if end != b:  # the segment leaves the region
            pieces.append(current)
            current = []
    if current:
        pieces.append(current)
    return pieces


def clip_ring(points):
    """A polygon ring clipped to the region (Sutherland-Hodgman: the region is convex)."""
    edges = [
        (lambda p: p[0] >= LON_MIN, lambda a, b: cross_x(a, b, LON_MIN)),
        (lambda p: p[0] <= LON_MAX, lambda a, b: cross_x(a, b, LON_MAX)),
        (lambda p: p[1] >= LAT_MIN, lambda a, b: cross_y(a, b, LAT_MIN)),
        (lambda p: p[1] <= LAT_MAX, lambda a, b: cross_y(a, b, LAT_MAX)),
    ]
    for keep, cross in edges:
        out = []
        for i, p in enumerate(points):
            q = points[i - 1]
            if keep(p):
                if not keep(q):
                    out.append(cross(q, p))
                out.append(p)
            elif keep(q):
                out.append(cross(q, p))
        points = out
        if not points:
            break
    return points


def cross_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def cross_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def simplify(points):
    """Douglas-Peucker with TOLERANCE, keeping both ends."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        (ax, ay), (bx, by) = points[i], points[j]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        best, at = -1.0, None
        for k in range(i + 1, j):
            px, py = points[k]
            if norm == 0:
                d = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            else:
                d = abs(dy * (px - ax) - dx * (py - ay)) / norm
            if d > best:
                best, at = d, k
        if at is not None and best > TOLERANCE:
            keep[at] = True
            stack += [(i, at), (at, j)]
    return [p for p, k in zip(points, keep) if k]


def quantize(points):
    out = []
    for lon, lat in points:
        q = (round(lon * UNIT), round(lat * UNIT))
        if not out or out[-1] != q:
            out.append(q)
    return out


def line(kind, points):
    return kind + " " + " ".join(f"{x} {y}" for x, y in points)


def main():
    topology = json.load(open(sys.argv[1]))
    arcs = decode_arcs(topology)
    countries = topology["objects"]["countries"]["geometries"]
    # An arc two countries share is a border; one that a single country uses is its coast.
    users = {}
    for n, country in enumerate(countries):
        for polygon in polygons(country):
            for ring in polygon:
                for index in ring:
                    users.setdefault(index if index >= 0 else ~index, set()).add(n)
    out = []
    for land in topology["objects"]["land"]["geometries"]:
        for polygon in polygons(land):
            for ring in polygon:
                clipped = quantize(simplify(clip_ring(ring_points(arcs, ring))))
                if len(clipped) >= 3:
                    out.append(line("land", clipped))
    for kind, wanted in (("coast", 1), ("border", 2)):
        for index in sorted(users):
            if len(users[index]) != wanted:
                continue
            for piece in clip_line(arcs[index]):
                piece = quantize(simplify(piece))
                if len(piece) >= 2:
                    out.append(line(kind, piece))
    print("# Borders and coastline of West Africa for corridor's map charts, made by make_borders.py")
    print("# from Natural Earth 1:50m Admin 0 countries (public domain), as packaged in world-atlas 2.0.2.")
    print(f"# Region: lon {LON_MIN} to {LON_MAX}, lat {LAT_MIN} to {LAT_MAX}. Each line: land (a polygon ring),")
    print(f"# coast or border (a line), then lon lat pairs in 1/{UNIT} of a degree; region gives the")
    print("# bounds: lon min, lon max, lat min, lat max.")
    print(f"region {round(LON_MIN * UNIT)} {round(LON_MAX * UNIT)} {round(LAT_MIN * UNIT)} {round(LAT_MAX * UNIT)}")
    print("\n".join(out))


if __name__ == "__main__":
    main()
