#!/usr/bin/env python3
"""Writes the Amur leopard landscape (the .asc layers in this folder).

A 5-km grid of south-west Primorye (Russia), the adjacent Chinese border and
the route east to the Lazovsky / southern Sikhote-Alin reintroduction area.

Real: the coastline, the sea, Lake Khanka and the Russia–China–DPRK borders,
from GSHHG/WDBII full resolution through GMT (`gmt select`, `gmt coast`),
projected with `gmt mapproject` to a Lambert azimuthal equal-area grid.
Placed at their real coordinates (approximate outlines, see README.md): the
Land of the Leopard NP with Kedrovaya Pad, the Northeast China Tiger and
Leopard NP, the Lazovsky reserve and Zov Tigra NP, Vladivostok–Artyom,
Ussuriysk, Nakhodka and the main roads. Stylised: habitat quality (no
land-cover data is used), drawn from zones and a fixed hash, so running the
script again gives the same files; and the distemper spillover pressure
(disease.asc), from the distance to the nearest town or village.

    apt-get install -y gmt gmt-gshhg-full      # Debian 12: GMT 6.4, GSHHG 2.3.7
    python3 scenarios/amur/make_layers.py               # writes the layers, prints the areas
    python3 scenarios/amur/make_layers.py --territories # also counts territories (MODEL.md §4.2)
"""
import atexit
import math
import os
import struct
import shutil
import subprocess
import sys
import tempfile

# --- Grid -------------------------------------------------------------------------------------
# Lambert azimuthal equal-area on the WGS84 ellipsoid, centred on the map: every cell is
# 25 km² of the real surface, so region areas are cell counts × 25 km².
PROJ = "+proj=laea +lat_0=43.8 +lon_0=132 +datum=WGS84 +units=m"
GMT_J = "-J" + PROJ.replace(" ", "")
GMT_R = "-R128.5/135.5/41.8/46"           # geographic window for the gmt calls (covers the grid)
XLL, YLL = -245000, -175000               # lower-left corner, projected metres
COLS, ROWS, CELL_M = 92, 72, 5000
CELL = CELL_M / 1000.0                    # km
SUB = 4                                   # land/water from SUB × SUB sample points per cell

# Region codes in regions.asc
LLNP, RUS_RANGE, CHINA_OCCUPIED, CHINA_NP, LAZOVSKY, RUS_OTHER, KEDROVAYA_PAD = 1, 2, 3, 4, 5, 6, 7
REGION_NAMES = {LLNP: "Land of the Leopard NP (outside Kedrovaya Pad)", KEDROVAYA_PAD: "Kedrovaya Pad",
                RUS_RANGE: "Russian range outside the park", CHINA_OCCUPIED: "China, occupied strip",
                CHINA_NP: "China NP, rest", LAZOVSKY: "Lazovsky / southern Sikhote-Alin",
                RUS_OTHER: "other Russian cells", 0: "elsewhere (China outside the park, DPRK)"}

# --- Places (longitude °E, latitude °N); sources in README.md -----------------------------------
TOWNS = {
    "Vladivostok": (131.886, 43.115), "Artyom": (132.188, 43.357), "Ussuriysk": (131.951, 43.797),
    "Nakhodka": (132.874, 42.814), "Razdolnoye": (131.911, 43.543), "Barabash": (131.50, 43.18),
    "Slavyanka": (131.38, 42.86), "Kraskino": (130.79, 42.71), "Khasan": (130.64, 42.43),
    "Hunchun": (130.36, 42.87), "Wangqing": (129.76, 43.31), "Dongning": (131.12, 44.06),
    "Partizansk": (133.12, 43.13), "Lazo": (133.90, 43.38),
}
# Villages of south-west Primorye not in TOWNS, for the disease layer only (coordinates rounded to
# 0.01°; see README.md for where they come from).
VILLAGES = {
    "Bezverkhovo": (131.49, 42.97), "Primorsky": (131.55, 43.10), "Zarubino": (131.08, 42.64),
    "Andreyevka": (131.13, 42.64), "Posyet": (130.80, 42.65),
}
SEEDS = {"RU": TOWNS["Ussuriysk"], "CN": (130.0, 44.0), "KP": (129.9, 42.35)}  # one land point per country

# Protected areas and zones: approximate outlines (lon, lat), drawn from the coordinates, areas
# and boundary descriptions cited in README.md. Polygons may reach over a border or the sea:
# they are clipped to their country's land cells.
LLNP_POLY = [  # Land of the Leopard NP: the border hills from the DPRK border north to the Razdolnaya
    (130.35, 42.40), (130.66, 42.44), (130.70, 42.58), (130.74, 42.69), (131.00, 42.83),
    (131.30, 42.95), (131.37, 43.02), (131.64, 43.12), (131.52, 43.25), (131.46, 43.45),
    (131.42, 43.60), (131.28, 43.69), (131.00, 43.73), (130.35, 42.85)]
KEDROVAYA_PAD_POLY = [  # 179 km² between the Narva (SW) and the Barabashevka (NE), 43°05′N 131°30′E
    (131.375, 43.04), (131.45, 42.985), (131.63, 43.105), (131.58, 43.16)]
RUS_RANGE_POLY = [  # the occupied Russian range: Russian land west of the Razdolnaya and Amur Bay
    (130.30, 42.20), (131.50, 42.20), (131.62, 42.95), (131.72, 43.10), (131.83, 43.30),
    (131.88, 43.50), (131.75, 43.68), (131.50, 43.80), (131.00, 43.85), (130.30, 42.90)]
CHINA_NP_POLY = [  # Northeast China Tiger and Leopard NP: 42°31′–44°15′N, 129°05′–131°19′E
    (130.58, 42.50), (130.80, 42.52), (131.40, 42.95), (131.45, 43.90), (131.15, 43.95),
    (130.95, 43.97), (130.70, 43.98), (130.40, 44.00), (130.12, 44.24), (129.92, 44.24),
    (129.80, 44.00), (129.55, 43.80), (129.35, 43.70), (129.10, 43.65), (129.08, 43.58),
    (129.25, 43.55), (129.55, 43.56), (129.80, 43.50), (129.95, 43.38), (130.05, 43.22),
    (130.15, 43.10), (130.30, 43.04), (130.45, 42.97), (130.50, 42.80), (130.52, 42.68),
    (130.50, 42.57)]
CHINA_OCCUPIED_POLY = [  # the occupied strip next to the Russian park (Hunchun)
    (130.50, 42.45), (131.40, 42.90), (131.45, 43.40), (131.00, 43.42), (130.87, 43.05),
    (130.53, 42.70)]
LAZOVSKY_RESERVE_POLY = [  # Lazovsky zapovednik, 1,210 km²: east of the Kievka valley, ~50 km of coast
    (133.90, 43.42), (133.98, 43.34), (134.20, 43.10), (134.16, 42.98), (133.95, 42.86),
    (133.72, 42.87), (133.72, 42.92), (133.82, 43.15)]
ZOV_TIGRA_POLY = [  # Zov Tigra NP, 834 km², 43°35′N 134°16′E
    (134.08, 43.47), (134.45, 43.47), (134.48, 43.71), (134.12, 43.71)]
LAZOVSKY_LINK_POLY = [  # the ridge between the reserve and Zov Tigra
    (133.95, 43.38), (134.15, 43.28), (134.35, 43.47), (134.08, 43.50)]

# Farmland and open valleys (stylised zones on real positions).
FARMLAND = {
    "the Khanka plain and the Ussuri lowland": [
        (131.70, 43.72), (132.10, 43.68), (132.45, 43.95), (132.75, 44.30), (133.10, 44.55),
        (133.30, 45.00), (133.30, 45.60), (131.95, 45.60), (131.75, 45.00), (131.60, 44.55),
        (131.55, 44.20), (131.60, 43.95)],
    "the lower Razdolnaya valley (Razdolnoye, Nadezhdinskoye)": [
        (131.86, 43.30), (132.02, 43.30), (132.08, 43.72), (131.90, 43.74), (131.90, 43.52)],
    "the Razdolnaya valley west of Ussuriysk": [
        (131.15, 44.12), (131.60, 43.90), (131.75, 43.72), (131.85, 43.78), (131.60, 44.00),
        (131.30, 44.18)],
    "the Partizanskaya valley": [
        (132.92, 42.86), (133.05, 42.86), (133.22, 43.22), (133.10, 43.26)],
}
CITIES = {  # barriers: permeability 0, suitability 0
    "Vladivostok": [(131.84, 43.02), (131.99, 43.02), (132.06, 43.13), (132.04, 43.27), (131.92, 43.27), (131.84, 43.12)],
    "Nakhodka": [(132.83, 42.76), (132.96, 42.76), (132.98, 42.88), (132.88, 42.91), (132.83, 42.84)],
}
CITY_DISCS = {"Artyom": (TOWNS["Artyom"], 6.0), "Ussuriysk": (TOWNS["Ussuriysk"], 6.0)}  # centre, radius km
SUBURBS_KM = 12   # farmland and dachas within this distance of a city centre (Russian cells outside the range)

DISEASE_KM = 10   # decay length of the distemper spillover pressure around settlements

ROADS = [  # (name, annual road mortality of a resident / per crossing, vertices)
    ("Khasan–Razdolnoye road (A189)", 0.01, [
        TOWNS["Khasan"], (130.70, 42.56), TOWNS["Kraskino"], (130.95, 42.78), (131.12, 42.84),
        (131.30, 42.90), (131.40, 43.02), TOWNS["Barabash"], (131.62, 43.24), (131.75, 43.32),
        (131.84, 43.42), TOWNS["Razdolnoye"]]),
    ("Kraskino–Hunchun road (border crossing)", 0.005, [
        TOWNS["Kraskino"], (130.70, 42.74), (130.60, 42.78), TOWNS["Hunchun"]]),
    ("Ussuriysk–Vladivostok highway (M60)", 0.02, [
        TOWNS["Ussuriysk"], TOWNS["Razdolnoye"], (131.97, 43.40), (131.97, 43.27), TOWNS["Vladivostok"]]),
    ("Vladivostok–Nakhodka highway (A188)", 0.02, [
        TOWNS["Artyom"], (132.36, 43.33), (132.55, 43.28), (132.70, 43.15), (132.80, 43.00), TOWNS["Nakhodka"]]),
]


# --- GMT ----------------------------------------------------------------------------------------
_workdir = None


def gmt(args, text=""):
    global _workdir
    if _workdir is None:   # GMT writes gmt.history into its working folder: a temporary one
        _workdir = tempfile.mkdtemp(prefix="amur-gmt-")
        atexit.register(shutil.rmtree, _workdir, True)
    try:
        done = subprocess.run(["gmt"] + args, input=text, capture_output=True, text=True, cwd=_workdir)
    except FileNotFoundError:
        sys.exit("gmt not found: apt-get install -y gmt gmt-gshhg-full")
    if done.returncode != 0:
        sys.exit(f"gmt {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def records(text):
    """Numeric rows of a GMT text table; segment headers ('>') become None."""
    out = []
    for line in text.splitlines():
        if line.startswith(">"):
            out.append(None)
        elif line.strip() and not line.startswith("#"):
            out.append([float(v) for v in line.split()])
    return out


def project(points):
    """(lon, lat) → projected (x, y) metres."""
    if not points:
        return []
    rows = records(gmt(["mapproject", GMT_R, GMT_J], "".join(f"{lon} {lat}\n" for lon, lat in points)))
    return [(r[0], r[1]) for r in rows if r is not None]


def densify(points, step=0.02):
    """Vertices every `step` degrees along each edge, so edges follow the map's curvature."""
    out = []
    for (a, b), (c, d) in zip(points, points[1:]):
        n = max(1, int(max(abs(c - a), abs(d - b)) / step))
        out += [(a + (c - a) * k / n, b + (d - b) * k / n) for k in range(n)]
    return out + [points[-1]]


def project_polygon(poly):
    closed = poly + [poly[0]] if poly[0] != poly[-1] else poly
    return project(densify(closed))


# --- Cells --------------------------------------------------------------------------------------
def centre(c, r):
    """Projected centre of the cell in column c, row r (row 0 is the northern row)."""
    return XLL + (c + 0.5) * CELL_M, YLL + (ROWS - r - 0.5) * CELL_M


def cell_of(x, y):
    c, r = int((x - XLL) // CELL_M), ROWS - 1 - int((y - YLL) // CELL_M)
    return (c, r) if 0 <= c < COLS and 0 <= r < ROWS else None


def inside(x, y, poly):
    hit = False
    for (x1, y1), (x2, y2) in zip(poly, poly[1:] + poly[:1]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def mask_of(poly_lonlat):
    poly = project_polygon(poly_lonlat)
    return [inside(*centre(i % COLS, i // COLS), poly) for i in range(COLS * ROWS)]


def noise(c, r, salt):
    """Deterministic value in [0, 1) from a cell and a salt (a 32-bit integer hash)."""
    h = (c * 73856093) ^ (r * 19349663) ^ (salt * 83492791)
    h = (h ^ (h >> 13)) * 0x5BD1E995 & 0xFFFFFFFF
    h ^= h >> 15
    return (h & 0xFFFF) / 65536.0


def surface():
    """Land, lake or sea for every cell: the majority of SUB × SUB sample points, classified
    by `gmt select` against the GSHHG full-resolution shorelines (land includes islands,
    water includes ponds on islands)."""
    points = []
    for i in range(COLS * ROWS):
        x0, y0 = XLL + (i % COLS) * CELL_M, YLL + (ROWS - 1 - i // COLS) * CELL_M
        for j in range(SUB):
            for k in range(SUB):
                points.append(f"{x0 + (k + 0.5) * CELL_M / SUB} {y0 + (j + 0.5) * CELL_M / SUB} {i}\n")
    lonlat = gmt(["mapproject", GMT_R, GMT_J, "-I"], "".join(points))
    land, lake = [0] * (COLS * ROWS), [0] * (COLS * ROWS)
    for counts, mask in ((land, "s/k/s/k/s"), (lake, "s/s/k/s/s")):
        for row in records(gmt(["select", GMT_R, "-Df", "-N" + mask], lonlat)):
            counts[int(row[2])] += 1
    half = SUB * SUB / 2
    return ["land" if land[i] >= half else ("lake" if lake[i] > SUB * SUB - land[i] - lake[i] else "sea")
            for i in range(COLS * ROWS)]


def border_segments():
    """WDBII national borders (gmt coast -N1), projected, as segments."""
    segments, previous = [], None
    for row in records(gmt(["coast", GMT_R, "-Df", "-N1", "-M"])):
        if row is None:
            previous = None
            continue
        if previous is not None:
            segments.append((previous, (row[0], row[1])))
        previous = (row[0], row[1])
    # Project every vertex in one call.
    flat = [p for s in segments for p in s]
    xy = project(flat)
    return [(xy[2 * k], xy[2 * k + 1]) for k in range(len(segments))]


def crosses(p, q, a, b):
    def orient(u, v, w):
        return (v[0] - u[0]) * (w[1] - u[1]) - (v[1] - u[1]) * (w[0] - u[0])
    d1, d2, d3, d4 = orient(a, b, p), orient(a, b, q), orient(p, q, a), orient(p, q, b)
    return (d1 > 0) != (d2 > 0) and (d3 > 0) != (d4 > 0)


def countries(kind):
    """Country of every land or lake cell: a flood fill from one seed per country between
    neighbouring cell centres whose joining segment crosses no border line. Cells the fill
    does not reach (islands) take the country of the nearest reached cell."""
    segments = border_segments()
    near = {}  # cell → border segments passing within it (sampled every 250 m)
    for s, ((x1, y1), (x2, y2)) in enumerate(segments):
        n = int(math.hypot(x2 - x1, y2 - y1) / 250) + 1
        for k in range(n + 1):
            cell = cell_of(x1 + (x2 - x1) * k / n, y1 + (y2 - y1) * k / n)
            if cell:
                near.setdefault(cell[1] * COLS + cell[0], set()).add(s)
    country = [None] * (COLS * ROWS)
    seeds = dict(zip(SEEDS, project(list(SEEDS.values()))))
    for name, (x, y) in seeds.items():
        c, r = cell_of(x, y)
        if kind[r * COLS + c] == "sea":
            sys.exit(f"seed for {name} is not on land")
        frontier = [r * COLS + c]
        country[r * COLS + c] = name
        while frontier:
            i = frontier.pop()
            ci, ri = i % COLS, i // COLS
            for cj, rj in ((ci - 1, ri), (ci + 1, ri), (ci, ri - 1), (ci, ri + 1)):
                if not (0 <= cj < COLS and 0 <= rj < ROWS):
                    continue
                j = rj * COLS + cj
                if country[j] is not None or kind[j] == "sea":
                    continue
                p, q = centre(ci, ri), centre(cj, rj)
                if any(crosses(p, q, *segments[s]) for s in near.get(i, set()) | near.get(j, set())):
                    continue
                country[j] = name
                frontier.append(j)
    reached = [i for i in range(COLS * ROWS) if country[i] is not None]
    for i in range(COLS * ROWS):
        if kind[i] != "sea" and country[i] is None:
            ci, ri = i % COLS, i // COLS
            j = min(reached, key=lambda j: ((j % COLS - ci) ** 2 + (j // COLS - ri) ** 2, j))
            country[i] = country[j]
    return country


def line_cells(vertices_lonlat):
    xy = project(densify(vertices_lonlat, 0.01))
    cells = set()
    for (x1, y1), (x2, y2) in zip(xy, xy[1:]):
        n = int(math.hypot(x2 - x1, y2 - y1) / 250) + 1
        for k in range(n + 1):
            cell = cell_of(x1 + (x2 - x1) * k / n, y1 + (y2 - y1) * k / n)
            if cell:
                cells.add(cell[1] * COLS + cell[0])
    return cells


# --- Layers -------------------------------------------------------------------------------------
def build():
    n = COLS * ROWS
    kind = surface()
    country = countries(kind)
    llnp, kp, rng = mask_of(LLNP_POLY), mask_of(KEDROVAYA_PAD_POLY), mask_of(RUS_RANGE_POLY)
    cnp, cocc = mask_of(CHINA_NP_POLY), mask_of(CHINA_OCCUPIED_POLY)
    laz = [a or b or c for a, b, c in zip(mask_of(LAZOVSKY_RESERVE_POLY), mask_of(ZOV_TIGRA_POLY), mask_of(LAZOVSKY_LINK_POLY))]
    farm = [False] * n
    for poly in FARMLAND.values():
        farm = [a or b for a, b in zip(farm, mask_of(poly))]
    city = [False] * n
    for poly in CITIES.values():
        city = [a or b for a, b in zip(city, mask_of(poly))]
    for (lonlat, radius) in CITY_DISCS.values():
        (x, y), = project([lonlat])
        for i in range(n):
            cx, cy = centre(i % COLS, i // COLS)
            if math.hypot(cx - x, cy - y) <= radius * 1000:
                city[i] = True
    suburb = [False] * n
    for lonlat in (TOWNS[t] for t in ("Vladivostok", "Artyom", "Ussuriysk", "Nakhodka")):
        (x, y), = project([lonlat])
        for i in range(n):
            cx, cy = centre(i % COLS, i // COLS)
            if math.hypot(cx - x, cy - y) <= SUBURBS_KM * 1000:
                suburb[i] = True
    road = [0.0] * n
    for _, mortality, vertices in ROADS:
        for i in line_cells(vertices):
            road[i] = max(road[i], mortality)
    # Sea neighbours (8-neighbourhood): the coastal lowland of the Russian range.
    def touches_sea(i):
        c, r = i % COLS, i // COLS
        return any(0 <= c + dc < COLS and 0 <= r + dr < ROWS and kind[(r + dr) * COLS + c + dc] == "sea"
                   for dc in (-1, 0, 1) for dr in (-1, 0, 1))

    out = {k: [None] * n for k in ["suitability", "prey", "permeability", "poaching", "roads", "protected", "regions"]}
    cls = [None] * n
    for i in range(n):
        if kind[i] != "land":
            continue                                       # sea and Lake Khanka: NODATA, off the map
        c, r = i % COLS, i // COLS
        v, w = noise(c, r, 1), noise(c, r, 2)
        region, k = 0, "farm"
        if country[i] == "RU":
            if city[i]:
                region, k = RUS_OTHER, "city"
            elif kp[i]:
                region, k = KEDROVAYA_PAD, "llnp"
            elif llnp[i]:
                region, k = LLNP, "llnp"
            elif rng[i]:
                region = RUS_RANGE
                k = "farm" if farm[i] else ("coast" if touches_sea(i) or road[i] > 0 else "range")
            elif laz[i]:
                region, k = LAZOVSKY, "lazovsky"
            else:
                region = RUS_OTHER
                k = "farm" if farm[i] or suburb[i] else ("patch" if noise(c, r, 7) < 0.55 else "farm")
        elif country[i] == "CN" and cnp[i]:
            region, k = (CHINA_OCCUPIED, "china_occupied") if cocc[i] else (CHINA_NP, "china_np")
        cls[i] = k
        suit, prey, perm, poach, prot = 0.0, 0.3, 0.5, 1.0, 0
        if k == "city":
            suit, prey, perm, poach = 0.0, 0.0, 0.0, 0.0
        elif k == "farm":
            suit, prey, perm, poach = 0.0, 0.2, 0.15, 1.2
        elif k == "llnp":
            suit, prey, perm, poach, prot = 0.9 + 0.1 * v, 0.85 + 0.15 * w, 1.0, 0.6, 1
        elif k == "range":
            suit, prey, perm, poach = 0.75 + 0.2 * v, 0.6 + 0.25 * w, 1.0, 1.2
        elif k == "coast":
            suit, prey, perm, poach = 0.4 + 0.2 * v, 0.5, 0.8, 1.8
        elif k == "china_occupied":
            suit, prey, perm, poach, prot = 0.85 + 0.1 * v, 0.75 + 0.2 * w, 1.0, 1.0, 1
        elif k == "china_np":
            suit, prey, perm, poach, prot = 0.65 + 0.2 * v, 0.25 + 0.3 * w, 1.0, 1.3, 1
        elif k == "lazovsky":
            suit, prey, perm, poach, prot = 0.85 + 0.15 * v, 0.6 + 0.3 * w, 1.0, 0.7, 1
        elif k == "patch":
            suit, prey, perm, poach = 0.5 + 0.3 * v, 0.3 + 0.3 * w, 0.9, 1.5
        out["suitability"][i] = round(suit, 2)
        out["prey"][i] = round(prey, 2)
        out["permeability"][i] = perm
        out["poaching"][i] = poach
        out["roads"][i] = 0.0 if k == "city" else road[i]
        out["protected"][i] = prot
        out["regions"][i] = region
    return out, {"kind": kind, "country": country, "class": cls}


def disease(kind):
    """Canine-distemper spillover pressure from village and domestic dogs (stylised): a multiplier
    1 + 2 exp(−d / DISEASE_KM) on exposure, d the distance in km from the cell centre to the nearest
    town or village (TOWNS, VILLAGES); NODATA on the sea and Lake Khanka, as the other layers."""
    places = project(list(TOWNS.values()) + list(VILLAGES.values()))
    out = [None] * (COLS * ROWS)
    for i in range(COLS * ROWS):
        if kind[i] != "land":
            continue
        cx, cy = centre(i % COLS, i // COLS)
        d = min(math.hypot(cx - x, cy - y) for x, y in places) / 1000.0
        out[i] = round(1 + 2 * math.exp(-d / DISEASE_KM), 3)
    return out


def write(name, values, folder, decimals=None):
    """An ESRI ASCII grid; values as the shortest decimal (%g), or with `decimals` fixed decimals."""
    lines = [f"ncols {COLS}", f"nrows {ROWS}", f"xllcorner {XLL}", f"yllcorner {YLL}", f"cellsize {CELL_M}",
             "NODATA_value -9999"]
    fmt = (lambda v: f"{v:.{decimals}f}") if decimals is not None else \
        (lambda v: str(int(v)) if float(v).is_integer() else f"{v:g}")
    for r in range(ROWS):
        row = values[r * COLS:(r + 1) * COLS]
        lines.append(" ".join("-9999" if v is None else fmt(v) for v in row))
    with open(os.path.join(folder, name + ".asc"), "w") as f:
        f.write("\n".join(lines) + "\n")


def cells_with(regions, codes):
    return [i for i, v in enumerate(regions) if v in codes]


def distance_km(a, b):
    return math.hypot(a % COLS - b % COLS, a // COLS - b // COLS) * CELL


# --- Territories (a mirror of TerritoryLayout, MODEL.md §4.2) ----------------------------------
def territory_counts(layers, requirement, codes, maximum_area=300.0, per_male=2):
    """Female and male territories whose home cell lies in `codes`, laid out as the engine does."""
    n = COLS * ROWS
    value = [0.0] * n
    f32 = lambda v: struct.unpack("f", struct.pack("f", v))[0]   # the engine stores layers as Float
    for i in range(n):
        s, p = layers["suitability"][i], layers["prey"][i]
        if s is not None and f32(s) > 0:
            value[i] = f32(s) * min(1.0, f32(p)) * CELL * CELL
    def nbrs(i):
        c, r = i % COLS, i // COLS
        if c > 0: yield i - 1
        if c + 1 < COLS: yield i + 1
        if r > 0: yield i - COLS
        if r + 1 < ROWS: yield i + COLS
    owner = [-1] * n
    females = []
    max_cells = max(1, int(maximum_area / (CELL * CELL) + 1e-9))
    for seed in sorted((i for i in range(n) if value[i] > 0), key=lambda i: (-value[i], i)):
        if owner[seed] >= 0:
            continue
        tid = len(females)
        cells, total, frontier = [seed], value[seed], []
        owner[seed] = tid
        def push(c):
            for nb in nbrs(c):
                if owner[nb] < 0 and value[nb] > 0 and nb not in frontier:
                    frontier.append(nb)
        push(seed)
        while total < requirement - 1e-9 and len(cells) < max_cells and frontier:
            best = max(frontier, key=lambda a: (value[a], -a))
            frontier.remove(best)
            owner[best] = tid
            cells.append(best)
            total += value[best]
            push(best)
        if total >= requirement - 1e-9:
            females.append(cells)
        else:
            for c in cells:
                owner[c] = -1
    def centroid_of(t):   # km, as Landscape.centre: x east from the west edge, y north from the south edge
        x = y = 0.0
        for c in t:
            x += (c % COLS + 0.5) * CELL
            y += (ROWS - c // COLS - 0.5) * CELL
        return x / len(t), y / len(t)
    centroid = [centroid_of(t) for t in females]
    def dist(a, b):
        return math.sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]))
    adjacent = [set() for _ in females]
    for t, cells in enumerate(females):
        for c in cells:
            for nb in nbrs(c):
                if owner[nb] >= 0 and owner[nb] != t:
                    adjacent[t].add(owner[nb])
    male_of, males = [-1] * len(females), []
    for t in range(len(females)):
        if male_of[t] >= 0:
            continue
        group = [t]
        male_of[t] = len(males)
        while len(group) < per_male:
            cand = [a for g in group for a in adjacent[g] if male_of[a] < 0]
            if not cand:
                break
            nxt = min(cand, key=lambda a: (dist(centroid[a], centroid[t]), a))
            male_of[nxt] = len(males)
            group.append(nxt)
        males.append(group)
    reg = layers["regions"]
    f = sum(1 for t in females if reg[t[0]] in codes)
    m = sum(1 for g in males if reg[females[g[0]][0]] in codes)
    return f, m


if __name__ == "__main__":
    folder = os.path.dirname(os.path.abspath(__file__))
    layers, info = build()
    for name, values in layers.items():
        write(name, values, folder)
    write("disease", disease(info["kind"]), folder, decimals=3)
    regions = layers["regions"]
    land = sum(1 for v in regions if v is not None)
    print(f"grid {COLS} × {ROWS} cells of {CELL:g} km ({COLS * ROWS} cells, {land} on land); {PROJ}")
    for code in (LLNP, KEDROVAYA_PAD, RUS_RANGE, CHINA_OCCUPIED, CHINA_NP, LAZOVSKY, RUS_OTHER, 0):
        cells = len(cells_with(regions, {code}))
        print(f"  {code}  {REGION_NAMES[code]:48s} {cells:5d} cells {cells * CELL * CELL:8.0f} km²")
    for label, codes in (("Land of the Leopard NP (1, 7)", {1, 7}), ("Russian range (1, 2, 7)", {1, 2, 7}),
                         ("China: NE China Tiger and Leopard NP (3, 4)", {3, 4})):
        print(f"  {label:51s} {len(cells_with(regions, codes)) * CELL * CELL:14.0f} km²")
    park, lazovsky = cells_with(regions, {LLNP, KEDROVAYA_PAD}), cells_with(regions, {LAZOVSKY})
    print(f"park to Lazovsky (nearest cell centres): {min(distance_km(a, b) for a in park for b in lazovsky):.1f} km")
    if "--territories" in sys.argv:
        for requirement in (20, 25, 30, 45):
            f, m = territory_counts(layers, requirement, {LLNP, RUS_RANGE, KEDROVAYA_PAD})
            print(f"female requirement {requirement} km²: Russian range holds {f} female + {m} male = {f + m} territories")
