extension Year {
    /// Stage 7: scheduled additions (supplementation): each group's animals,
    /// placed in its region like founders (best vacant territories first). They
    /// keep their origin and year of release.
    enum Release {
        static func run<S: Space>(_ r: Replicate<S>) {
            let t = r.table
            for release in r.model.releases where release.schedule.isActive(inYear: r.calendarYear) {
                r.space.beginPlacement()
                r.genetics?.sync(t)  // the year's dead leave the kinship sum before anyone enters
                for group in release.animals {
                    let count = group.countFunction.map { r.randomlyRounded(r.evaluate($0)) } ?? group.count
                    for _ in 0..<count {
                        let row = t.append(sex: group.sex, age: group.age, maturity: r.model.maturity[Int(group.sex.rawValue)].draw(&r.rng),
                                           origin: .released)
                        t.releaseYear[row] = Int32(r.year)
                        r.genetics?.addReleased(row, table: t)
                        r.space.place(row, region: release.region, table: t, rng: &r.rng)
                        r.record.supplemented += 1
                    }
                }
            }
        }
    }
}
