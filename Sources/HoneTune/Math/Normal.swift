#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// The standard normal distribution's density, distribution function, their logarithms and
/// the quantile function, accurate far into the tails.
///
/// ```swift
/// Normal.cdf(1.96)          // ≈ 0.975
/// Normal.logCDF(-40)        // ≈ -804.6, where cdf underflows
/// Normal.quantile(0.975)    // ≈ 1.96
/// ```
public enum Normal {
    /// log(√(2π)).
    public static let logSqrt2Pi = 0.918_938_533_204_672_8

    /// φ(z) = e^{−z²/2}/√(2π).
    @inlinable public static func pdf(_ z: Double) -> Double { exp(-0.5 * z * z - logSqrt2Pi) }

    /// log φ(z).
    @inlinable public static func logPDF(_ z: Double) -> Double { -0.5 * z * z - logSqrt2Pi }

    /// Φ(z) = ½ erfc(−z/√2).
    @inlinable public static func cdf(_ z: Double) -> Double { 0.5 * erfc(-z * 0.707_106_781_186_547_6) }

    /// log Φ(z); uses the asymptotic Mills-ratio series below z = −20 where Φ underflows.
    public static func logCDF(_ z: Double) -> Double {
        if z > -20 { return log(cdf(z)) }
        // Φ(z) = φ(z)/|z| · (1 − 1/z² + 3/z⁴ − 15/z⁶ + 105/z⁸ − …)  (Abramowitz & Stegun 26.2.12)
        let z2 = 1 / (z * z)
        let series = 1 - z2 * (1 - z2 * (3 - z2 * (15 - z2 * 105)))
        return logPDF(z) - log(-z) + log(series)
    }

    /// log(Φ(b) − Φ(a)) for a < b, computed in the tail where the difference is most precise
    /// (as in scipy's `_log_gauss_mass`).
    public static func logMass(_ a: Double, _ b: Double) -> Double {
        if b <= 0 {
            // Both in the left tail: log Φ(b) + log(1 − Φ(a)/Φ(b)).
            let la = logCDF(a), lb = logCDF(b)
            return lb + log1mexp(la - lb)
        } else if a >= 0 {
            let la = logCDF(-b), lb = logCDF(-a)
            return lb + log1mexp(la - lb)
        } else {
            // a < 0 < b: 1 − Φ(a) − Φ(−b), both terms ≤ ½; a tail beyond 8.5σ is below
            // 1e-17 and cannot change the result, so its erfc is skipped.
            let ta = a < -8.5 ? 0 : cdf(a), tb = b > 8.5 ? 0 : cdf(-b)
            return log1p(-ta - tb)
        }
    }

    /// log(1 − eˣ) for x ≤ 0 (Mächler 2012).
    @inlinable public static func log1mexp(_ x: Double) -> Double {
        if x >= 0 { return -Double.infinity }
        return x > -0.693_147_180_559_945_3 ? log(-expm1(x)) : log1p(-exp(x))
    }

    /// Scaled complementary error function erfcx(x) = e^{x²} erfc(x) for x ≥ 0.
    public static func erfcx(_ x: Double) -> Double {
        if x < 25 { return exp(x * x) * erfc(x) }
        // Asymptotic series (A&S 7.1.23): 1/(x√π) · Σ (−1)ⁿ (2n−1)!! / (2x²)ⁿ.
        let t = 1 / (2 * x * x)
        let s = 1 - t * (1 - 3 * t * (1 - 5 * t * (1 - 7 * t)))
        return s / (x * 1.772_453_850_905_516)
    }

    /// The quantile function Φ⁻¹(p) for p in (0, 1): Acklam's rational approximation refined
    /// by one Halley step, accurate to about 1e-15.
    public static func quantile(_ p: Double) -> Double {
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        let a = (-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00)
        let b = (-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01)
        let c = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00)
        let d = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                 3.754408661907416e+00)
        let pLow = 0.02425
        var x: Double
        if p < pLow {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c.0 * q + c.1) * q + c.2) * q + c.3) * q + c.4) * q + c.5)
                / ((((d.0 * q + d.1) * q + d.2) * q + d.3) * q + 1)
        } else if p <= 1 - pLow {
            let q = p - 0.5, r = q * q
            x = (((((a.0 * r + a.1) * r + a.2) * r + a.3) * r + a.4) * r + a.5) * q
                / (((((b.0 * r + b.1) * r + b.2) * r + b.3) * r + b.4) * r + 1)
        } else {
            let q = (-2 * log1p(-p)).squareRoot()
            x = -(((((c.0 * q + c.1) * q + c.2) * q + c.3) * q + c.4) * q + c.5)
                / ((((d.0 * q + d.1) * q + d.2) * q + d.3) * q + 1)
        }
        // Halley refinement on Φ(x) − p.
        let e = (x < 0 ? cdf(x) - p : -(cdf(-x) - (1 - p)))
        let u = e * (2 * Double.pi).squareRoot() * exp(0.5 * x * x)
        x -= u / (1 + 0.5 * x * u)
        return x
    }

    /// A draw from N(0,1) truncated to [a, b] by inversion: u ∈ [Φ(a), Φ(b)], z = Φ⁻¹(u).
    /// Works on whichever side keeps the probabilities away from 1.
    public static func truncatedSample(_ a: Double, _ b: Double, u: Double) -> Double {
        if a >= 0 {
            // Mirror to the left tail for precision.
            return -truncatedSample(-b, -a, u: 1 - u)
        }
        let pa = cdf(a), pb = cdf(b)
        let z = quantile(pa + u * (pb - pa))
        return min(max(z, a), b)
    }
}
