import Foundation

/// Special functions used by the distributions, the EV transform and the
/// statistics. Elementary functions (`log`, `exp`, `erfc`, `lgamma`) come from
/// the C library; everything built on them is ours.
public enum SpecialFunctions {
    /// Standard normal cumulative distribution Φ(x) = erfc(−x/√2)/2.
    public static func normalCDF(_ x: Double) -> Double {
        0.5 * erfc(-x / 2.0.squareRoot())
    }

    /// Standard normal quantile Φ⁻¹(p), by Acklam's rational approximation
    /// (relative error 1.15e-9) refined by one Halley step against `erfc`,
    /// which brings it to full double precision.
    public static func normalQuantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "normalQuantile needs 0 < p < 1")
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                 3.754408661907416e+00]
        let low = 0.02425
        var x: Double
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - low {
            let q = p - 0.5
            let r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log(1 - p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let e = normalCDF(x) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }

    /// ln Γ(x) for x > 0.
    public static func logGamma(_ x: Double) -> Double { lgamma(x) }

    /// ln C(n, k).
    public static func logChoose(_ n: Int, _ k: Int) -> Double {
        logGamma(Double(n) + 1) - logGamma(Double(k) + 1) - logGamma(Double(n - k) + 1)
    }

    /// Regularised incomplete beta function I_x(a, b), by the continued
    /// fraction of Numerical Recipes §6.4 evaluated with the modified Lentz
    /// method, using the symmetry I_x(a,b) = 1 − I_{1−x}(b,a) where it converges
    /// faster.
    public static func regularizedIncompleteBeta(_ a: Double, _ b: Double, _ x: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * log(x) + b * log(1 - x)
        if x < (a + 1) / (a + b + 2) {
            return exp(lnFront) * betaContinuedFraction(a, b, x) / a
        }
        return 1 - exp(lnFront) * betaContinuedFraction(b, a, 1 - x) / b
    }

    private static func betaContinuedFraction(_ a: Double, _ b: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...500 {
            let m2 = Double(2 * m)
            let dm = Double(m)
            var aa = dm * (b - dm) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + dm) * (qab + dm) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return h
    }

    /// Quantile of Beta(a, b) at u: bisection on the incomplete beta function
    /// to 1e-12 (the CDF is monotone, so this cannot fail to converge).
    public static func betaQuantile(_ u: Double, _ a: Double, _ b: Double) -> Double {
        var lo = 0.0, hi = 1.0
        for _ in 0..<60 {
            let mid = 0.5 * (lo + hi)
            if regularizedIncompleteBeta(a, b, mid) < u { lo = mid } else { hi = mid }
            if hi - lo < 1e-12 { break }
        }
        return 0.5 * (lo + hi)
    }

    /// The two-sided critical value of Student's t with ν degrees of freedom: the t with
    /// P(|T| > t) = α, from P(|T| > t) = I_{ν/(ν+t²)}(ν/2, ½) (Abramowitz & Stegun 26.7.1),
    /// so t = √(ν(1 − x)/x) with x the Beta(ν/2, ½) quantile at α.
    public static func studentTCritical(_ alpha: Double, degrees nu: Double) -> Double {
        precondition(alpha > 0 && alpha < 1 && nu > 0, "studentTCritical needs 0 < α < 1 and ν > 0")
        let x = betaQuantile(alpha, nu / 2, 0.5)
        return (nu * (1 - x) / x).squareRoot()
    }

    /// Cumulative probabilities P(X ≤ k), k = 0…n, of Binomial(n, p), summed
    /// from the mode outwards so that no term underflows where it matters.
    public static func binomialCDF(n: Int, p: Double) -> [Double] {
        precondition(n >= 0 && p >= 0 && p <= 1)
        var pmf = [Double](repeating: 0, count: n + 1)
        if p == 0 { pmf[0] = 1 } else if p == 1 { pmf[n] = 1 } else {
            let mode = min(n, Int((Double(n + 1) * p).rounded(.down)))
            pmf[mode] = exp(logChoose(n, mode) + Double(mode) * log(p) + Double(n - mode) * log1p(-p))
            let ratio = p / (1 - p)
            var k = mode
            while k < n {  // P(k+1) = P(k) (n−k)/(k+1) · p/q
                pmf[k + 1] = pmf[k] * Double(n - k) / Double(k + 1) * ratio
                k += 1
            }
            k = mode
            while k > 0 {  // P(k−1) = P(k) k/(n−k+1) · q/p
                pmf[k - 1] = pmf[k] * Double(k) / Double(n - k + 1) / ratio
                k -= 1
            }
        }
        var cdf = pmf
        for i in 1..<cdf.count { cdf[i] = cdf[i - 1] + pmf[i] }
        let total = cdf[n]
        for i in 0...n { cdf[i] /= total }
        cdf[n] = 1
        return cdf
    }

    /// The u-quantile of Binomial(n, p): the smallest k with P(X ≤ k) ≥ u, by bisection on k
    /// with P(X ≤ k) = I_{1−p}(n − k, k + 1) (the regularized incomplete beta), so nothing
    /// underflows however large n is.
    public static func binomialQuantile(n: Int, p: Double, u: Double) -> Int {
        if p <= 0 { return 0 }
        if p >= 1 { return n }
        var lo = 0, hi = n
        while lo < hi {
            let mid = (lo + hi) / 2
            let cdf = mid >= n ? 1 : regularizedIncompleteBeta(Double(n - mid), Double(mid + 1), 1 - p)
            if cdf >= u { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// Smallest k with cdf[k] ≥ u (binary search).
    public static func quantile(ofCDF cdf: [Double], at u: Double) -> Int {
        var lo = 0, hi = cdf.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cdf[mid] >= u { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
