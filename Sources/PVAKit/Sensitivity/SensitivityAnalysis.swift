import Foundation

/// What a sensitivity study's draws say, per outcome (`Sensitivity`).
///
/// **OAT**: per parameter the outcome with the parameter at its low and at its high end
/// (the others at base), the effect high − low with SE √(SE_low² + SE_high²) (conservative
/// under common random numbers, see `Sensitivity`), ranked by |effect|.
///
/// **LHS** (Saltelli et al. 2008 §1.2; Marino et al. 2008):
/// - standardised regression coefficients (SRC): the OLS coefficients of the outcome on the
///   parameters, both standardised to mean 0 and SD 1, with intercept; 95 % interval
///   β ± t(0.975, n − p − 1) · SE(β), SE from the OLS residual variance
///   (σ̂² [(XᵀX)⁻¹]_jj, σ̂² = RSS/(n − p − 1)), conditional on the standardisation; R² says how
///   much of the outcome's variation a linear model explains (SRCs rank well when it is high);
/// - partial rank correlation coefficients (PRCC): the correlation of the ranks of parameter
///   j and of the outcome after the ranks of the other parameters are regressed out of both
///   (ties get mean ranks); 95 % interval tanh(atanh(r) ± 1.96/√(n − 3 − (p − 1))) (Fisher's z
///   with p − 1 variables partialled out).
///
/// Rankings are by |effect| (OAT) or |SRC| (LHS), largest first; parameters without a value
/// (an outcome that did not vary) come last, in file order, as do ties.
public struct SensitivityAnalysis: Sendable {
    /// An estimate with its 95 % interval.
    public struct Coefficient: Sendable, Equatable {
        public var estimate: Double?
        public var low: Double?
        public var high: Double?
        public var se: Double?
    }

    /// One parameter in a one-at-a-time study, for one outcome.
    public struct OneAtATime: Sendable {
        public var atLow: Sensitivity.Estimate
        public var atHigh: Sensitivity.Estimate
        /// atHigh − atLow, with its SE and ± 1.96 SE interval.
        public var effect: Coefficient
    }

    /// One outcome's analysis.
    public struct Outcome: Sendable {
        public var outcome: SensitivityOutcome
        public var label: String
        /// OAT: the base run's value.
        public var base: Sensitivity.Estimate?
        /// OAT: per parameter.
        public var oneAtATime: [OneAtATime]
        /// LHS: per parameter.
        public var src: [Coefficient]
        public var prcc: [Coefficient]
        public var rSquared: Double?
        /// Parameter indices, the most influential first.
        public var ranking: [Int]
        /// Whether any parameter moved the outcome (some effect or SRC not 0); when none did
        /// (a probability 0 in every run), the ranking is only the file's order.
        public var varied: Bool
    }

    public var outcomes: [Outcome]

    public init(study: Sensitivity.Study, points: [Sensitivity.Point], draws: [Sensitivity.Draw]) {
        let p = study.spec.parameters.count
        outcomes = study.outcomes.enumerated().map { k, outcome in
            let y = draws.map { $0.outcomes[k] }
            var result = Outcome(outcome: outcome, label: study.outcomeLabels[k], base: nil, oneAtATime: [], src: [], prcc: [],
                                 rSquared: nil, ranking: [], varied: false)
            let strength: [Double?]
            switch study.spec.design {
            case .oat:
                result.base = y[0]
                result.oneAtATime = (0..<p).map { j in
                    let low = y[2 * j + 1], high = y[2 * j + 2]
                    guard let a = low.value, let b = high.value else {
                        return OneAtATime(atLow: low, atHigh: high, effect: Coefficient(estimate: nil, low: nil, high: nil, se: nil))
                    }
                    let se = low.se.flatMap { sa in high.se.map { sb in (sa * sa + sb * sb).squareRoot() } }
                    return OneAtATime(atLow: low, atHigh: high,
                                      effect: Coefficient(estimate: b - a, low: se.map { b - a - 1.959963984540054 * $0 },
                                                          high: se.map { b - a + 1.959963984540054 * $0 }, se: se))
                }
                strength = result.oneAtATime.map { $0.effect.estimate.map(abs) }
            case .lhs:
                let x = points.map { $0.values.map { $0 ?? .nan } }
                // Draws without a value of this outcome (nobody alive for gene diversity) are left out.
                let rows = y.indices.filter { y[$0].value != nil }
                let xs = rows.map { x[$0] }, ys = rows.map { y[$0].value! }
                let fit = Self.standardisedRegression(xs, ys)
                result.src = fit.coefficients
                result.rSquared = fit.rSquared
                result.prcc = Self.partialRankCorrelations(xs, ys)
                strength = result.src.map { $0.estimate.map(abs) }
            }
            result.varied = strength.contains { ($0 ?? 0) > 0 }
            result.ranking = (0..<p).sorted { a, b in
                switch (strength[a], strength[b]) {
                case let (sa?, sb?): return sa != sb ? sa > sb : a < b
                case (.some, nil): return true
                case (nil, .some): return false
                case (nil, nil): return a < b
                }
            }
            return result
        }
    }

    // MARK: regression

    /// OLS of standardised y on standardised x (columns), with intercept. Nil coefficients
    /// when y or a column does not vary, or XᵀX is singular, or n ≤ p + 1.
    static func standardisedRegression(_ x: [[Double]], _ y: [Double]) -> (coefficients: [Coefficient], rSquared: Double?) {
        let n = y.count, p = x.first?.count ?? 0
        let none = [Coefficient](repeating: Coefficient(estimate: nil, low: nil, high: nil, se: nil), count: p)
        guard n > p + 1, let zy = standardise(y) else { return (none, nil) }
        var columns: [[Double]] = []
        for j in 0..<p {
            guard let z = standardise(x.map { $0[j] }) else { return (none, nil) }
            columns.append(z)
        }
        // Standardised columns have mean 0, so the intercept's estimate is 0 and the slopes
        // solve (ZᵀZ) β = Zᵀy; the intercept still costs a degree of freedom.
        guard let fit = leastSquares(columns, zy) else { return (none, nil) }
        let df = Double(n - p - 1)
        let sigma2 = fit.rss / df
        let t = SpecialFunctions.studentTCritical(0.05, degrees: df)
        let coefficients = (0..<p).map { j -> Coefficient in
            let se = (sigma2 * fit.inverse[j][j]).squareRoot()
            return Coefficient(estimate: fit.beta[j], low: fit.beta[j] - t * se, high: fit.beta[j] + t * se, se: se)
        }
        let tss = zy.reduce(0) { $0 + $1 * $1 }
        return (coefficients, tss > 0 ? 1 - fit.rss / tss : nil)
    }

    /// PRCC of each column with y: ranks, then the residuals of rank(x_j) and rank(y) on the
    /// other ranks (with intercept), correlated.
    static func partialRankCorrelations(_ x: [[Double]], _ y: [Double]) -> [Coefficient] {
        let n = y.count, p = x.first?.count ?? 0
        let none = Coefficient(estimate: nil, low: nil, high: nil, se: nil)
        guard n >= p + 3 else { return [Coefficient](repeating: none, count: p) }
        let ry = ranks(y)
        let rx = (0..<p).map { j in ranks(x.map { $0[j] }) }
        let z = 1.959963984540054
        let se = 1 / Double(n - 3 - (p - 1)).squareRoot()
        return (0..<p).map { j in
            let others = (0..<p).filter { $0 != j }.map { rx[$0] }
            guard let ex = residuals(of: rx[j], on: others), let ey = residuals(of: ry, on: others) else { return none }
            let sxy = zip(ex, ey).reduce(0) { $0 + $1.0 * $1.1 }
            let sxx = ex.reduce(0) { $0 + $1 * $1 }, syy = ey.reduce(0) { $0 + $1 * $1 }
            guard sxx > 1e-12 * Double(n), syy > 1e-12 * Double(n) else { return none }
            let r = max(-1, min(1, sxy / (sxx * syy).squareRoot()))
            let fisher = atanh(max(-0.999_999_999_999, min(0.999_999_999_999, r)))
            return Coefficient(estimate: r, low: tanh(fisher - z * se), high: tanh(fisher + z * se), se: se)
        }
    }

    /// (v − mean)/SD (sample SD); nil when v does not vary.
    static func standardise(_ v: [Double]) -> [Double]? {
        let n = Double(v.count)
        let mean = v.reduce(0, +) / n
        let ss = v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        guard v.count > 1, ss > 1e-24 * max(1, mean * mean) * n else { return nil }
        let sd = (ss / (n - 1)).squareRoot()
        return v.map { ($0 - mean) / sd }
    }

    /// Ranks 1…n, ties sharing their mean rank.
    static func ranks(_ v: [Double]) -> [Double] {
        let order = v.indices.sorted { v[$0] != v[$1] ? v[$0] < v[$1] : $0 < $1 }
        var out = [Double](repeating: 0, count: v.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { out[order[k]] = rank }
            i = j + 1
        }
        return out
    }

    /// The residuals of y regressed on the columns with intercept (y centred when there
    /// are no columns); nil when the normal equations are singular.
    static func residuals(of y: [Double], on columns: [[Double]]) -> [Double]? {
        let n = Double(y.count)
        func centred(_ v: [Double]) -> [Double] { let m = v.reduce(0, +) / n; return v.map { $0 - m } }
        let cy = centred(y)
        guard !columns.isEmpty else { return cy }
        guard let fit = leastSquares(columns.map(centred), cy) else { return nil }
        return fit.residuals
    }

    /// Least squares without intercept (columns already centred): β = (XᵀX)⁻¹Xᵀy by
    /// Gauss–Jordan elimination with partial pivoting; nil when XᵀX is singular.
    static func leastSquares(_ columns: [[Double]], _ y: [Double]) -> (beta: [Double], inverse: [[Double]], rss: Double, residuals: [Double])? {
        let p = columns.count, n = y.count
        var a = (0..<p).map { i in (0..<p).map { j in (0..<n).reduce(0.0) { $0 + columns[i][$1] * columns[j][$1] } } }
        var inv = (0..<p).map { i in (0..<p).map { j in i == j ? 1.0 : 0.0 } }
        let scale = (0..<p).map { a[$0][$0] }.max() ?? 0
        guard scale > 0 else { return nil }
        for c in 0..<p {
            guard let pivot = (c..<p).max(by: { abs(a[$0][c]) < abs(a[$1][c]) }), abs(a[pivot][c]) > 1e-12 * scale else { return nil }
            a.swapAt(c, pivot)
            inv.swapAt(c, pivot)
            let d = a[c][c]
            for j in 0..<p { a[c][j] /= d; inv[c][j] /= d }
            for r in 0..<p where r != c {
                let f = a[r][c]
                if f == 0 { continue }
                for j in 0..<p { a[r][j] -= f * a[c][j]; inv[r][j] -= f * inv[c][j] }
            }
        }
        let xty = (0..<p).map { i in (0..<n).reduce(0.0) { $0 + columns[i][$1] * y[$1] } }
        let beta = (0..<p).map { i in (0..<p).reduce(0.0) { $0 + inv[i][$1] * xty[$1] } }
        let residuals = (0..<n).map { k in y[k] - (0..<p).reduce(0.0) { $0 + beta[$1] * columns[$1][k] } }
        return (beta, inv, residuals.reduce(0) { $0 + $1 * $1 }, residuals)
    }
}
