/// The `genetics` section (MODEL.md §4.8): pedigree inbreeding, gene drop at
/// neutral loci, recessive lethals and inbreeding depression as Vortex defines them.
public struct GeneticsSettings: Sendable, Equatable {
    /// Mean kinship among the founders, and each founder's own F (Amur default 0.1:
    /// decades at about 30 animals, effective size 7–16).
    public var founderKinship = 0.1
    /// Neutral loci dropped through the pedigree (gene diversity, heterozygosity, alleles).
    public var neutralLoci = 20
    /// Lethal equivalents B per diploid genome, and the share of them carried as explicit
    /// recessive lethal alleles (the rest: first-year survival × exp(−B(1 − share)F)).
    public var lethalEquivalents = 6.29
    public var lethalShare = 0.5
    /// Supplementation's animals come from a captive source descended from few founders: their
    /// kinship with each other (and their own F); with the wild animals it is 0. (`releases`
    /// name their sources with their own kinship and F.)
    public var releaseSourceKinship = 0.1

    public init() {}

    /// The hazard of the non-lethal part of inbreeding depression per unit F, B(1 − share).
    public var hazardPerF: Double { lethalEquivalents * (1 - lethalShare) }
    /// Diploid lethal equivalents carried as explicit lethals, B · share.
    public var lethalPart: Double { lethalEquivalents * lethalShare }
}

extension ScenarioDecoder {
    static func decodeGenetics(_ r: inout ObjectReader) -> GeneticsSettings? {
        var g = GeneticsSettings()
        guard let k = r.number("founderKinship", default: g.founderKinship, min: 0, max: 0.5),
              let loci = r.integer("neutralLoci", default: g.neutralLoci, min: 1, max: 1000),
              let b = r.number("lethalEquivalents", default: g.lethalEquivalents, min: 0, max: 50),
              let share = r.probability("lethalShare", default: g.lethalShare),
              let release = r.number("releaseSourceKinship", default: g.releaseSourceKinship, min: 0, max: 0.5) else { return nil }
        g.founderKinship = k
        g.neutralLoci = loci
        g.lethalEquivalents = b
        g.lethalShare = share
        g.releaseSourceKinship = release
        return g
    }
}
