extension Year {
    /// Stage 8: r = ln(N now / N at the last census), before truncation, in
    /// years the population entered extant and is not extinct now (Vortex's
    /// stochastic r; `ReplicateRecord.addGrowth`).
    enum GrowthRate {
        static func run<S: Space>(_ r: Replicate<S>) {
            let t = r.table
            guard r.record.extinctionYear == nil, r.previousN > 0 else { return }
            // Whether each sex is present is all the extinction rule needs (N is the table's
            // count): stop at the first animal of each sex instead of counting them all.
            let n = t.count, sex = t.sex.base
            var sawMale = false, sawFemale = false
            for row in 0..<n {
                if sex[row] == Sex.male.rawValue { sawMale = true } else { sawFemale = true }
                if sawMale && sawFemale { break }
            }
            let males = sawMale ? (sawFemale ? 1 : n) : 0  // stands for "some", "all", "none"
            r.record.addGrowth(previousN: r.previousN, females: n - males, males: males, model: r.model)
        }
    }
}
