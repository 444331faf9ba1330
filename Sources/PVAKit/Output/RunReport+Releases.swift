import Foundation

/// The release outputs: `targets.csv` and the `secondPopulation` and `releases` objects of
/// `summary.json` (MODEL.md §6).
extension RunReport {
    /// `targets.csv`: per target region and year, the second-population statistics.
    public static var targetsTable: OutputTable<(SecondPopulation, SecondPopulation.Year)> {
        typealias C = OutputColumn<(SecondPopulation, SecondPopulation.Year)>
        return OutputTable([
            C("year", "calendar year") { .integer($0.1.year) },
            C("t", "simulation year") { .integer($0.1.t) },
            C("region", "target region") { .text($0.0.region) },
            C("threshold", "animals the question asks for") { .integer($0.0.threshold) },
            C("minimumAge", "youngest age counted") { .integer($0.0.minimumAge) },
            C("PAtLeast", "share of replicates with at least the threshold in the region this year") { .real($0.1.atLeast.estimate) },
            C("PAtLeastLow95", "Wilson 95 % interval, low") { .real($0.1.atLeast.wilson95?.low) },
            C("PAtLeastHigh95", "Wilson 95 % interval, high") { .real($0.1.atLeast.wilson95?.high) },
            C("PReachedBy", "share of replicates that had at least the threshold there at some census up to this year") { .real($0.1.reachedBy.estimate) },
            C("NMean", "animals counted (aged at least minimumAge) in the region: mean over all replicates") { .real($0.1.n.mean) },
            C("NSD", "its SD over replicates") { .real($0.1.n.sd) },
            C("NQ05", "its 5 % quantile") { .real($0.1.n.quantiles[0]) },
            C("NQ50", "its median") { .real($0.1.n.quantiles[2]) },
            C("NQ95", "its 95 % quantile") { .real($0.1.n.quantiles[4]) },
            C("BornThereShare", "share of the animals counted that were born in the region (Σ over replicates; empty when none)") { .real($0.1.bornThereShare) },
            C("GeneDiversity", "gene diversity of the region's animals: mean over replicates with animals there (genetics only)") { .real($0.1.geneDiversity) },
        ])
    }

    var targetsTable: OutputTable<(SecondPopulation, SecondPopulation.Year)> { Self.targetsTable }

    /// `secondPopulation` in summary.json: per target region, the probabilities at the years the
    /// scenario asks about, the median year reached and the final state.
    var secondPopulationJSON: JSONOutput {
        .array(summary.secondPopulations.map { p in
            func year(_ y: SecondPopulation.Year) -> JSONOutput {
                .object([
                    "t": .integer(y.t), "year": .integer(y.year),
                    "PAtLeast": .real(y.atLeast.estimate), "PAtLeastSE": .real(y.atLeast.standardError),
                    "PAtLeastLow95": .real(y.atLeast.wilson95?.low), "PAtLeastHigh95": .real(y.atLeast.wilson95?.high),
                    "PReachedBy": .real(y.reachedBy.estimate), "PReachedBySE": .real(y.reachedBy.standardError),
                    "PReachedByLow95": .real(y.reachedBy.wilson95?.low), "PReachedByHigh95": .real(y.reachedBy.wilson95?.high),
                    "NMean": .real(y.n.mean), "NMedian": .real(y.n.quantiles[2]),
                    "bornThereShare": .real(y.bornThereShare), "geneDiversity": .real(y.geneDiversity),
                ])
            }
            return .object([
                "region": .string(p.region), "threshold": .integer(p.threshold), "minimumAge": .integer(p.minimumAge),
                "atYears": .array(model.targets.years.map { t in
                    t <= model.years ? year(p.years[t]) : .object(["t": .integer(t), "year": .integer(model.startYear + t), "beyondTheRun": .bool(true)])
                }),
                "final": year(p.years[model.years]),
                "medianYearReached": .optionalInteger(p.medianYearReached),
            ])
        })
    }

    /// `releases` in summary.json: animals released, translocated and missed per replicate and,
    /// for each translocation's source region, its final N and P(extinct in the region) with
    /// the removals and without them (the same run without the translocations).
    var releasesJSON: JSONOutput {
        let n = Double(summary.replicates)
        var object: [String: JSONOutput] = [
            "releasedFromCaptivityPerReplicate": .real(Double(result.census.supplemented) / n),
            "translocatedPerReplicate": .real(Double(result.census.translocated) / n),
            "translocationShortfallPerReplicate": .real(Double(result.census.releaseShortfall) / n),
            "groups": .array(model.releases.map { release in
                .object(["name": .string(release.name), "source": .string(source(of: release)), "softRelease": .bool(release.enclosed),
                         "postReleaseSurvival": .real(exp(-release.hazard)), "startYear": .integer(release.schedule.startYear),
                         "endYear": .integer(release.schedule.endYear), "interval": .integer(release.schedule.interval)])
            }),
        ]
        if let l = model.spatial?.landscape {
            var sources: [Int] = []
            for release in model.releases { if case .translocation(let k) = release.source, !sources.contains(k) { sources.append(k) } }
            object["translocationSources"] = .array(sources.map { k in
                func state(_ s: RunSummary?) -> JSONOutput {
                    guard let s else { return .null }
                    let final = s.region(k, t: model.years)
                    return .object(["finalNMean": .real(final.n.mean), "finalNSD": .real(final.n.sd), "finalPExtinct": .real(final.extinct.estimate),
                                    "finalTerritorialAdultsMean": .real(final.territorialAdults.mean)])
                }
                return .object(["region": .string(l.regions[k].name), "withRemovals": state(summary), "withoutRemovals": state(withoutTranslocations)])
            })
        }
        return .object(object)
    }

    private func source(of release: CompiledRelease) -> String {
        switch release.source {
        case .captive(0): return "supplementation"
        case .captive(let k): return model.scenario.releases.sources.filter { $0.region == nil }[k - 1].name
        case .translocation(let k): return "translocation from " + (model.spatial?.landscape.regions[k].name ?? "?")
        }
    }
}
