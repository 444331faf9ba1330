/// The genetic measures reported per year (`yearly.csv`, `summary.json`).
public enum GeneticMeasure: Int, CaseIterable, Sendable {
    case geneDiversity, heterozygosity, allelesRetained, meanF, meanKinship, lethalAlleleFrequency

    public var name: String {
        switch self {
        case .geneDiversity: return "GeneDiversity"
        case .heterozygosity: return "Heterozygosity"
        case .allelesRetained: return "AllelesRetained"
        case .meanF: return "MeanF"
        case .meanKinship: return "MeanKinship"
        case .lethalAlleleFrequency: return "LethalAlleleFrequency"
        }
    }

    /// Reported per region too (mean kinship is kept for the whole population only).
    public static let regional: [GeneticMeasure] = [.geneDiversity, .allelesRetained, .meanF]

    public var meaning: String {
        switch self {
        case .geneDiversity: return "gene diversity 1 − Σp² at the neutral loci (mean over loci; no small-sample correction)"
        case .heterozygosity: return "observed heterozygosity at the neutral loci"
        case .allelesRetained: return "alleles present per neutral locus"
        case .meanF: return "mean pedigree inbreeding coefficient F of the living"
        case .meanKinship: return "mean kinship of the living over all ordered pairs, self-pairs included"
        case .lethalAlleleFrequency: return "frequency of recessive lethal alleles at the lethal loci"
        }
    }
}
