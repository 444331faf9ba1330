extension Year {
    /// Stage 6: scheduled removals, by sex and age class (and, given a region, only the
    /// animals there: a resident by its territory's home cell): a count (that many
    /// random animals of the class, or all of them and the shortfall recorded) or
    /// a proportion (each animal of the class with that probability); a count
    /// given as a function is rounded at random to a whole number whose
    /// expectation is the function's value. Young in the care of a harvested
    /// mother die with her.
    enum Harvest {
        static func run<S: Space>(_ r: Replicate<S>) {
            let t = r.table
            var any = false
            for (index, h) in r.model.harvests.enumerated() where h.schedule.isActive(inYear: r.calendarYear) {
                let covers = r.model.harvestCovers[index]
                for c in h.classes {
                    r.scratch.removeAll(keepingCapacity: true)
                    for row in 0..<t.count where t.fate[row] == 0 && t.sex[row] == c.sex.rawValue
                        && Int(t.age[row]) >= c.minimumAge && Int(t.age[row]) <= c.maximumAge
                        && covers.map({ r.space.isIn($0, row: row, table: t) }) ?? true {
                        r.scratch.append(Int32(row))
                    }
                    var amount = c.amount
                    switch c.amount {
                    case .countFunction(let f): amount = .count(r.randomlyRounded(r.evaluate(f, sex: c.sex)))
                    case .proportionFunction(let f): amount = .proportion(min(1, max(0, r.evaluate(f, sex: c.sex))))
                    default: break
                    }
                    switch amount {
                    case .countFunction, .proportionFunction:
                        break
                    case .count(let wanted):
                        let taken = r.drawWithoutReplacement(wanted, from: &r.scratch)
                        r.record.harvestShortfall += wanted - taken
                        for row in r.scratch[0..<taken] { t.fate[Int(row)] = DeathCause.harvest.rawValue }
                        r.record.harvested += taken
                    case .proportion(let p):
                        for row in r.scratch where r.rng.uniform() < p {
                            t.fate[Int(row)] = DeathCause.harvest.rawValue
                            r.record.harvested += 1
                        }
                    }
                    any = true
                }
            }
            guard any else { return }
            t.markOrphans()
            r.removeDead()
        }
    }
}
