#!/usr/bin/env python3
"""Draws the Amur layers as a PNG for a visual check (Python standard library only).

    python3 scenarios/amur/render_png.py [out.png] [pixels per cell, default 6]

Sea and Lake Khanka (NODATA) blue; barriers (permeability 0: cities) black; farmland
(suitability 0, passable) tan; habitat green, darker for more suitability × prey; road cells
red (a square in the middle of the cell); the Russian border dark red. Region outlines on the inner side of each region's edge: Land of the Leopard NP orange,
Kedrovaya Pad yellow, the rest of the Russian range magenta, China's occupied strip cyan,
the rest of the Chinese park blue, Lazovsky purple.
"""
import os
import struct
import sys
import zlib

FOLDER = os.path.dirname(os.path.abspath(__file__))
OUTLINE = {1: (230, 120, 0), 7: (250, 220, 0), 2: (200, 0, 200), 3: (0, 200, 220), 4: (40, 60, 220), 5: (130, 40, 170)}


def read(name):
    with open(os.path.join(FOLDER, name + ".asc")) as f:
        lines = f.read().split("\n")
    header = {l.split()[0].lower(): l.split()[1] for l in lines[:6]}
    cols, rows, nodata = int(header["ncols"]), int(header["nrows"]), float(header["nodata_value"])
    values = [None if float(v) == nodata else float(v) for l in lines[6:6 + rows] for v in l.split()]
    return cols, rows, values


def write_png(path, width, height, pixels):
    raw = b"".join(b"\x00" + bytes(v for p in row for v in p) for row in pixels)
    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "amur-map.png"
    s = int(sys.argv[2]) if len(sys.argv) > 2 else 6
    cols, rows, suit = read("suitability")
    _, _, prey = read("prey")
    _, _, perm = read("permeability")
    _, _, roads = read("roads")
    _, _, region = read("regions")
    img = [[(0, 0, 0)] * (cols * s) for _ in range(rows * s)]
    for i in range(cols * rows):
        if suit[i] is None:
            colour = (150, 190, 235)
        elif perm[i] == 0:
            colour = (20, 20, 20)
        elif suit[i] == 0:
            colour = (225, 205, 150)
        else:
            q = suit[i] * min(1.0, prey[i])
            colour = (int(200 - 170 * q), int(235 - 95 * q), int(190 - 160 * q))
        c, r = i % cols, i // cols
        for y in range(r * s, r * s + s):
            img[y][c * s:c * s + s] = [colour] * s
        if roads[i] and roads[i] > 0 and perm[i] > 0:   # a road: a red square in the middle
            for y in range(r * s + s // 3, r * s + s - s // 3):
                img[y][c * s + s // 3:c * s + s - s // 3] = [(220, 30, 30)] * (s - 2 * (s // 3))
    w = max(1, s // 4)
    russian = {1, 2, 5, 6, 7}
    for i in range(cols * rows):   # the Russian border: a dark red line between land cells
        if region[i] not in russian:
            continue
        c, r = i % cols, i // cols
        for dc, dr in ((-1, 0), (1, 0), (0, -1), (0, 1)):
            cj, rj = c + dc, r + dr
            if not (0 <= cj < cols and 0 <= rj < rows) or region[rj * cols + cj] is None or region[rj * cols + cj] in russian:
                continue
            for k in range(s):
                x = c * s + (k if dc == 0 else (0 if dc < 0 else s - 1))
                y = r * s + (k if dr == 0 else (0 if dr < 0 else s - 1))
                img[y][x] = (120, 0, 0)
    for i in range(cols * rows):
        code = region[i]
        if code not in OUTLINE:
            continue
        c, r = i % cols, i // cols
        for dc, dr in ((-1, 0), (1, 0), (0, -1), (0, 1)):
            cj, rj = c + dc, r + dr
            other = region[rj * cols + cj] if 0 <= cj < cols and 0 <= rj < rows else None
            if other == code:
                continue
            for k in range(s):
                for t in range(w):
                    x = c * s + (k if dc == 0 else (t if dc < 0 else s - 1 - t))
                    y = r * s + (k if dr == 0 else (t if dr < 0 else s - 1 - t))
                    img[y][x] = OUTLINE[code]
    write_png(out, cols * s, rows * s, img)
    print(f"wrote {out} ({cols * s} × {rows * s} px)")


if __name__ == "__main__":
    main()
