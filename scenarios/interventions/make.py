#!/usr/bin/env python3
"""Writes one scenario per intervention: the Amur default (../amur-leopard.json)
with that single intervention added, so that each can be run and compared with
the default. Run it again whenever the default changes; a test checks that the
files are the default plus their intervention and nothing else.

    python3 scenarios/interventions/make.py
"""
import collections
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = os.path.join(HERE, "..", "amur-leopard.json")

# name: (one-line description, the intervention)
INTERVENTIONS = collections.OrderedDict([
    ("anti-poaching", ("Rangers halve poaching across the whole range from 2026.",
        {"type": "antiPoaching", "name": "rangers", "startYear": 2026, "endYear": 2125, "effectiveness": 0.5})),
    ("prey-recovery-china", ("Ungulate recovery in the prey-poor Chinese national park: capacity doubled, hunting halved, from 2026.",
        {"type": "preyRecovery", "name": "prey recovery in China", "startYear": 2026, "endYear": 2125,
         "region": "China: NE China Tiger and Leopard NP", "capacityIncrease": 1.0, "huntingReduction": 0.5})),
    ("habitat-protection", ("All habitat protected from 2026: no conversion, and fire suppression spares half the burning cells.",
        {"type": "habitatProtection", "name": "protection and fire suppression", "startYear": 2026, "endYear": 2125, "fireReduction": 0.5})),
    ("restoration", ("Forest restoration in the Russian range outside the park: suitability +0.2 over 2026-2045.",
        {"type": "restoration", "name": "restoration outside the park", "startYear": 2026, "endYear": 2045,
         "region": "Russian range outside the park", "suitabilityIncrease": 0.2, "years": 20})),
    ("narva-tunnel", ("The Narva wildlife tunnel under the Khasan-Razdolnoye road (opened 2016), modelled from 2026 as road mortality down 90 % in its cells.",
        {"type": "corridor", "name": "Narva tunnel", "startYear": 2026, "endYear": 2125,
         "cells": "NARVA_CELLS", "permeability": 1, "roadMortalityReduction": 0.9})),
    ("vaccination", ("Distemper vaccination of a fifth of the animals in the national park each year (captured and released), efficacy 0.9 for 3 years, from 2026.",
        {"type": "vaccination", "name": "vaccination in the park", "startYear": 2026, "endYear": 2125,
         "region": "Land of the Leopard NP", "share": 0.2, "target": "all", "efficacy": 0.9, "durationYears": 3})),
    ("dog-management", ("Village dog vaccination and control halve distemper spillover in the Russian range from 2026.",
        {"type": "dogManagement", "name": "dog management", "startYear": 2026, "endYear": 2125,
         "region": "Russian range", "effectiveness": 0.5})),
])

# The Narva tunnel's cells (row, column) on the 5-km grid: the A189's road cells from the Narva
# valley (about 131.37-131.40 E, 43.02-43.04 N) to the Narvinsky pass (km 76 of the road, about
# 43.09-43.11 N, 131.43-131.44 E; no published coordinates), projected as make_layers.py does; at
# 5 km the 0.56-km tunnel acts on the road of the cells its section may lie in.
NARVA_CELLS = [[52, 39], [53, 39], [54, 38], [54, 39]]


def main():
    with open(DEFAULT) as f:
        base = json.load(f, object_pairs_hook=collections.OrderedDict)
    for name, (description, intervention) in INTERVENTIONS.items():
        s = json.loads(json.dumps(base), object_pairs_hook=collections.OrderedDict)
        s["name"] = base["name"] + ": " + intervention["name"]
        s["description"] = description + " Otherwise the Amur default (scenarios/amur-leopard.json), written by scenarios/interventions/make.py."
        layers = s["landscape"]["layers"]
        for key in layers:
            layers[key] = "../" + layers[key]
        entry = collections.OrderedDict(intervention)
        if entry.get("cells") == "NARVA_CELLS":
            entry["cells"] = NARVA_CELLS
        s["interventions"] = [entry]
        with open(os.path.join(HERE, name + ".json"), "w") as f:
            json.dump(s, f, indent=2, ensure_ascii=False)
            f.write("\n")


if __name__ == "__main__":
    main()
