#!/usr/bin/env python3
"""Writes the stylised Amur leopard landscape (the .asc layers in this folder).

A 5-km grid of south-west Primorye, the adjacent Chinese border and the route
east to the Lazovsky / southern Sikhote-Alin reintroduction area, drawn from
rectangles and simple shapes to the areas of MODEL.md §5. It is stylised, not
GIS-exact: see README.md here. Standard library only; deterministic (a fixed
hash, not a random generator), so running it again gives the same files.

    python3 scenarios/amur/make_layers.py
"""
import os

COLS, ROWS, CELL = 80, 50, 5.0  # 400 km east–west, 250 km north–south

# Region codes in regions.asc
LLNP, RUS_RANGE, CHINA_OCCUPIED, CHINA_NP, LAZOVSKY, RUS_OTHER = 1, 2, 3, 4, 5, 6


def noise(c, r, salt):
    """Deterministic value in [0, 1) from a cell and a salt (a 32-bit integer hash)."""
    h = (c * 73856093) ^ (r * 19349663) ^ (salt * 83492791)
    h = (h ^ (h >> 13)) * 0x5BD1E995 & 0xFFFFFFFF
    h ^= h >> 15
    return (h & 0xFFFF) / 65536.0


def cell_kind(c, r):
    """Classify a cell by its centre (x east, y north, km from the south-west corner)."""
    x, y = (c + 0.5) * CELL, (ROWS - r - 0.5) * CELL
    # The sea: Peter the Great Gulf in the south, Amur Bay and Ussuri Bay reaching north,
    # the open coast east towards Lazovsky.
    if x > 130 and y < 40:
        return "sea"
    if 160 < x < 195 and y < 140:
        return "sea"                         # Amur Bay
    if 215 < x < 240 and y < 115:
        return "sea"                         # Ussuri Bay
    if x > 240 and y < 52 - 0.05 * (x - 240):
        return "sea"
    if x > 385 and y < 120:
        return "sea"                         # coast east of Lazovsky
    # Towns and the Vladivostok peninsula: barriers.
    if 195 <= x <= 215 and y < 130:
        return "city"                        # Vladivostok and Artem
    if 270 <= x <= 285 and y < 62:
        return "city"                        # Nakhodka
    # North Korea south of the Tumen, and the lowland west of the forest in China.
    if x < 130 and y < 35:
        return "farm"
    if x < 10:
        return "farm"
    # China: the Northeast China Tiger and Leopard NP, west of the border (x = 115).
    if x < 115:
        if 40 <= y < 185:
            if x >= 85 and y < 90:
                return "china_occupied"      # Hunchun, next to the Russian park
            if 45 <= x < 70 and 100 <= y < 125:
                return "farm"                # a settled valley inside the park
            return "china_np"
        return "farm"
    # Russia, south-west Primorye.
    if x < 150 and 45 <= y < 120:
        return "llnp"                        # Land of the Leopard National Park
    if x < 150 and 35 <= y < 45:
        return "range"                       # Khasan lowland south of the park
    if x < 150 and 120 <= y < 195:
        if 125 <= x < 140 and 150 <= y < 160:
            return "farm"                    # a settled valley (Barabash-Levada)
        return "range"                       # the Borisovka plateau and the north
    if 150 <= x < 155 and 35 <= y < 195:
        return "road_strip"                  # the coastal strip with the Khasan–Razdolnoye road
    if 150 <= x < 260 and y >= 140:
        return "farm"                        # the Razdolnaya valley and Ussuriysk farmland
    # South of Ussuriysk, east of Amur Bay, towards Lazovsky: fragmented forest.
    if 330 <= x < 380 and 60 <= y < 120:
        return "lazovsky"
    if 260 <= x < 270:
        return "farm"                        # the Partizanskaya valley
    if 240 <= x < 330 or (x >= 330 and (y >= 120 or y < 60)) or (x >= 380):
        return "patch" if noise(c, r, 7) < 0.55 else "farm"
    return "farm"


def layers():
    n = COLS * ROWS
    out = {k: [None] * n for k in ["suitability", "prey", "permeability", "poaching", "roads", "protected", "regions"]}
    for r in range(ROWS):
        for c in range(COLS):
            i = r * COLS + c
            kind = cell_kind(c, r)
            x, y = (c + 0.5) * CELL, (ROWS - r - 0.5) * CELL
            v = noise(c, r, 1)
            if kind == "sea":
                continue                     # NODATA in every layer: off the map
            suit, prey, perm, poach, road, prot, region = 0.0, 0.3, 0.5, 1.0, 0.0, 0, 0
            if kind == "city":
                suit, prey, perm, poach = 0.0, 0.0, 0.0, 0.0
            elif kind == "farm":
                suit, prey, perm, poach = 0.0, 0.2, 0.15, 1.2
            elif kind == "llnp":
                suit, prey, perm, poach, prot, region = 0.9 + 0.1 * v, 0.85 + 0.15 * noise(c, r, 2), 1.0, 0.6, 1, LLNP
            elif kind == "range":
                suit, prey, perm, poach, region = 0.75 + 0.2 * v, 0.6 + 0.25 * noise(c, r, 2), 1.0, 1.2, RUS_RANGE
            elif kind == "road_strip":
                suit, prey, perm, poach, region = 0.4 + 0.2 * v, 0.5, 0.8, 1.8, RUS_RANGE
                road = 0.01                  # Khasan–Razdolnoye road: 1 % a year for a resident
            elif kind == "china_occupied":
                suit, prey, perm, poach, prot, region = 0.85 + 0.1 * v, 0.75 + 0.2 * noise(c, r, 2), 1.0, 1.0, 1, CHINA_OCCUPIED
            elif kind == "china_np":
                suit, prey, perm, poach, prot, region = 0.65 + 0.2 * v, 0.25 + 0.3 * noise(c, r, 2), 1.0, 1.3, 1, CHINA_NP
            elif kind == "lazovsky":
                suit, prey, perm, poach, prot, region = 0.85 + 0.15 * v, 0.6 + 0.3 * noise(c, r, 2), 1.0, 0.7, 1, LAZOVSKY
            elif kind == "patch":
                suit, prey, perm, poach, region = 0.5 + 0.3 * v, 0.3 + 0.3 * noise(c, r, 2), 0.9, 1.5, RUS_OTHER
            if kind == "farm" and x >= 150:
                region = RUS_OTHER
            # The Vladivostok–Nakhodka highway across the corridor.
            if kind in ("farm", "patch") and 215 <= x < 325 and 70 <= y < 75:
                road = 0.02
            out["suitability"][i] = round(suit, 2)
            out["prey"][i] = round(prey, 2)
            out["permeability"][i] = perm
            out["poaching"][i] = poach
            out["roads"][i] = road
            out["protected"][i] = prot
            out["regions"][i] = region
    return out


def write(name, values, folder):
    lines = [f"ncols {COLS}", f"nrows {ROWS}", "xllcorner 0", "yllcorner 0", "cellsize 5000", "NODATA_value -9999"]
    for r in range(ROWS):
        row = values[r * COLS:(r + 1) * COLS]
        lines.append(" ".join("-9999" if v is None else (str(int(v)) if float(v).is_integer() else f"{v:g}") for v in row))
    with open(os.path.join(folder, name + ".asc"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    folder = os.path.dirname(os.path.abspath(__file__))
    for name, values in layers().items():
        write(name, values, folder)
    codes = layers()["regions"]
    for code, label in [(LLNP, "Land of the Leopard NP"), (RUS_RANGE, "Russian range outside the park"),
                        (CHINA_OCCUPIED, "China, occupied strip"), (CHINA_NP, "China NP, rest"),
                        (LAZOVSKY, "Lazovsky"), (RUS_OTHER, "other Russian cells")]:
        cells = sum(1 for v in codes if v == code)
        print(f"{label:32s} {cells:4d} cells {cells * CELL * CELL:8.0f} km²")
