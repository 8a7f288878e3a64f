import Foundation

/// Maps data values onto pixels along one axis, linearly or logarithmically, with "nice" ticks
/// (Heckbert, "Nice numbers for graph labels", Graphics Gems 1990).
public struct Scale: Sendable {
    public let domain: (Double, Double)
    public let range: (Double, Double)
    public let isLog: Bool

    /// A scale covering `values` (padded by 5% when linear); a degenerate domain is widened.
    public init(values: [Double], range: (Double, Double), log: Bool = false) {
        let finite = values.filter { $0.isFinite && (!log || $0 > 0) }
        var lo = finite.min() ?? 0, hi = finite.max() ?? 1
        if log {
            if lo == hi { lo /= 10; hi *= 10 }
        } else {
            if lo == hi { lo -= 1; hi += 1 } else { let pad = (hi - lo) * 0.05; lo -= pad; hi += pad }
        }
        self.domain = (lo, hi); self.range = range; self.isLog = log && lo > 0
    }

    public init(domain: (Double, Double), range: (Double, Double), log: Bool = false) {
        self.domain = domain; self.range = range; self.isLog = log && domain.0 > 0
    }

    private func t(_ v: Double) -> Double { isLog ? Foundation.log10(v) : v }

    /// The pixel position of `v` (values outside the domain extrapolate).
    public func callAsFunction(_ v: Double) -> Double {
        let a = t(domain.0), b = t(domain.1)
        let u = b == a ? 0.5 : (t(v) - a) / (b - a)
        return range.0 + u * (range.1 - range.0)
    }

    /// Tick values inside the domain: powers of ten for log scales, nice steps otherwise.
    public func ticks(count: Int = 5) -> [Double] {
        if isLog {
            let lo = Int(Foundation.floor(Foundation.log10(domain.0))), hi = Int(Foundation.ceil(Foundation.log10(domain.1)))
            let all = (lo...max(lo, hi)).map { Foundation.pow(10.0, Double($0)) }
            let inside = all.filter { $0 >= domain.0 * 0.999 && $0 <= domain.1 * 1.001 }
            return inside.isEmpty ? [domain.0, domain.1] : inside
        }
        let span = Scale.nice(domain.1 - domain.0, round: false)
        let step = Scale.nice(span / Double(max(count - 1, 1)), round: true)
        guard step > 0, step.isFinite else { return [domain.0] }
        var v = Foundation.ceil(domain.0 / step) * step
        var out: [Double] = []
        while v <= domain.1 + step * 1e-9, out.count < 50 { out.append(abs(v) < step * 1e-9 ? 0 : v); v += step }
        return out
    }

    static func nice(_ x: Double, round: Bool) -> Double {
        guard x > 0, x.isFinite else { return 1 }
        let e = Foundation.floor(Foundation.log10(x)), f = x / Foundation.pow(10, e)
        let nf: Double
        if round { nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10 } else { nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10 }
        return nf * Foundation.pow(10, e)
    }

    /// A short label for a tick value.
    public static func label(_ v: Double) -> String {
        if v == 0 { return "0" }
        let a = abs(v)
        if a >= 1e4 || a < 1e-3 { return String(format: "%.0e", v) }
        if a >= 100 { return String(format: "%.0f", v) }
        if a >= 1 { return String(format: "%.3g", v) }
        return String(format: "%.3g", v)
    }
}
