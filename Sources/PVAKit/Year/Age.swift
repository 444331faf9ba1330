extension Year {
    /// Stage 4: every animal ages a year; young reaching the independence age
    /// leave their mother's care (dependency rules).
    enum Age {
        static func run<S: Space>(_ r: Replicate<S>) {
            let t = r.table
            let n = t.count
            let age = t.age.base
            for row in 0..<n { age[row] &+= 1 }
            guard t.carer.isActive else { return }
            let carer = t.carer.base
            let independence = UInt8(clamping: r.model.independenceAge)
            for row in 0..<n where carer[row] >= 0 && age[row] >= independence { carer[row] = -1 }
            t.recountDependents()
        }
    }
}
