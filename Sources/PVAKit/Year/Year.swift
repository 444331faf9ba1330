/// One year of a replicate: the stages in their one canonical order (MODEL.md
/// §3, Vortex's order). A scenario sets parameters; it never reorders, adds
/// or skips a stage. Each stage is a file of this folder. Within a stage
/// every animal's draw is made before any is applied (newborns join after
/// all have bred, the dead are removed after all have drawn), and where
/// animals compete they act in a random order, so row order never decides
/// who lives or breeds.
enum Year {
    enum Stage: CaseIterable {
        case environment, breed, mortality, age, disperse, harvest, release, growthRate, truncate, census
    }

    static func run<S: Space>(_ r: Replicate<S>) {
        r.previousN = r.table.count
        for stage in Stage.allCases {
            run(stage, r)
            r.check("\(stage)")
        }
    }

    static func run<S: Space>(_ stage: Stage, _ r: Replicate<S>) {
        switch stage {
        case .environment: Environment.run(r)  // 1. EV deviates, catastrophes, K
        case .breed: Breed.run(r)              // 2. litters, sexes, fathers
        case .mortality: Mortality.run(r)      // 3. competing hazards, causes, orphans
        case .age: Age.run(r)                  // 4. age + 1, independence
        case .disperse: Disperse.run(r)        // 5. walk and settle (landscape only)
        case .harvest: Harvest.run(r)          // 6. scheduled removals
        case .release: Release.run(r)          // 7. scheduled additions
        case .growthRate: GrowthRate.run(r)    // 8. r before truncation
        case .truncate: Truncate.run(r)        // 9. N ≤ K (no landscape)
        case .census: Census.run(r)            // 10. record the year
        }
    }
}
