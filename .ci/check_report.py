#!/usr/bin/env python3
"""Checks a pva report.html and a browser's screenshot of it (standard library only).

    check_report.py REPORT.html [SCREENSHOT.png] [--charts ID,ID,...]

The HTML is parsed (html.parser), not grepped: every <svg class="chart"> must have
role="img", an aria-labelledby naming its <title> (with text), a visible
<text class="chart-title">, and a <g class="axis x-axis"> and a <g class="axis y-axis">,
each with tick labels and an axis label; a map (<svg class="map">) needs its title.
Nothing may be fetched (no script, no link, no external src/href or CSS url()). With
--charts, exactly those chart ids must be present. The screenshot (PNG, decoded with
zlib and struct) must not be blank: many distinct colours and a share of non-white pixels.
Exits 1 with one line per problem.
"""
import html.parser
import re
import struct
import sys
import zlib


class Element:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children, self.text = [], ""

    def classes(self):
        return set(self.attrs.get("class", "").split())

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def all_text(self):
        return self.text + "".join(c.all_text() for c in self.children)


class Tree(html.parser.HTMLParser):
    """A document tree; void elements (and self-closed ones, as in the SVG) have no children."""
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", [], None)
        self.current = self.root
        self.problems = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        if tag not in self.VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, attrs, self.current))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if self.current.tag != tag:
            self.problems.append(f"</{tag}> closes <{self.current.tag}> (unbalanced markup)")
            node = self.current
            while node is not None and node.tag != tag:
                node = node.parent
            if node is None:
                return
            self.current = node
        self.current = self.current.parent

    def handle_data(self, data):
        self.current.text += data


def check_html(text, expected_charts=None):
    tree = Tree()
    tree.feed(text)
    tree.close()
    problems = list(tree.problems)
    if tree.current is not tree.root:
        problems.append(f"<{tree.current.tag}> is never closed")
    if not text.lstrip().lower().startswith("<!doctype html>"):
        problems.append("no <!DOCTYPE html>")
    elements = list(tree.root.walk())
    ids = {e.attrs["id"]: e for e in elements if "id" in e.attrs}
    for e in elements:
        if e.tag in ("script", "link", "iframe", "object", "embed"):
            problems.append(f"<{e.tag}> in a self-contained report")
        for name in ("src", "href", "xlink:href", "action"):
            value = e.attrs.get(name, "") or ""
            if re.match(r"\s*(https?:|//|ftp:)", value, re.I):
                problems.append(f"<{e.tag} {name}=\"{value[:60]}\"> points outside the file")
    for style in (e for e in elements if e.tag == "style"):
        if re.search(r"url\(\s*['\"]?\s*(https?:|//)|@import", style.all_text(), re.I):
            problems.append("the style fetches something (url() or @import)")
    charts = [e for e in elements if e.tag == "svg" and "chart" in e.classes()]
    maps = [e for e in elements if e.tag == "svg" and "map" in e.classes()]
    for svg in charts + maps:
        name = svg.attrs.get("id", "?")
        kind = "chart" if svg in charts else "map"
        if svg.attrs.get("role") != "img":
            problems.append(f"{kind} {name}: no role=\"img\"")
        label = ids.get(svg.attrs.get("aria-labelledby", ""))
        if label is None or label.tag != "title" or not label.all_text().strip():
            problems.append(f"{kind} {name}: aria-labelledby does not name a <title> with text")
        titles = [c for c in svg.children if c.tag == "title" and c.all_text().strip()]
        if not titles:
            problems.append(f"{kind} {name}: no <title>")
        if kind == "map":
            continue
        inside = list(svg.walk())
        if not any(e.tag == "text" and "chart-title" in e.classes() and e.all_text().strip() for e in inside):
            problems.append(f"chart {name}: no visible <text class=\"chart-title\">")
        for axis in ("x-axis", "y-axis"):
            groups = [e for e in inside if e.tag == "g" and {"axis", axis} <= e.classes()]
            if len(groups) != 1:
                problems.append(f"chart {name}: {len(groups)} <g class=\"axis {axis}\"> (want 1)")
                continue
            texts = [e for e in groups[0].walk() if e.tag == "text"]
            ticks = [e for e in texts if "tick-label" in e.classes() and e.all_text().strip()]
            labels = [e for e in texts if "axis-label" in e.classes() and e.all_text().strip()]
            if len(ticks) < 2:
                problems.append(f"chart {name}: {axis} has {len(ticks)} tick labels")
            if len(labels) != 1:
                problems.append(f"chart {name}: {axis} has no axis label")
    found = [svg.attrs.get("id", "?") for svg in charts]
    if expected_charts is not None and sorted(found) != sorted(expected_charts):
        problems.append(f"charts {found}, expected {expected_charts}")
    if not charts:
        problems.append("no chart at all")
    return problems, found, len(maps)


def decode_png(data):
    """(width, height, channels, rows of bytes) of an 8-bit PNG, any colour type, not interlaced."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    position, idat, palette = 8, b"", None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = body
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    if depth != 8 or interlace != 0:
        raise ValueError(f"unsupported PNG (depth {depth}, interlace {interlace})")
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        previous = line
    if colour == 3:  # palette: expand to RGB
        rows = [b"".join(palette[3 * v:3 * v + 3] for v in row) for row in rows]
        channels = 3
    return width, height, channels, rows


def check_screenshot(data, min_colours=64, min_ink=0.03):
    width, height, channels, rows = decode_png(data)
    colours, ink, total = set(), 0, 0
    for row in rows:
        for x in range(0, width * channels, channels):
            pixel = row[x:x + min(channels, 3)]
            colours.add(pixel)
            total += 1
            if min(pixel) < 235:
                ink += 1
    share = ink / max(1, total)
    problems = []
    if len(colours) < min_colours:
        problems.append(f"screenshot has {len(colours)} distinct colours (want at least {min_colours}): blank or unstyled")
    if share < min_ink:
        problems.append(f"screenshot is {100 * share:.1f} % non-white (want at least {100 * min_ink:.0f} %)")
    return problems, (width, height, len(colours), share)


def main(argv):
    args, expected = [], None
    i = 0
    while i < len(argv):
        if argv[i] == "--charts":
            expected = [c for c in argv[i + 1].split(",") if c]
            i += 2
        else:
            args.append(argv[i])
            i += 1
    if not args or len(args) > 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    with open(args[0], encoding="utf-8") as f:
        html_problems, charts, maps = check_html(f.read(), expected)
    problems = [f"{args[0]}: {p}" for p in html_problems]
    summary = f"{args[0]}: {len(charts)} charts ({', '.join(charts)}), {maps} map(s)"
    if len(args) == 2:
        with open(args[1], "rb") as f:
            shot_problems, (w, h, colours, share) = check_screenshot(f.read())
        problems += [f"{args[1]}: {p}" for p in shot_problems]
        summary += f"; screenshot {w}×{h}, {colours} colours, {100 * share:.1f} % non-white"
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
