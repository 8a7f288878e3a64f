/// Colours used by every chart (colour-blind-safe Okabe–Ito order), and a sequential ramp.
public enum Palette {
    public static let series = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

    public static func color(_ i: Int) -> String { series[((i % series.count) + series.count) % series.count] }

    /// A light-to-dark blue ramp for heatmaps; `u` in [0, 1].
    public static func sequential(_ u: Double) -> String {
        let t = u.isFinite ? min(max(u, 0), 1) : 0
        let from = (247.0, 251.0, 255.0), to = (8.0, 48.0, 107.0)
        let r = Int(from.0 + (to.0 - from.0) * t), g = Int(from.1 + (to.1 - from.1) * t), b = Int(from.2 + (to.2 - from.2) * t)
        return "rgb(\(r),\(g),\(b))"
    }

    /// Text colour readable on `sequential(u)`.
    public static func onSequential(_ u: Double) -> String { u > 0.55 ? "#fff" : "#222" }
}
