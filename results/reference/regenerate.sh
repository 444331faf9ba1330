#!/usr/bin/env bash
# Regenerates results/reference/: the outputs of every shipped scenario (scenarios/ and its
# folders; calibration and sensitivity studies are skipped as pva run-set skips them) that `pva check` and CI
# compare a fresh run with. Run it from anywhere after a deliberate change to the engine or
# to a scenario, look at what moved (`git diff --stat results/reference`, `pva compare`),
# and commit the new references with the change, saying why the numbers moved.
set -euo pipefail
cd "$(dirname "$0")/../.."

# Light enough for CI (the whole set runs in well under a minute on two cores).
replicates=100
years=30

swift build -c release
.build/release/pva run-set scenarios/ --replicates "$replicates" --years "$years" --quiet --out results/reference

# A reference whose scenario is gone would never be checked again: remove it (only folders
# pva wrote, marked by .pva-results).
find results/reference -name .pva-results -type f | sort | while IFS= read -r marker; do
    folder=$(dirname "$marker")
    relative=${folder#results/reference/}
    if [ ! -f "scenarios/$relative.json" ]; then
        echo "removing $folder: scenarios/$relative.json no longer exists"
        rm -rf -- "$folder"
    fi
done
