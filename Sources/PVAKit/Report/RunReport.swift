import Foundation

/// The text of every output file of a run, built in memory; the command line
/// writes them. Column names are documented in the README.
public struct RunReport: Sendable {
    public let result: RunResult
    public let summary: RunSummary
    public let provenance: Provenance

    /// `threads` bounds the workers computing the statistics (the values do not depend on it).
    public init(result: RunResult, provenance: Provenance, threads: Int = MonteCarlo.defaultThreads) {
        self.result = result
        self.summary = RunSummary(result, threads: threads)
        self.provenance = provenance
    }

    var model: EngineModel { result.model }

    /// Every output file, in a fixed order, and whether only spatial runs write it.
    static let outputFiles: [(name: String, spatialOnly: Bool)] = [
        ("summary.json", false), ("yearly.csv", false), ("classes.csv", false), ("replicates.csv", false),
        ("trajectories.csv", false), ("regions.csv", true), ("occupancy.csv", true), ("occupancy.svg", true),
    ]

    /// The output files a run writes, as text for help messages ("a, b and c").
    public static func fileList(spatial: Bool, onlySpatial: Bool = false) -> String {
        let names = outputFiles.filter { onlySpatial ? $0.spatialOnly : (spatial || !$0.spatialOnly) }.map(\.name)
        return names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names.last!
    }

    /// File name → contents, in the order of `outputFiles`.
    public var files: [(name: String, text: String)] {
        Self.outputFiles.compactMap { file -> (name: String, text: String)? in
            guard model.spatial != nil || !file.spatialOnly else { return nil }
            switch file.name {
            case "summary.json": return (file.name, summaryJSON)
            case "yearly.csv": return (file.name, yearlyCSV)
            case "classes.csv": return (file.name, classesCSV)
            case "replicates.csv": return (file.name, replicatesCSV)
            case "trajectories.csv": return (file.name, trajectoriesCSV)
            case "regions.csv": return regionsCSV.map { (file.name, $0) }
            case "occupancy.csv": return occupancyCSV.map { (file.name, $0) }
            default: return occupancySVG.map { (file.name, $0) }
            }
        }
    }

    public var extinctionDefinition: String {
        switch model.scenario.run.extinction {
        case .oneSexRemains: return "oneSexRemains"
        case .belowThreshold(let x): return "N<\(x)"
        }
    }

    // MARK: summary.json

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

    public var yearlyCSV: String {
        let thresholds = model.scenario.run.quasiExtinctionThresholds
        var header = ["year", "t", "PE", "PESE", "PELow95", "PEHigh95", "PFirstExtinction"]
        header += Descriptive.header("NAll") + Descriptive.header("NExtant")
        header += ["FemalesAllMean", "MalesAllMean", "FemalesExtantMean", "MalesExtantMean"]
        for x in thresholds { header += ["PBelow\(x)", "PEverBelow\(x)"] }
        let causes = DeathCause.allCases
        header += causes.map { "Deaths" + $0.name.prefix(1).uppercased() + $0.name.dropFirst() }
        var table = CSVTable(header: header)
        let replicates = Double(summary.replicates)
        for y in summary.years {
            let ci = y.extinct.wilson95
            var cells: [CSVTable.Cell] = [.integer(y.year), .integer(y.t), CSVTable.real(y.extinct.estimate), CSVTable.real(y.extinct.standardError),
                                          CSVTable.real(ci?.low), CSVTable.real(ci?.high), CSVTable.real(y.firstExtinction.estimate)]
            cells += y.nAll.cells + y.nExtant.cells
            cells += [CSVTable.real(y.femalesAll.mean), CSVTable.real(y.malesAll.mean), CSVTable.real(y.femalesExtant.mean), CSVTable.real(y.malesExtant.mean)]
            for q in y.quasi { cells += [CSVTable.real(q.now.estimate), CSVTable.real(q.interval.estimate)] }
            for cause in causes {
                cells.append(CSVTable.real(Double(result.tallies.deaths[y.t * DeathCause.count + Int(cause.rawValue)]) / replicates))
            }
            table.append(cells)
        }
        return table.text
    }

    public var classesCSV: String {
        var table = CSVTable(header: ["year", "t", "sex", "class"] + Descriptive.header("NAll") + Descriptive.header("NExtant"))
        for c in summary.classes {
            table.append([.integer(model.startYear + c.t), .integer(c.t), .text(c.sex.name), .text(model.classLabel(c.ageClass))]
                         + c.all.cells + c.extant.cells)
        }
        return table.text
    }

    public var replicatesCSV: String {
        var table = CSVTable(header: ["replicate", "extinctionYear", "extinctionT", "finalN", "finalFemales", "finalMales",
                                     "minN", "meanR", "rYears", "harvested", "harvestShortfall", "supplemented"])
        let classes = model.classCount
        for (i, record) in result.records.enumerated() {
            var minN = Int.max
            var f = 0, m = 0
            for t in 0...model.years {
                let base = t * 2 * classes
                var n = 0
                for k in 0..<(2 * classes) { n += Int(record.census[base + k]) }
                minN = min(minN, n)
                if t == model.years {
                    for k in 0..<classes { f += Int(record.census[base + k]); m += Int(record.census[base + classes + k]) }
                }
            }
            table.append([.integer(i), CSVTable.optional(record.extinctionYear.map { model.startYear + $0 }), CSVTable.optional(record.extinctionYear),
                          .integer(f + m), .integer(f), .integer(m), .integer(minN),
                          CSVTable.real(record.rCount > 0 ? record.rSum / Double(record.rCount) : nil), .integer(record.rCount),
                          .integer(record.harvested), .integer(record.harvestShortfall), .integer(record.supplemented)])
        }
        return table.text
    }

    public var trajectoriesCSV: String {
        var table = CSVTable(header: ["replicate", "year", "t", "N", "females", "males"])
        let classes = model.classCount
        for (i, record) in result.records.enumerated() {
            for t in 0...model.years {
                let base = t * 2 * classes
                var f = 0, m = 0
                for k in 0..<classes { f += Int(record.census[base + k]); m += Int(record.census[base + classes + k]) }
                table.append([.integer(i), .integer(model.startYear + t), .integer(t), .integer(f + m), .integer(f), .integer(m)])
            }
        }
        return table.text
    }

    // MARK: stdout

    /// A few lines for the terminal.
    public var textSummary: String {
        let s = model.scenario
        let final = summary.final
        let table = model.lifeTable
        func f(_ v: Double?, _ d: Int = 4) -> String { v.map { NumberFormatting.fixed($0, decimals: d) } ?? "–" }
        var lines: [String] = []
        lines.append("\(s.name.isEmpty ? "scenario" : s.name)")
        lines.append("  \(s.run.replicates) replicates × \(s.run.years) years (\(s.run.startYear)–\(s.run.startYear + s.run.years)), seed \(s.run.seed)")
        lines.append("  deterministic: λ \(f(table.lambda)) (Vortex life table), λ \(f(model.projection.lambda)) (model); r \(f(table.r)), R0 \(f(table.netReproductiveRate)), T \(f(table.generationTime, 2))")
        let ci = final.extinct.wilson95
        lines.append("  P(extinct by \(final.year)) = \(f(final.extinct.estimate)) (SE \(f(final.extinct.standardError)); 95 % \(f(ci?.low))–\(f(ci?.high))); extinction = \(extinctionDefinition)")
        lines.append("  N in \(final.year): extant \(f(final.nExtant.mean, 1)) (SD \(f(final.nExtant.sd, 1))), all \(f(final.nAll.mean, 1)) (SD \(f(final.nAll.sd, 1)))")
        lines.append("  stochastic r \(f(summary.growth.mean)) (SE \(f(summary.growth.se)), SD \(f(summary.growth.sd))); median TE \(summary.medianTimeToExtinction.map(String.init) ?? "–"), mean TE \(f(summary.meanTimeToExtinction, 1))")
        return lines.joined(separator: "\n") + "\n"
    }
}
