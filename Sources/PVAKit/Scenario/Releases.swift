/// The `releases` section (MODEL.md §4.9): planned releases and translocations
/// with their sources and post-release costs. (`supplementation` stays
/// Vortex's plain addition of animals, with no source and no release cost.)
public struct Releases: Sendable {
    public var sources: [ReleaseSource]
    public var groups: [ReleaseGroup]

    public init(sources: [ReleaseSource] = [], groups: [ReleaseGroup] = []) {
        self.sources = sources
        self.groups = groups
    }

    /// The scenario's releases without the groups that take animals from the wild (the
    /// counterfactual a translocation's cost to its source is measured against).
    public var withoutTranslocations: Releases {
        Releases(sources: sources, groups: groups.filter { sources[$0.source].region == nil })
    }

    public var hasTranslocations: Bool { groups.contains { sources[$0.source].region != nil } }
}

/// Where released animals come from.
public struct ReleaseSource: Sendable, Equatable {
    public var name: String
    public var kind: Kind

    public enum Kind: Sendable, Equatable {
        /// A captive population descended from `founders` founders: its animals' mean kinship
        /// with each other (at least 1/(2·founders), equal founder contributions; the default)
        /// and their own F (default: the kinship, the F of a young of two random source animals).
        case captive(founders: Int, kinship: Double, inbreeding: Double)
        /// Wild animals taken from a region of the map (removed there: the source pays).
        case translocation(region: String)
    }

    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    /// The wild region a translocation takes from (nil for a captive source).
    public var region: String? {
        if case .translocation(let region) = kind { return region }
        return nil
    }
}

/// A scheduled release: animals from one source, set down in one place in each active year.
public struct ReleaseGroup: Sendable {
    public var name: String
    /// Index into `Releases.sources`.
    public var source: Int
    public var schedule: Schedule
    /// Where the animals are set down: a region, a rectangle or a list of cells (`Intervention.Place`).
    public var place: Intervention.Place
    public var animals: [ReleaseAnimals]
    /// Survival × this in the first year after the animal is set free (MODEL.md §4.9: 0.7).
    public var postReleaseSurvival: Double
    /// Held one year in an enclosure before it is set free: no breeding, no dispersal, base
    /// survival only.
    public var softRelease: Bool
    /// In its first year free the animal leaves where it was set down with this probability
    /// and walks a distance drawn from an exponential of mean `dispersalMeanKm` (homing or
    /// wandering after release; 0 = stays).
    public var dispersalProbability: Double
    public var dispersalMeanKm: Double

    public init(name: String, source: Int, schedule: Schedule, place: Intervention.Place, animals: [ReleaseAnimals],
                postReleaseSurvival: Double = 0.7, softRelease: Bool = false, dispersalProbability: Double = 0, dispersalMeanKm: Double = 50) {
        self.name = name
        self.source = source
        self.schedule = schedule
        self.place = place
        self.animals = animals
        self.postReleaseSurvival = postReleaseSurvival
        self.softRelease = softRelease
        self.dispersalProbability = dispersalProbability
        self.dispersalMeanKm = dispersalMeanKm
    }
}

/// One line of a release group: `count` animals of a sex, of age `minimumAge`…`maximumAge`
/// (a captive source's animals are made at one age; a translocation takes any in the range).
public struct ReleaseAnimals: Sendable, Equatable {
    public var sex: Sex
    public var minimumAge: Int
    public var maximumAge: Int
    public var count: Int

    public init(sex: Sex, minimumAge: Int, maximumAge: Int, count: Int) {
        self.sex = sex
        self.minimumAge = minimumAge
        self.maximumAge = maximumAge
        self.count = count
    }
}

/// The second-population question (MODEL.md §6): for each target region, whether at least
/// `threshold` animals aged `minimumAge` or more live there at year t and have by year t,
/// for each t of `years` (simulation years from the start).
public struct TargetSettings: Sendable, Equatable {
    public var regions: [String] = []
    public var threshold = 30
    public var minimumAge = 1
    public var years = [15, 20]

    public init() {}
}
