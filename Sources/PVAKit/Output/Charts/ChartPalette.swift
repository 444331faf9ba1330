/// The colours of the charts: the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal
/// Design"), eight colours that stay distinct for the common forms of colour blindness
/// (protanopia, deuteranopia, tritanopia) and in greyscale print when paired with the
/// dash patterns below. Series take them in `order`: the strongest contrasts on white
/// first, yellow last (it is faint as a thin line on white).
public enum ChartPalette {
    public static let black = "#000000"
    public static let orange = "#E69F00"
    public static let skyBlue = "#56B4E9"
    public static let bluishGreen = "#009E73"
    public static let yellow = "#F0E442"
    public static let blue = "#0072B2"
    public static let vermillion = "#D55E00"
    public static let reddishPurple = "#CC79A7"

    /// The order in which series, layers and rows take colours.
    public static let order = [blue, vermillion, bluishGreen, orange, reddishPurple, skyBlue, black, yellow]

    /// Colour of the `index`-th series (cycling after eight).
    public static func colour(_ index: Int) -> String { order[((index % order.count) + order.count) % order.count] }

    /// Dash patterns for lines (SVG `stroke-dasharray`; nil = solid). A series beyond the
    /// eighth repeats a colour with the next pattern, so no two series look alike.
    public static let dashes: [String?] = [nil, "6 3", "2 2", "8 3 2 3"]

    /// Dash pattern of the `index`-th series when only colours tell series apart.
    static func dash(cycle index: Int) -> String? { dashes[(index / order.count) % dashes.count] }

    /// Grid lines, axes and secondary text.
    static let grid = "#E3E3E3"
    static let axis = "#333333"
    static let mutedText = "#555555"
}
