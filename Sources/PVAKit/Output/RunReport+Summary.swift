import Foundation

/// `summary.json`: provenance, the deterministic figures, the final year, the
/// realised rates and, for a landscape, its summary (keys sorted by the writer).
extension RunReport {
    public var summaryJSON: String {
        let final = summary.final
        let table = model.lifeTable
        let stable = table.stableAgeDistribution.map {
            JSONOutput.object(["age": .integer($0.age), "female": .real($0.female), "male": .real($0.male)])
        }
        let modelStable = model.projection.stableAgeDistribution.map {
            JSONOutput.object(["age": .integer($0.age), "female": .real($0.female), "male": .real($0.male)])
        }
        let ci = final.extinct.wilson95
        let quasi = final.quasi.map {
            JSONOutput.object(["threshold": .integer($0.threshold), "PBelow": .real($0.now.estimate), "PEverBelow": .real($0.interval.estimate)])
        }
        let finalObject: [String: JSONOutput] = [
            "year": .integer(final.year),
            "PE": .real(final.extinct.estimate), "PESE": .real(final.extinct.standardError),
            "PELow95": .real(ci?.low), "PEHigh95": .real(ci?.high),
            "NExtantMean": .real(final.nExtant.mean), "NExtantSD": .real(final.nExtant.sd), "NExtantSE": .real(final.nExtant.se),
            "NAllMean": .real(final.nAll.mean), "NAllSD": .real(final.nAll.sd), "NAllSE": .real(final.nAll.se),
            "NExtant": final.nExtant.json, "NAll": final.nAll.json,
            "stochasticR": .real(summary.growth.mean), "stochasticRSE": .real(summary.growth.se), "stochasticRSD": .real(summary.growth.sd),
            "medianTE": .optionalInteger(summary.medianTimeToExtinction), "meanTE": .real(summary.meanTimeToExtinction),
            "extinctionDefinition": .string(extinctionDefinition),
            "quasiExtinction": .array(quasi),
        ]
        var root: [String: JSONOutput] = [
            "scenario": .object([
                "name": .string(model.scenario.name),
                "description": .string(model.scenario.description),
                "startYear": .integer(model.startYear),
                "convention": .string(model.species.convention.rawValue),
            ]),
            "provenance": provenance.json,
            "deterministic": .object([
                "lambda": .real(table.lambda), "r": .real(table.r), "R0": .real(table.netReproductiveRate),
                "generationTime": .real(table.generationTime),
                "stableAgeDistribution": .array(stable),
                "lambdaModel": .real(model.projection.lambda),
                "rModel": .real(model.projection.lambda > 0 ? log(model.projection.lambda) : nil),
                "stableAgeDistributionModel": .array(modelStable),
            ]),
            "final": .object(finalObject),
            "realised": realisedJSON,
        ]
        if let landscape = landscapeJSON { root["landscape"] = landscape }
        if model.genetics != nil {
            // Final genetic measures over the replicates with animals alive, and year 0's.
            var genetics: [String: JSONOutput] = [:]
            for m in GeneticMeasure.allCases {
                let last = result.census.genetic(m, t: model.years), first = result.census.genetic(m, t: 0)
                genetics[m.name + "Mean"] = .real(last.mean)
                genetics[m.name + "SD"] = .real(last.sd)
                genetics[m.name + "Initial"] = .real(first.mean)
            }
            root["genetics"] = .object(genetics)
        }
        if let habitat = habitatJSON { root["habitat"] = habitat }
        if !model.interventions.isEmpty { root["interventions"] = interventionsJSON }
        if !model.targetRegions.isEmpty { root["secondPopulation"] = secondPopulationJSON }
        if !model.releases.isEmpty { root["releases"] = releasesJSON }
        if let threatFree = model.threatFreeProjection {
            if case .object(var deterministic) = root["deterministic"]! {
                deterministic["lambdaModelWithoutThreats"] = .real(threatFree.lambda)
                root["deterministic"] = .object(deterministic)
            }
        }
        return JSONWriter.write(.object(root))
    }

    /// Landscape change over the run (threats that change habitat): per replicate, bad fire
    /// years, cells burnt and converted; the share of forest a bad year burnt.
    var habitatJSON: JSONOutput? {
        let threats = model.scenario.threats
        guard let sp = model.spatial, threats.changesHabitat else { return nil }
        let t = result.tallies
        let n = Double(summary.replicates)
        var object: [String: JSONOutput] = [
            "territoryHabitatKm2Initial": .real(result.census.habitat(t: 0, prey: false).mean),
            "territoryHabitatKm2Final": .real(result.census.habitat(t: model.years, prey: false).mean),
            "territoryPreyIndexInitial": .real(result.census.habitat(t: 0, prey: true).mean),
            "territoryPreyIndexFinal": .real(result.census.habitat(t: model.years, prey: true).mean),
            "cellsConvertedPerReplicate": .real(Double(t.cellsConverted) / n),
        ]
        if threats.fire != nil {
            let forest = sp.forestCells.count
            object["forestCells"] = .integer(forest)
            object["badFireYearsPerReplicate"] = .real(Double(t.badFireYears) / n)
            object["cellsBurntPerReplicate"] = .real(Double(t.cellsBurnt) / n)
            object["shareOfForestBurntPerBadYear"] = .real(t.badFireYears > 0 && forest > 0 ? Double(t.cellsBurnt) / Double(t.badFireYears * forest) : nil)
            object["cellsTurnedToGrasslandPerReplicate"] = .real(Double(t.cellsConvertedByFire) / n)
        }
        return .object(object)
    }

    /// Each intervention: what, where and when, and its realised effect per replicate
    /// (`InterventionMeasure`: mean and SD over replicates).
    var interventionsJSON: JSONOutput {
        .array(model.interventions.enumerated().map { k, i in
            var object: [String: JSONOutput] = [
                "name": .string(i.name), "type": .string(i.action.type), "place": .string(i.placeName),
                "cells": .integer(i.cells.count), "startYear": .integer(i.startYear), "endYear": .integer(i.endYear),
                "yearsInForceInRun": .integer((1...model.years).filter { i.isActive(inYear: model.startYear + $0) }.count),
            ]
            for m in InterventionMeasure.allCases {
                let v = result.census.intervention(k, m)
                object[m.name + "Mean"] = .real(v.mean)
                object[m.name + "SD"] = .real(v.sd)
            }
            object["actionsMeaning"] = .string(i.action.actionsMeaning)
            return .object(object)
        })
    }

    var realisedJSON: JSONOutput {
        let r = summary.realised
        let species = model.species
        let realisedLitters = species.litterSize.realisedDistribution.filter { $0.size > 0 }
        let massAtLeastOne = realisedLitters.reduce(0) { $0 + $1.probability }
        let litterInput = massAtLeastOne > 0 ? realisedLitters.reduce(0) { $0 + Double($1.size) * $1.probability } / massAtLeastOne : nil
        let survival = (0..<model.classCount).map { c -> JSONOutput in
            .object([
                "class": .string(model.classLabel(c)),
                "female": .real(r.survival[c][0]), "femaleInput": .real(1 - species.mortality[c].female),
                "male": .real(r.survival[c][1]), "maleInput": .real(1 - species.mortality[c].male),
                "femaleAtRisk": .integer(r.atRisk[c][0]), "maleAtRisk": .integer(r.atRisk[c][1]),
            ])
        }
        return .object([
            "breedingShareOfBreedingAgeFemales": .real(r.breedingShare),
            "breedingShareOfEligibleFemales": .real(r.breedingShareOfEligible),
            "breedingProbabilityInput": .real(species.breeding.probability),
            "meanLitterSize": .real(r.meanLitterSize),
            "meanLitterSizeInput": .real(litterInput),
            "sexRatioAtBirth": .real(r.sexRatioAtBirth),
            "sexRatioAtBirthInput": .real(species.sexRatioAtBirth),
            "survival": .array(survival),
        ])
    }

    // MARK: CSV files
}
