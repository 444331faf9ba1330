extension Year {
    /// Stage 8: r = ln(N now / N at the last census), before truncation, in
    /// years the population entered extant and is not extinct now (Vortex's
    /// stochastic r; `ReplicateRecord.addGrowth`).
    enum GrowthRate {
        static func run<S: Space>(_ r: Replicate<S>) {
            let t = r.table
            guard r.record.extinctionYear == nil, r.previousN > 0 else { return }
            var males = 0
            let sex = t.sex.base
            for row in 0..<t.count { males &+= Int(sex[row]) }
            r.record.addGrowth(previousN: r.previousN, females: t.count - males, males: males, model: r.model)
        }
    }
}
