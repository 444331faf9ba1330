import Foundation

/// A scheduled addition (a `supplementation` entry or a `releases` group) as the Release
/// stage reads it: its place and source as indices, its post-release costs as numbers.
struct CompiledRelease: Sendable {
    var name: String
    var schedule: Schedule
    var lines: [Line]
    var place: Place
    var source: Source
    /// For a translocation, the cells of its source region (`Space.isIn`).
    var sourceCovers: [Bool]?
    /// Added hazard in the first year after the animal is set free: −ln(post-release survival).
    var hazard: Double
    /// Held a year in an enclosure before it is set free.
    var enclosed: Bool
    /// Probability of walking off in the first year free, and the mean of that walk (km).
    var dispersalProbability: Double
    var dispersalMeanKm: Double

    struct Line: Sendable {
        var sex: Sex
        var minimumAge: Int
        var maximumAge: Int
        var count: Int
        /// The count as a function (supplementation), rounded at random.
        var countFunction: CompiledExpression?
    }

    enum Place: Sendable {
        /// Best vacant territories of a region first (nil: the whole map), as founders.
        case region(Int?)
        /// At a random one of these habitat cells, then the nearest vacant territory in reach.
        case cells([Int32])
    }

    enum Source: Sendable, Equatable {
        /// New animals from captive source k of the genetics (`GeneticState`'s source k; 0 is
        /// supplementation's, `genetics.releaseSourceKinship`).
        case captive(Int)
        /// Wild animals taken from a region.
        case translocation(region: Int)
    }

    /// The first simulation year after its release in which an animal released in year
    /// `released` is free (a year later when held in an enclosure).
    @inline(__always) func freedYear(released: Int) -> Int { released + (enclosed ? 1 : 0) }

    /// Every addition of `scenario`: supplementation first (source 0, no cost), then the release
    /// groups in order; captive sources numbered from 1 in the order the scenario lists them.
    static func all(_ scenario: Scenario) -> [CompiledRelease] {
        let landscape = scenario.spatial?.landscape
        func regionIndex(_ name: String?) -> Int? { name.flatMap { landscape?.regionIndex(named: $0) } }
        var result = scenario.supplements.enumerated().map { k, s in
            CompiledRelease(name: "supplementation \(k + 1)", schedule: s.schedule,
                            lines: s.animals.map { Line(sex: $0.sex, minimumAge: $0.age, maximumAge: $0.age, count: $0.count, countFunction: $0.countFunction) },
                            place: .region(regionIndex(s.region)), source: .captive(0), sourceCovers: nil, hazard: 0, enclosed: false,
                            dispersalProbability: 0, dispersalMeanKm: 0)
        }
        let releases = scenario.releases
        let captiveIndex = captiveSources(releases)
        for g in releases.groups {
            let source: Source
            var covers: [Bool]?
            switch releases.sources[g.source].kind {
            case .captive: source = .captive(captiveIndex[g.source]!)
            case .translocation(let name):
                let k = regionIndex(name)!
                source = .translocation(region: k)
                covers = landscape!.marks(landscape!.regions[k].cells)
            }
            let place: Place
            switch g.place {
            case .wholeMap: place = .region(nil)
            case .region(let name): place = .region(regionIndex(name))
            case .cells(let cells): place = .cells(cells.filter { landscape!.isHabitat(Int($0)) })
            }
            result.append(CompiledRelease(name: g.name, schedule: g.schedule,
                                          lines: g.animals.map { Line(sex: $0.sex, minimumAge: $0.minimumAge, maximumAge: $0.maximumAge, count: $0.count) },
                                          place: place, source: source, sourceCovers: covers, hazard: -log(g.postReleaseSurvival), enclosed: g.softRelease,
                                          dispersalProbability: g.dispersalProbability, dispersalMeanKm: g.dispersalMeanKm))
        }
        return result
    }

    /// Per source of `releases`, its captive index (from 1), nil for a translocation.
    static func captiveSources(_ releases: Releases) -> [Int: Int] {
        var index: [Int: Int] = [:]
        for (k, s) in releases.sources.enumerated() where s.region == nil { index[k] = index.count + 1 }
        return index
    }

    /// Kinship and F of each captive source's animals, index 0 being supplementation's.
    static func captiveGenetics(_ scenario: Scenario) -> [(kinship: Double, inbreeding: Double)] {
        let k0 = scenario.genetics?.releaseSourceKinship ?? 0
        return [(k0, k0)] + scenario.releases.sources.compactMap { s in
            if case .captive(_, let k, let f) = s.kind { return (k, f) }
            return nil
        }
    }
}
