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
        if let threatFree = model.threatFreeProjection {
            if case .object(var deterministic) = root["deterministic"]! {
                deterministic["lambdaModelWithoutThreats"] = .real(threatFree.lambda)
                root["deterministic"] = .object(deterministic)
            }
        }
        return JSONWriter.write(.object(root))
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
