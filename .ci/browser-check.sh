#!/usr/bin/env bash
# report.html in a real browser: headless Chromium renders the report of a short spatial
# and a short non-spatial run (a comparison's and two sensitivity studies' too) to a PNG, and .ci/check_report.py (Python 3, standard library
# only) fails unless each screenshot is not blank and every chart of the page has its
# title and both axes (the HTML is parsed, not grepped), with no script or external URL.
# Chromium is Debian's package, installed with apt-get when it is missing.
#
#   .ci/browser-check.sh          the check (CI calls it from .ci/run)
#   .ci/browser-check.sh --docs   also renders the default scenario as it stands (1,000
#                                 replicates x 100 years), checks it and writes
#                                 docs/report-screenshot.png (the README's picture)
set -euo pipefail
cd "$(dirname "$0")/.."

docs=false
case "${1:-}" in
  "") ;;
  --docs) docs=true ;;
  *) echo "usage: .ci/browser-check.sh [--docs]" >&2; exit 2 ;;
esac

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    sudo=()
  elif command -v sudo > /dev/null; then
    sudo=(sudo -n)
  else
    echo "browser check: chromium is missing and apt-get needs root (no sudo here)" >&2
    exit 1
  fi
  echo "browser check: installing Debian's chromium"
  export DEBIAN_FRONTEND=noninteractive
  if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium > /dev/null; then
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q > /dev/null
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium > /dev/null
  fi
  browser=$(command -v chromium)
fi
echo "browser check: $("$browser" --version 2> /dev/null || echo "$browser")"

[ -x .build/release/pva ] || swift build -c release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# shot REPORT PNG: the page as an A4-shaped window (1240 x 1754 px, A4 at 150 dpi) shows it.
shot() {
  if ! timeout 180 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
      --user-data-dir="$work/profile" --screenshot="$2" --window-size=1240,1754 "file://$1" > "$work/browser.log" 2>&1 \
      || [ ! -s "$2" ]; then
    cat "$work/browser.log" >&2
    echo "browser check: chromium did not render $1" >&2
    exit 1
  fi
}

spatial=chart-population,chart-extinction,chart-gene-diversity,chart-deaths,chart-breeding,chart-second-population
.build/release/pva run scenarios/amur-leopard.json --replicates 20 --years 20 --quiet --out "$work/spatial" > /dev/null
shot "$work/spatial/report.html" "$work/spatial.png"
python3 .ci/check_report.py "$work/spatial/report.html" "$work/spatial.png" --charts "$spatial"

.build/release/pva run scenarios/amur-leopard-nonspatial.json --replicates 20 --years 30 --quiet --out "$work/nonspatial" > /dev/null
shot "$work/nonspatial/report.html" "$work/nonspatial.png"
python3 .ci/check_report.py "$work/nonspatial/report.html" "$work/nonspatial.png" \
  --charts chart-population,chart-extinction,chart-deaths,chart-breeding

# A comparison's report: the baseline and one intervention, overlaid, with the forest plots.
.build/release/pva run scenarios/interventions/anti-poaching.json --replicates 20 --years 20 --quiet --out "$work/anti-poaching" > /dev/null
.build/release/pva compare "$work/spatial" "$work/anti-poaching" --out "$work/comparison" > /dev/null
shot "$work/comparison/report.html" "$work/comparison.png"
python3 .ci/check_report.py "$work/comparison/report.html" "$work/comparison.png" \
  --charts chart-compare-n,chart-compare-pe,chart-compare-gene-diversity,chart-forest-pe,chart-forest-n

# A sensitivity study's report: the shipped one-at-a-time study (tornado charts of its four
# outcomes) and a small Latin-hypercube study of the non-spatial scenario (tornado charts and
# a scatter plot per parameter and outcome).
.build/release/pva sensitivity scenarios/sensitivity/amur-default.json --replicates 4 --quiet --out "$work/oat" > /dev/null
shot "$work/oat/report.html" "$work/oat.png"
python3 .ci/check_report.py "$work/oat/report.html" "$work/oat.png" \
  --charts chart-tornado-PE,chart-tornado-meanN,chart-tornado-geneDiversity,chart-tornado-secondPopulation
cat > "$work/lhs.json" << EOF
{"format": 1, "name": "browser check", "scenario": "$PWD/scenarios/amur-leopard-nonspatial.json", "design": "lhs",
 "draws": 20, "replicatesPerDraw": 20, "years": 50, "seed": 7,
 "parameters": [{"path": "species.mortality[4].female", "low": 0.1, "high": 0.35},
                {"path": "species.breeding.probability", "low": 0.5, "high": 0.95}]}
EOF
.build/release/pva sensitivity "$work/lhs.json" --quiet --out "$work/lhs" > /dev/null
shot "$work/lhs/report.html" "$work/lhs.png"
python3 .ci/check_report.py "$work/lhs/report.html" "$work/lhs.png" \
  --charts chart-tornado-PE,chart-scatter-PE-0,chart-scatter-PE-1,chart-tornado-meanN,chart-scatter-meanN-0,chart-scatter-meanN-1

if $docs; then
  .build/release/pva run scenarios/amur-leopard.json --quiet --out "$work/default" > /dev/null
  shot "$work/default/report.html" "$work/default.png"
  python3 .ci/check_report.py "$work/default/report.html" "$work/default.png" --charts "$spatial"
  echo "browser check: the default run's report.html is $(wc -c < "$work/default/report.html") bytes"
  mkdir -p docs
  cp "$work/default.png" docs/report-screenshot.png
  echo "browser check: wrote docs/report-screenshot.png ($(wc -c < docs/report-screenshot.png) bytes)"
fi
