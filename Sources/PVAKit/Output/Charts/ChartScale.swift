import Foundation

/// An axis's range, its round tick values and the map from values to drawing
/// coordinates. Ticks are whole multiples of a step of 1, 2 or 5 × 10ᵏ, computed as
/// integer × step, and their labels have fixed decimals, so the same data always give
/// the same text.
struct ChartScale {
    let low: Double
    let high: Double
    let ticks: [Double]
    let decimals: Int
    /// Drawing coordinates of `low` and `high` (for a y axis the first is the larger).
    let from: Double
    let to: Double

    /// The scale of `axis` over `values` (nil and non-finite values ignored), drawn from
    /// coordinate `from` to `to`, with about `tickCount` ticks.
    init(_ axis: ChartAxis, values: [Double?], from: Double, to: Double, tickCount: Int = 5) {
        self.from = from
        self.to = to
        var low: Double, high: Double
        if let range = axis.range {
            low = range.lowerBound
            high = range.upperBound
        } else {
            let finite = values.compactMap { $0 }.filter(\.isFinite)
            low = finite.min() ?? 0
            high = finite.max() ?? 1
            if axis.includesZero { low = min(low, 0); high = max(high, 0) }
            if let limits = axis.limits { low = max(low, limits.lowerBound); high = min(high, limits.upperBound) }
            if high - low < 1e-12 {
                // One value: a span around it (from it, when it is a lower limit or 0).
                let span = Swift.max(abs(high) * 0.2, low == 0 || axis.includesZero ? 1 : 1e-3)
                if axis.includesZero && low >= 0 || axis.limits?.lowerBound == low { high = low + span } else { low -= span / 2; high += span / 2 }
                if let limits = axis.limits { high = min(high, limits.upperBound) }
            }
        }
        // Whole-number labels need whole-number steps (no "2026" twice on a two-year axis).
        var step = Self.step(span: high - low, count: tickCount)
        if axis.decimals == 0 { step = max(step, 1) }
        if axis.range == nil && !axis.exact {
            low = (low / step).rounded(.down) * step
            high = (high / step).rounded(.up) * step
            if let limits = axis.limits { low = max(low, limits.lowerBound); high = min(high, limits.upperBound) }
        }
        var first = Int((low / step - 1e-9).rounded(.up)), last = Int((high / step + 1e-9).rounded(.down))
        if last - first < 1 && axis.range == nil {
            // Fewer than two ticks (one year of bars): widen to the round values around the data.
            first = min(first, Int((low / step + 1e-9).rounded(.down)))
            last = max(first + 1, last, Int((high / step - 1e-9).rounded(.up)))
            low = min(low, Double(first) * step)
            high = max(high, Double(last) * step)
        }
        self.low = low
        self.high = high
        ticks = first <= last ? (first...last).map { Double($0) * step } : []
        decimals = axis.decimals ?? max(0, -Int(Foundation.log10(step).rounded(.down)))
    }

    /// A round step (1, 2 or 5 × 10ᵏ) near `span / count`.
    static func step(span: Double, count: Int) -> Double {
        let raw = max(span, 1e-12) / Double(max(1, count))
        let magnitude = Foundation.pow(10, Foundation.log10(raw).rounded(.down))
        let residual = raw / magnitude
        let factor: Double = residual <= 1.000001 ? 1 : residual <= 2.000001 ? 2 : residual <= 5.000001 ? 5 : 10
        return factor * magnitude
    }

    /// The drawing coordinate of `value` (values outside the range are drawn at its edge).
    func position(_ value: Double) -> Double {
        let share = high > low ? (min(max(value, low), high) - low) / (high - low) : 0
        return from + share * (to - from)
    }

    /// A tick's label.
    func label(_ value: Double) -> String { Markup.number(value, decimals) }
}
