/// One axis of a chart: its label (with its units, e.g. "N (animals)") and how its
/// range is chosen. By default the range covers the data and is widened to round tick
/// values; `exact` keeps it at the data (years on an x axis).
public struct ChartAxis: Sendable {
    /// The axis label, with units.
    public var label: String
    /// A fixed range; nil: from the data.
    public var range: ClosedRange<Double>?
    /// Whether a range from the data reaches 0.
    public var includesZero: Bool
    /// Bounds a range from the data never passes (0…1 for probabilities).
    public var limits: ClosedRange<Double>?
    /// Whether a range from the data stays at the data (true) or widens to round ticks.
    public var exact: Bool
    /// Decimals of the tick labels; nil: as many as the tick step needs.
    public var decimals: Int?

    public init(_ label: String, range: ClosedRange<Double>? = nil, includesZero: Bool = false,
                limits: ClosedRange<Double>? = nil, exact: Bool = false, decimals: Int? = nil) {
        self.label = label
        self.range = range
        self.includesZero = includesZero
        self.limits = limits
        self.exact = exact
        self.decimals = decimals
    }

    /// A probability axis: from 0, widened to round ticks but never past 1.
    public static func probability(_ label: String) -> ChartAxis {
        ChartAxis(label, includesZero: true, limits: 0...1)
    }

    /// A count or amount axis from 0 (N, deaths).
    public static func amount(_ label: String) -> ChartAxis { ChartAxis(label, includesZero: true, limits: 0...Double.greatestFiniteMagnitude) }

    /// Calendar years, exactly the years of the data, with whole-number ticks.
    public static func years(_ label: String = "Year") -> ChartAxis { ChartAxis(label, exact: true, decimals: 0) }
}
