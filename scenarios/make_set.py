#!/usr/bin/env python3
"""Writes the Amur scenario set from the default (amur-leopard.json), so that every
scenario differs from the default only by what it is about and can be compared with it:

  interventions/<name>.json   the default plus one intervention
  reintroduction/<name>.json  the default plus one release design (a second population
                              in the Lazovsky / southern Sikhote-Alin area)
  combined-plan.json          the default plus the interventions and a release design together

Run it again whenever the default changes; tests check that the files are the default
plus their additions and nothing else.

    python3 scenarios/make_set.py
"""
import collections
import copy
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = os.path.join(HERE, "amur-leopard.json")
LAZOVSKY = "Lazovsky / southern Sikhote-Alin"
PARK = "Land of the Leopard NP"
SUFFIX = " Otherwise the Amur default (scenarios/amur-leopard.json), written by scenarios/make_set.py."

# The Narva tunnel's cells (row, column) on the 5-km grid: the A189's road cells from the Narva
# valley (about 131.37-131.40 E, 43.02-43.04 N) to the Narvinsky pass (km 76 of the road, about
# 43.09-43.11 N, 131.43-131.44 E; no published coordinates), projected as amur/make_layers.py does;
# at 5 km the 0.56-km tunnel acts on the road of the cells its section may lie in.
NARVA_CELLS = [[52, 39], [53, 39], [54, 38], [54, 39]]
# The Kraskino-Hunchun road's cells (the only road through the park to China; roads.asc 0.005),
# three of them farmland near Hunchun (permeability 0.15).
KRASKINO_HUNCHUN_CELLS = [[57, 22], [57, 23], [58, 23], [58, 24], [58, 25], [59, 25], [59, 26], [60, 27], [60, 28]]

# name: (description, the intervention)
INTERVENTIONS = collections.OrderedDict([
    ("anti-poaching", ("Rangers halve poaching across the whole range from 2026 (the national park's patrol and camera-trap enforcement, extended).",
        {"type": "antiPoaching", "name": "rangers", "startYear": 2026, "endYear": 2125, "effectiveness": 0.5})),
    ("prey-recovery-china", ("Ungulate recovery in the prey-poor Chinese national park: capacity doubled, hunting halved, from 2026 (the Northeast China Tiger and Leopard NP's prey restoration).",
        {"type": "preyRecovery", "name": "prey recovery in China", "startYear": 2026, "endYear": 2125,
         "region": "China: NE China Tiger and Leopard NP", "capacityIncrease": 1.0, "huntingReduction": 0.5})),
    ("habitat-protection", ("All habitat protected from 2026: no conversion, and fire suppression spares half the burning cells (fire is the park's main habitat threat).",
        {"type": "habitatProtection", "name": "protection and fire suppression", "startYear": 2026, "endYear": 2125, "fireReduction": 0.5})),
    ("restoration", ("Forest restoration in the Russian range outside the park: suitability +0.2 over 2026-2045.",
        {"type": "restoration", "name": "restoration outside the park", "startYear": 2026, "endYear": 2045,
         "region": "Russian range outside the park", "suitabilityIncrease": 0.2, "years": 20})),
    ("narva-tunnel", ("The Narva wildlife tunnel under the Khasan-Razdolnoye road (opened 2016), modelled from 2026 as road mortality down 90 % in its cells.",
        {"type": "corridor", "name": "Narva tunnel", "startYear": 2026, "endYear": 2125,
         "cells": NARVA_CELLS, "permeability": 1, "roadMortalityReduction": 0.9})),
    ("china-corridor", ("A corridor to China (the transboundary link the Russian and Chinese parks agreed on): crossings on the Kraskino-Hunchun road, its road mortality down 90 % and its farmland cells made fully permeable, from 2026. The map has no border fence, so this is all a corridor can change here.",
        {"type": "corridor", "name": "corridor to China", "startYear": 2026, "endYear": 2125,
         "cells": KRASKINO_HUNCHUN_CELLS, "permeability": 1, "roadMortalityReduction": 0.9})),
    ("vaccination", ("Distemper vaccination of a fifth of the animals in the national park each year (captured and released), efficacy 0.9 for 3 years, from 2026.",
        {"type": "vaccination", "name": "vaccination in the park", "startYear": 2026, "endYear": 2125,
         "region": PARK, "share": 0.2, "target": "all", "efficacy": 0.9, "durationYears": 3})),
    ("dog-management", ("Village dog vaccination and control halve distemper spillover in the Russian range from 2026.",
        {"type": "dogManagement", "name": "dog management", "startYear": 2026, "endYear": 2125,
         "region": "Russian range", "effectiveness": 0.5})),
])

# The captive source: the zoo population (EEP and partners) descends from few founders. Stylised:
# 10 founders, mean kinship 0.1 (gene diversity about 0.90), released animals' F 0.1.
ZOO = {"name": "zoo", "type": "captive", "founders": 10, "kinship": 0.1, "inbreeding": 0.1}
WILD = {"name": "national park", "type": "translocation", "region": PARK}
PLAN = ("The plan discussed by the Amur Leopard and Tiger Alliance and the Russian authorities: a second "
        "population of about 30 leopards in the Lazovsky / southern Sikhote-Alin area within 15-20 years. ")


def group(name, source, first, last, females, males, age=None, region=LAZOVSKY, **extra):
    g = collections.OrderedDict([("name", name), ("source", source), ("region", region),
                                 ("startYear", first), ("endYear", last)])
    ages = {"age": age} if isinstance(age, int) else {"minAge": age[0], "maxAge": age[1]}
    g["animals"] = [dict(sex="female", count=females, **ages), dict(sex="male", count=males, **ages)]
    g.update(extra)
    return g


# name: (description, sources, groups)
REINTRODUCTION = collections.OrderedDict([
    ("zoo-yearlings-10-years", (PLAN + "Few over many years: zoo-born cubs reared in large enclosures and released at 12-18 months (age 1), one female and one male a year 2027-2036 (20 animals), released the hard way (first-year survival x 0.7).",
        [ZOO], [group("zoo yearlings", "zoo", 2027, 2036, 1, 1, age=1)])),
    ("zoo-yearlings-2-years", (PLAN + "Many over few years: the same 20 zoo-born yearlings, five females and five males a year 2027-2028.",
        [ZOO], [group("zoo yearlings", "zoo", 2027, 2028, 5, 5, age=1)])),
    ("zoo-adults-10-years", (PLAN + "Adults instead of young: zoo-born animals released at 3, one female and one male a year 2027-2036 (20 animals).",
        [ZOO], [group("zoo adults", "zoo", 2027, 2036, 1, 1, age=3)])),
    ("zoo-female-biased", (PLAN + "Female-biased: two female and one male zoo-born yearlings a year 2027-2033 (21 animals), against the even design zoo-yearlings-10-years.",
        [ZOO], [group("zoo yearlings", "zoo", 2027, 2033, 2, 1, age=1)])),
    ("zoo-soft-release", (PLAN + "Soft release: the zoo-born yearlings of zoo-yearlings-10-years held a year in an enclosure at the release site (no breeding, fed and fenced), then set free; the acclimatisation is assumed to raise first-year survival from 0.7 to 0.85.",
        [ZOO], [group("zoo yearlings", "zoo", 2027, 2036, 1, 1, age=1, softRelease=True, postReleaseSurvival=0.85)])),
    ("wild-translocation", (PLAN + "Translocation from the wild instead of the zoo (as the 2023 release of three wild leopards in the Ussuri reserve): one female and one male aged 3-8 a year 2027-2036 taken from the national park (the source pays; summary.json reports the park with and without the removals). A fifth walk off after release (a male that reached Lazovsky moved on 300-400 km).",
        [WILD], [group("wild adults", "national park", 2027, 2036, 1, 1, age=[3, 8],
                       dispersal={"probability": 0.2, "meanDistanceKm": 100})])),
    ("wild-translocation-with-supplementation", (PLAN + "The translocation of wild-translocation, with the national park supplemented in return: one female and one male zoo-born yearling a year 2027-2036 released in the park.",
        [WILD, ZOO], [group("wild adults", "national park", 2027, 2036, 1, 1, age=[3, 8],
                            dispersal={"probability": 0.2, "meanDistanceKm": 100}),
                      group("zoo yearlings to the park", "zoo", 2027, 2036, 1, 1, age=1, region=PARK)])),
])

COMBINED = ("A combined plan: anti-poaching, prey recovery in China, habitat protection, the corridor to China and the "
            "Narva tunnel, vaccination and dog management as in scenarios/interventions/, plus a second population: "
            "soft-released zoo-born yearlings in Lazovsky as in reintroduction/zoo-soft-release, with anti-poaching and "
            "prey recovery (capacity +30 %, hunting halved) there from 2026.")


def load_default():
    with open(DEFAULT) as f:
        return json.load(f, object_pairs_hook=collections.OrderedDict)


def derived(base, name, description, folder):
    s = copy.deepcopy(base)
    s["name"] = base["name"] + ": " + name
    s["description"] = description + SUFFIX
    if folder:
        layers = s["landscape"]["layers"]
        for key in layers:
            layers[key] = "../" + layers[key]
    return s


def write(s, path):
    with open(os.path.join(HERE, path), "w") as f:
        json.dump(s, f, indent=2, ensure_ascii=False)
        f.write("\n")


def main():
    base = load_default()
    for name, (description, intervention) in INTERVENTIONS.items():
        s = derived(base, intervention["name"], description, folder=True)
        s["interventions"] = [intervention]
        write(s, os.path.join("interventions", name + ".json"))
    os.makedirs(os.path.join(HERE, "reintroduction"), exist_ok=True)
    for name, (description, sources, groups) in REINTRODUCTION.items():
        s = derived(base, name.replace("-", " "), description, folder=True)
        s["releases"] = {"sources": sources, "groups": groups}
        write(s, os.path.join("reintroduction", name + ".json"))
    s = derived(base, "combined plan", COMBINED, folder=False)
    s["interventions"] = [i for _, (_, i) in INTERVENTIONS.items() if i["type"] != "restoration"] + [
        {"type": "antiPoaching", "name": "rangers in Lazovsky", "startYear": 2026, "endYear": 2125, "region": LAZOVSKY, "effectiveness": 0.5},
        {"type": "preyRecovery", "name": "prey recovery in Lazovsky", "startYear": 2026, "endYear": 2125, "region": LAZOVSKY,
         "capacityIncrease": 0.3, "huntingReduction": 0.5}]
    s["releases"] = {"sources": [ZOO], "groups": REINTRODUCTION["zoo-soft-release"][2]}
    write(s, "combined-plan.json")


if __name__ == "__main__":
    main()
