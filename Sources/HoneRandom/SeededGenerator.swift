/// A deterministic pseudo-random generator: xoshiro256** (Blackman & Vigna 2018,
/// "Scrambled linear pseudorandom number generators"), seeded through SplitMix64.
///
/// The same seed gives the same sequence on every run and every machine: only integer
/// arithmetic is used to produce bits, and floats are made from the top 24/53 bits.
///
/// ```swift
/// var g = SeededGenerator(seed: 42)
/// let u = g.nextDouble()          // in [0, 1)
/// var h = SeededGenerator(seed: 42, stream: 7)   // an independent stream
/// ```
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// Creates a generator for `seed`; `stream` selects an independent sub-sequence
    /// (for example a trial number, a worker rank or a parameter name's hash).
    public init(seed: UInt64, stream: UInt64 = 0) {
        var sm = SplitMix64(state: seed ^ (stream &* 0x9E37_79B9_7F4A_7C15))
        if stream != 0 { _ = sm.next(); sm.state ^= stream &* 0xD1B5_4A32_D192_ED03 }
        s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inlinable func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform Double in [0, 1) from the top 53 bits.
    @inlinable public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform Float in [0, 1) from the top 24 bits.
    @inlinable public mutating func nextFloat() -> Float {
        Float(next() >> 40) * 0x1.0p-24
    }

    /// Uniform Double in [low, high).
    @inlinable public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * nextDouble()
    }

    /// Uniform integer in `range` (inclusive bounds), by Lemire's unbiased method.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(bitPattern: Int64(range.upperBound) &- Int64(range.lowerBound)) &+ 1
        if span == 0 { return Int(bitPattern: UInt(next())) }
        return range.lowerBound &+ Int(truncatingIfNeeded: bounded(span))
    }

    /// Uniform integer in [0, n).
    public mutating func bounded(_ n: UInt64) -> UInt64 {
        precondition(n > 0, "SeededGenerator.bounded: n must be positive")
        var m = next().multipliedFullWidth(by: n)
        if m.low < n {
            let t = (0 &- n) % n
            while m.low < t { m = next().multipliedFullWidth(by: n) }
        }
        return m.high
    }

    /// Standard normal deviate (Box–Muller, one value per call; the pair's second half is dropped
    /// so that the sequence depends only on the number of calls).
    public mutating func normal() -> Double {
        var u1 = nextDouble()
        while u1 <= 0 { u1 = nextDouble() }
        let u2 = nextDouble()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }

    /// Normal deviate with the given mean and standard deviation.
    public mutating func normal(mean: Double, std: Double) -> Double { mean + std * normal() }

    /// Fisher–Yates shuffle driven by this generator (the standard library's `shuffle(using:)`
    /// does not promise a stable algorithm across versions).
    public mutating func shuffle<T>(_ a: inout [T]) {
        if a.count < 2 { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            let j = Int(bounded(UInt64(i + 1)))
            if i != j { a.swapAt(i, j) }
        }
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014), used only to expand seeds.
public struct SplitMix64: Sendable {
    public var state: UInt64
    public init(state: UInt64) { self.state = state }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A stable 64-bit hash of a string (FNV-1a), for deriving streams from names.
/// Swift's `Hasher` is randomly seeded per process, so it must not be used for this.
public func stableHash(_ s: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    return h
}
