extension Year {
    /// Stage 7: scheduled additions (MODEL.md §4.9). First the animals that spent the year in
    /// an enclosure are set free; then each release in force brings its animals: new ones
    /// from a captive source (with the source's kinship and F), or wild ones taken at random
    /// from their region (independent animals without young; a shortfall is recorded). Each
    /// is set down in its place — the best vacant territories of a region first, as founders,
    /// or at one of the named cells and the nearest vacant territory in reach — or, for a soft
    /// release, held in an enclosure there for a year. They keep their origin, release year
    /// and release.
    enum Release {
        static func run<S: Space>(_ r: Replicate<S>) {
            let t = r.table
            let year = Int32(r.year)
            if r.model.hasEnclosures {
                r.space.beginPlacement()
                for row in 0..<t.count where t.releaseGroup[row] >= 0 && t.releaseYear[row] == year - 1 {
                    let release = r.model.releases[Int(t.releaseGroup[row])]
                    if release.enclosed { r.space.setDown(row, at: release.place, table: t, rng: &r.rng) }
                }
            }
            for (g, release) in r.model.releases.enumerated() where release.schedule.isActive(inYear: r.calendarYear) {
                r.space.beginPlacement()
                r.genetics?.sync(t)  // the year's dead leave the kinship sum before anyone enters
                for line in release.lines {
                    let wanted = line.countFunction.map { r.randomlyRounded(r.evaluate($0)) } ?? line.count
                    switch release.source {
                    case .captive(let source):
                        for _ in 0..<wanted {
                            let row = t.append(sex: line.sex, age: line.minimumAge, maturity: r.model.maturity[Int(line.sex.rawValue)].draw(&r.rng),
                                               origin: .released)
                            r.genetics?.addReleased(row, source: source, table: t)
                            r.record.supplemented += 1
                            arrive(row, group: g, release, r)
                        }
                    case .translocation:
                        for row in Array(takeFromTheWild(wanted, line, release, r)).map(Int.init) {
                            t.origin[row] = AnimalTable.Origin.translocated.rawValue
                            r.space.vacate(row, table: t)
                            r.record.translocated += 1
                            arrive(row, group: g, release, r)
                        }
                    }
                }
            }
        }

        /// A released animal comes to its place: its release noted, then set down or enclosed.
        static func arrive<S: Space>(_ row: Int, group g: Int, _ release: CompiledRelease, _ r: Replicate<S>) {
            let t = r.table
            t.releaseYear[row] = Int32(r.year)
            t.releaseGroup[row] = Int16(g)
            if release.enclosed {
                r.space.enclose(row, at: release.place, table: t, rng: &r.rng)
            } else {
                r.space.setDown(row, at: release.place, table: t, rng: &r.rng)
            }
        }

        /// Up to `wanted` animals of the line's sex and ages from the source region, at random:
        /// independent, caring for no young, not released this year and not enclosed. Records
        /// the shortfall when fewer are there.
        static func takeFromTheWild<S: Space>(_ wanted: Int, _ line: CompiledRelease.Line, _ release: CompiledRelease,
                                              _ r: Replicate<S>) -> ArraySlice<Int32> {
            let t = r.table
            let covers = release.sourceCovers!
            let dependency = t.carer.isActive
            r.scratch.removeAll(keepingCapacity: true)
            for row in 0..<t.count where t.sex[row] == line.sex.rawValue
                && Int(t.age[row]) >= line.minimumAge && Int(t.age[row]) <= line.maximumAge
                && !(dependency && (t.carer[row] >= 0 || t.dependents[row] > 0))
                && t.releaseYear[row] != Int32(r.year) && !r.isEnclosed(row)
                && r.space.isIn(covers, row: row, table: t) {
                r.scratch.append(Int32(row))
            }
            let taken = r.drawWithoutReplacement(wanted, from: &r.scratch)
            r.record.releaseShortfall += wanted - taken
            return r.scratch[0..<taken]
        }
    }
}
