extension Year {
    /// Stage 10: record the year — N by sex and class, extinction (absorbing,
    /// Vortex's definition or a threshold), quasi-extinction, the regions — and
    /// list the breeding-age females and males for next year's Breed stage.
    enum Census {
        static func run<S: Space>(_ r: Replicate<S>) {
            let model = r.model
            let t = r.table
            let classes = model.classCount
            let n = t.count
            let sexColumn = t.sex.base, ageColumn = t.age.base, maturity = t.maturity.base
            let lastFemale = UInt8(clamping: model.lastBreedingAge[0]), lastMale = UInt8(clamping: model.lastBreedingAge[1])
            if r.breedingFemales.count < n {
                let size = max(n, 2 * r.breedingFemales.count)
                r.breedingFemales = [Int32](repeating: 0, count: size)
                r.matureMales = [Int32](repeating: 0, count: size)
            }
            for i in r.classCounts.indices { r.classCounts[i] = 0 }
            var females = 0, listedFemales = 0, listedMales = 0
            r.breedingFemales.withUnsafeMutableBufferPointer { femaleRows in
                r.matureMales.withUnsafeMutableBufferPointer { maleRows in
                    r.classCounts.withUnsafeMutableBufferPointer { counts in
                        model.classOfAge.withUnsafeBufferPointer { classOf in
                            for row in 0..<n {
                                let sex = Int(sexColumn[row])
                                let a = ageColumn[row]
                                counts[sex * classes + classOf[Int(a)]] += 1
                                females += 1 - sex
                                let adult = a >= maturity[row]
                                // Branch-free lists (slot `listed` is always writable: listed ≤ row < n).
                                femaleRows[listedFemales] = Int32(truncatingIfNeeded: row)
                                listedFemales += (sex == 0) && adult && a <= lastFemale ? 1 : 0
                                maleRows[listedMales] = Int32(truncatingIfNeeded: row)
                                listedMales += (sex == 1) && adult && a <= lastMale ? 1 : 0
                            }
                        }
                    }
                }
            }
            if model.hasEnclosures {
                // An animal in its release enclosure next year neither breeds nor sires.
                func free(_ row: Int32) -> Bool { (r.freedYear(Int(row)) ?? 0) <= r.year }
                listedFemales = compact(&r.breedingFemales, listedFemales, keeping: free)
                listedMales = compact(&r.matureMales, listedMales, keeping: free)
            }
            r.breedingFemaleCount = listedFemales
            r.matureMaleCount = listedMales
            let males = n - females
            r.record.females[r.year] = Int32(truncatingIfNeeded: females)
            r.record.males[r.year] = Int32(truncatingIfNeeded: males)
            var first = false
            if r.record.extinctionYear == nil && model.isExtinct(females: females, males: males) {
                r.record.extinctionYear = r.year
                first = true
            }
            for (k, x) in model.quasiExtinctionThresholds.enumerated() where n < x { r.everBelow[k] = true }
            r.classCounts.withUnsafeBufferPointer { counts in
                r.census.addCensus(t: r.year, classes: counts, extinctNow: r.record.extinctionYear != nil, firstExtinction: first,
                                   everBelowSoFar: r.everBelow)
            }
            r.space.census(r)
            if let g = r.genetics, let measures = g.measures(t) {
                r.census.addGenetics(t: r.year, measures: measures)
                if let landscape = model.spatial?.landscape, !landscape.regions.isEmpty {
                    for (region, values) in g.regionalMeasures(t, landscape: landscape).enumerated() {
                        if let values { r.census.addRegionalGenetics(t: r.year, region: region, measures: values) }
                    }
                }
            }
        }

        /// Keeps the first `count` entries of `list` that pass `keep`, in order; returns how many.
        static func compact(_ list: inout [Int32], _ count: Int, keeping keep: (Int32) -> Bool) -> Int {
            var kept = 0
            for i in 0..<count where keep(list[i]) {
                list[kept] = list[i]
                kept += 1
            }
            return kept
        }
    }
}
