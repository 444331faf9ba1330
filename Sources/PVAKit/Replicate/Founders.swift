/// The initial population (MODEL.md §4.10): each group's family units (an
/// adult and, for a mother, her dependent young, allocated from the model's
/// stable structure) or its listed animals, placed in the group's region.
/// Founders have no known parents.
enum Founders {
    static func place<S>(_ r: Replicate<S>) {
        let model = r.model
        let table = r.table
        for template in model.initial {
            for (unit, count) in template.units {
                let ages = model.species.lifeHistory(unit.sex).firstBreedingAge.ages
                for _ in 0..<count {
                    let row = table.append(sex: unit.sex, age: unit.age, maturity: ages[unit.maturityIndex],
                                           lastLitter: unit.sex == .female ? Int32(1 - unit.sinceLitter) : AnimalTable.never,
                                           origin: .founder)
                    r.space.place(row, region: template.region, table: table, rng: &r.rng)
                    for (sex, young) in [(Sex.female, unit.cubFemales), (Sex.male, unit.cubMales)] {
                        for _ in 0..<young {
                            let cub = table.append(sex: sex, age: unit.cubAge, maturity: model.maturity[Int(sex.rawValue)].draw(&r.rng),
                                                   carer: Int32(row), origin: .founder)
                            r.space.placeNewborn(cub, mother: row, table: table)
                        }
                    }
                }
            }
            for group in template.individuals {
                for _ in 0..<group.count {
                    let row = table.append(sex: group.sex, age: group.age, maturity: model.maturity[Int(group.sex.rawValue)].draw(&r.rng),
                                           origin: .founder)
                    r.space.place(row, region: template.region, table: table, rng: &r.rng)
                }
            }
        }
        table.recountDependents()
    }
}
