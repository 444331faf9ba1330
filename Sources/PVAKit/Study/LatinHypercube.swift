/// Latin hypercube sampling (McKay, Beckman & Conover 1979): `n` points in [0, 1)^d whose
/// every coordinate puts exactly one point in each of its n equal strata, the strata of
/// different coordinates paired in independent random orders. Used by `pva calibrate`
/// (draws from the priors) and `pva sensitivity` (draws over the parameters' ranges).
public enum LatinHypercube {
    public static func points(_ n: Int, dimensions: Int, rng: inout RandomStream) -> [[Double]] {
        var points = [[Double]](repeating: [Double](repeating: 0, count: dimensions), count: n)
        for d in 0..<dimensions {
            var strata = Array(0..<n)
            rng.shuffle(&strata)
            for i in 0..<n { points[i][d] = (Double(strata[i]) + rng.uniform()) / Double(n) }
        }
        return points
    }
}
