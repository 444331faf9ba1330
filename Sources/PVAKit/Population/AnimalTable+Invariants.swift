extension AnimalTable {
    /// What is wrong with the table between stages, or nothing. Checked after every
    /// stage when a run asks for it (`pva run --check-invariants`; CI does).
    /// `dependentsCurrent`: the stage just run leaves `dependents` counted.
    func invariantViolations(maximumAge: Int, dependentsCurrent: Bool) -> [String] {
        var problems: [String] = []
        var counted = [Int](repeating: 0, count: count)
        for row in 0..<count {
            if fate[row] != 0 { problems.append("row \(row) is marked dead between stages") }
            if Int(age[row]) > maximumAge + 1 { problems.append("row \(row) is aged \(age[row]), past the maximum age") }
            if sex[row] > 1 { problems.append("row \(row) has sex \(sex[row])") }
            guard carer.isActive else { continue }
            let m = Int(carer[row])
            if m >= 0 {
                if m >= row { problems.append("row \(row) is cared for by row \(m), which comes after it") }
                else if sex[m] != Sex.female.rawValue { problems.append("row \(row) is cared for by a male (row \(m))") }
                else { counted[m] += 1 }
            }
        }
        if dependentsCurrent && carer.isActive {
            for row in 0..<count where Int(dependents[row]) != counted[row] {
                problems.append("row \(row) counts \(dependents[row]) young in her care, but \(counted[row]) name her")
            }
        }
        if id.isActive {
            var seen = Set<UInt32>()
            for row in 0..<count where !seen.insert(id[row]).inserted { problems.append("id \(id[row]) is used twice") }
        }
        return problems
    }
}
