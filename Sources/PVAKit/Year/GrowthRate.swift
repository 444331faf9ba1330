import Foundation

extension Year {
    /// Stage 8: r = ln(N now / N at the last census), before truncation, in
    /// years the population was extant (Vortex's stochastic r).
    enum GrowthRate {
        static func run<S: Space>(_ r: Replicate<S>) {
            let n = r.table.count
            guard r.record.extinctionYear == nil, r.previousN > 0, n > 0 else { return }
            let g = log(Double(n) / Double(r.previousN))
            r.record.rSum += g
            r.record.rSumOfSquares += g * g
            r.record.rCount += 1
        }
    }
}
