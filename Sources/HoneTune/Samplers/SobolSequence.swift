import HoneRandom

/// The Sobol low-discrepancy sequence (Sobol' 1967; Bratley & Fox, ACM TOMS 14, 1988) with
/// Joe–Kuo direction numbers (``SobolDirectionNumbers``, up to 128 dimensions) at 30 bits,
/// optionally scrambled by a random linear matrix scramble plus a digital shift ("LMS+shift",
/// Matoušek 1998; Owen 2003), as `scipy.stats.qmc.Sobol(scramble=True)`.
///
/// Points are computed from their index directly (Gray-code order, Antonov & Saleev 1979),
/// so a point needs no state: x(i) = ⊕ v_k over the bits k of gray(i) = i ⊕ (i >> 1).
///
/// ```swift
/// let s = SobolSequence(dimensions: 2, scrambleSeed: nil)
/// s.point(1)   // [0.5, 0.5]
/// ```
public struct SobolSequence: Sendable {
    public static let maxDimensions = SobolDirectionNumbers.table.count + 1
    static let bits = 30
    public let dimensions: Int
    /// Direction numbers v[j][k] (30-bit integers), scrambled when a seed was given.
    let v: [[UInt32]]
    let shift: [UInt32]

    public init(dimensions: Int, scrambleSeed: UInt64?) {
        precondition(dimensions >= 1 && dimensions <= Self.maxDimensions,
                     "SobolSequence: dimensions must be in 1...\(Self.maxDimensions), got \(dimensions)")
        self.dimensions = dimensions
        let b = Self.bits
        var dirs: [[UInt32]] = []
        for j in 0..<dimensions {
            var m = [UInt32](repeating: 1, count: b)
            if j > 0 {
                let e = SobolDirectionNumbers.table[j - 1]
                for k in 0..<e.s { m[k] = e.m[k] }
                if e.s < b {
                    for k in e.s..<b {
                        // m_k = 2a₁m_{k−1} ⊕ 2²a₂m_{k−2} ⊕ … ⊕ 2^{s−1}a_{s−1}m_{k−s+1} ⊕ 2^s m_{k−s} ⊕ m_{k−s}
                        var val = m[k - e.s] ^ (m[k - e.s] << UInt32(e.s))
                        for i in 1..<e.s where (e.a >> UInt32(e.s - 1 - i)) & 1 == 1 {
                            val ^= m[k - i] << UInt32(i)
                        }
                        m[k] = val
                    }
                }
            }
            dirs.append((0..<b).map { k in m[k] << UInt32(b - 1 - k) })
        }
        var shifts = [UInt32](repeating: 0, count: dimensions)
        if let seed = scrambleSeed {
            var g = SeededGenerator(seed: seed, stream: stableHash("sobol-scramble"))
            for j in 0..<dimensions {
                // Lower-triangular matrix with unit diagonal over GF(2), rows = output bits from
                // the most significant; row r mixes input bits 0…r (MSB first).
                var rows = [UInt32](repeating: 0, count: b)
                for r in 0..<b {
                    var row: UInt32 = 1 << UInt32(b - 1 - r)
                    for c in 0..<r where g.next() & 1 == 1 { row |= 1 << UInt32(b - 1 - c) }
                    rows[r] = row
                }
                dirs[j] = dirs[j].map { vk in
                    var out: UInt32 = 0
                    for r in 0..<b where (rows[r] & vk).nonzeroBitCount & 1 == 1 { out |= 1 << UInt32(b - 1 - r) }
                    return out
                }
                shifts[j] = UInt32(truncatingIfNeeded: g.next()) & ((1 << UInt32(b)) - 1)
            }
        }
        v = dirs; shift = shifts
    }

    /// The point with index `i` (0-based), in [0, 1)^d.
    public func point(_ i: Int) -> [Double] {
        let gray = UInt64(i) ^ (UInt64(i) >> 1)
        var out = [Double](repeating: 0, count: dimensions)
        for j in 0..<dimensions {
            var x = shift[j]
            var gbits = gray, k = 0
            while gbits != 0 && k < Self.bits {
                if gbits & 1 == 1 { x ^= v[j][k] }
                gbits >>= 1; k += 1
            }
            out[j] = Double(x) / Double(1 << Self.bits)
        }
        return out
    }
}
