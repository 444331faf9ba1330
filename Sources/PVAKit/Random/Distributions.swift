import Foundation

/// Sampling from the distributions the model needs. All are built here on
/// `RandomStream`'s raw bits; none uses the standard library's sampling.
extension RandomStream {
    /// Standard normal deviate (Box–Muller; one output used per call so that
    /// the stream's state is the only state).
    public mutating func normal() -> Double {
        let u1 = uniformOpen()
        let u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Normal(mean, sd).
    public mutating func normal(mean: Double, sd: Double) -> Double {
        mean + sd * normal()
    }

    /// Lognormal with the given log-scale parameters μ and σ.
    public mutating func lognormal(mu: Double, sigma: Double) -> Double {
        exp(mu + sigma * normal())
    }

    /// Gamma(shape, scale 1) by Marsaglia & Tsang (2000); shape < 1 by the
    /// boost Gamma(a) = Gamma(a+1)·U^(1/a).
    public mutating func gamma(shape: Double) -> Double {
        precondition(shape > 0)
        if shape < 1 {
            let boost = pow(uniformOpen(), 1 / shape)
            return gamma(shape: shape + 1) * boost
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double
            var v: Double
            repeat {
                x = normal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = uniformOpen()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }

    /// Beta(a, b) as X/(X+Y) with X ~ Gamma(a), Y ~ Gamma(b).
    public mutating func beta(_ a: Double, _ b: Double) -> Double {
        let x = gamma(shape: a)
        let y = gamma(shape: b)
        return x / (x + y)
    }

    /// Binomial(n, p), exact: inversion when n·min(p, 1−p) < 10, otherwise
    /// Hörmann's BTRD (transformed rejection with decomposition, 1993).
    public mutating func binomial(_ n: Int, _ p: Double) -> Int {
        precondition(n >= 0)
        if n == 0 || p <= 0 { return 0 }
        if p >= 1 { return n }
        if p > 0.5 { return n - binomial(n, 1 - p) }
        if Double(n) * p < 10 { return binomialInversion(n, p) }
        return binomialBTRD(n, p)
    }

    private mutating func binomialInversion(_ n: Int, _ p: Double) -> Int {
        let q = 1 - p
        let ratio = p / q
        var pk = pow(q, Double(n))
        var cumulative = pk
        let u = uniform()
        var k = 0
        while u >= cumulative && k < n {
            pk *= ratio * Double(n - k) / Double(k + 1)
            cumulative += pk
            k += 1
            if pk < 1e-300 && cumulative > 1 - 1e-15 { break }
        }
        return k
    }

    /// Stirling-series correction fc(k) = ln k! − [(k + ½) ln(k+1) − (k+1) + ½ ln 2π].
    private static func stirlingCorrection(_ k: Int) -> Double {
        let table: [Double] = [
            0.08106146679532726, 0.04134069595540929, 0.02767792568499834,
            0.02079067210376509, 0.01664469118982119, 0.01387612882307075,
            0.01189670994589177, 0.01041126526197209, 0.009255462182712733,
            0.008330563433362871,
        ]
        if k < 10 { return table[k] }
        let kp1 = Double(k + 1)
        let kp1sq = kp1 * kp1
        return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / kp1
    }

    private mutating func binomialBTRD(_ n: Int, _ p: Double) -> Int {
        let dn = Double(n)
        let m = ((dn + 1) * p).rounded(.down)
        let r = p / (1 - p)
        let nr = (dn + 1) * r
        let npq = dn * p * (1 - p)
        let sqrtNpq = npq.squareRoot()
        let b = 1.15 + 2.53 * sqrtNpq
        let a = -0.0873 + 0.0248 * b + 0.01 * p
        let c = dn * p + 0.5
        let alpha = (2.83 + 5.1 / b) * sqrtNpq
        let vr = 0.92 - 4.2 / b
        let urvr = 0.86 * vr
        while true {
            var v = uniform()
            var u: Double
            if v <= urvr {
                u = v / vr - 0.43
                return Int(((2 * a / (0.5 - abs(u)) + b) * u + c).rounded(.down))
            }
            if v >= vr {
                u = uniform() - 0.5
            } else {
                u = v / vr - 0.93
                u = (u < 0 ? -0.5 : 0.5) - u
                v = uniform() * vr
            }
            let us = 0.5 - abs(u)
            let kd = ((2 * a / us + b) * u + c).rounded(.down)
            if kd < 0 || kd > dn { continue }
            let k = Int(kd)
            v = v * alpha / (a / (us * us) + b)
            let km = abs(kd - m)
            if km <= 15 {
                var f = 1.0
                let mi = Int(m)
                if mi < k {
                    var i = mi + 1
                    while i <= k { f *= nr / Double(i) - r; i += 1 }
                } else if mi > k {
                    var i = k + 1
                    while i <= mi { v *= nr / Double(i) - r; i += 1 }
                }
                if v <= f { return k }
                continue
            }
            v = log(v)
            let rho = (km / npq) * (((km / 3 + 0.625) * km + 1.0 / 6) / npq + 0.5)
            let t = -km * km / (2 * npq)
            if v < t - rho { return k }
            if v > t + rho { continue }
            let nm = dn - m + 1
            let h = (m + 0.5) * log((m + 1) / (r * nm))
                + Self.stirlingCorrection(Int(m)) + Self.stirlingCorrection(n - Int(m))
            let nk = dn - kd + 1
            if v <= h + (dn + 1) * log(nm / nk) + (kd + 0.5) * log(nk * r / (kd + 1))
                - Self.stirlingCorrection(k) - Self.stirlingCorrection(n - k) {
                return k
            }
        }
    }

    /// Hypergeometric: how many of `draws` items taken without replacement from `population`
    /// items are among its `marked` ones. Exact, by inversion: the support is walked from the
    /// mode outwards (right, then left, alternately), each probability from its neighbour by
    /// P(k+1)/P(k) = (K − k)(n − k) / ((k + 1)(N − K − n + k + 1)); cost O(SD).
    public mutating func hypergeometric(population N: Int, marked K: Int, draws n: Int) -> Int {
        precondition(N >= 0 && K >= 0 && K <= N && n >= 0 && n <= N)
        let lo = max(0, n - (N - K)), hi = min(n, K)
        if lo == hi { return lo }
        let mode = min(hi, max(lo, Int((Double(n + 1) * Double(K + 1) / Double(N + 2)).rounded(.down))))
        func ratio(_ k: Int) -> Double {  // P(k+1)/P(k)
            Double(K - k) * Double(n - k) / (Double(k + 1) * Double(N - K - n + k + 1))
        }
        let pMode = exp(SpecialFunctions.logChoose(K, mode) + SpecialFunctions.logChoose(N - K, n - mode) - SpecialFunctions.logChoose(N, n))
        var u = uniform() - pMode
        if u < 0 { return mode }
        var right = mode, left = mode, pRight = pMode, pLeft = pMode
        while right < hi || left > lo {
            if right < hi {
                pRight *= ratio(right)
                right += 1
                u -= pRight
                if u < 0 { return right }
            }
            if left > lo {
                pLeft /= ratio(left - 1)
                left -= 1
                u -= pLeft
                if u < 0 { return left }
            }
        }
        return mode  // rounding left a sliver of probability: the most likely value
    }

    /// An index drawn from a cumulative table (`cumulative.last` == 1).
    @inlinable
    public mutating func categorical(_ cumulative: [Double]) -> Int {
        let u = uniform()
        var i = 0
        let last = cumulative.count - 1
        while i < last && u >= cumulative[i] { i += 1 }
        return i
    }

    /// Fisher–Yates shuffle of `values` in place.
    public mutating func shuffle<T>(_ values: inout [T]) {
        var i = values.count
        while i > 1 {
            let j = below(i)
            i -= 1
            values.swapAt(i, j)
        }
    }
}
