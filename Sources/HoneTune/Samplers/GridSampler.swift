import HoneRandom

/// Exhaustive search over declared values, like scikit-learn's `GridSearchCV`: the grid is
/// the Cartesian product of each parameter's values (all choices of categoricals and all
/// grid points of integers and stepped floats by default; continuous floats need explicit
/// values).
///
/// Trial number i takes grid point `order[i mod G]` (G = grid size; `order` is a seeded
/// permutation when `shuffle`, else the natural mixed-radix order, last name fastest); if
/// that point is already taken by another RUNNING or finished trial (an enqueued trial, or
/// a retry), the next free point in `order` is used instead. Once every point is taken, points
/// repeat. Parameters outside the grid are sampled at random.
///
/// ```swift
/// let space: [String: Distribution] = [
///     "lr": .float(low: 1e-4, high: 1e-1, log: true, step: nil),
///     "opt": .categorical(choices: [.string("adam"), .string("sgd")]),
/// ]
/// let grid = try GridSampler(space: space, values: ["lr": [1e-4, 1e-3, 1e-2, 1e-1]])   // 8 points
/// ```
public struct GridSampler: Sampler {
    public let space: [String: Distribution]
    /// Parameter names, sorted; values[j] are the internal values of names[j].
    public let names: [String]
    public let values: [[Double]]
    public let seed: UInt64
    public let shuffle: Bool

    /// Throws ``TuneError/invalidArgument(field:reason:)`` when a value lies outside its
    /// distribution, a continuous float has no values, or a list is empty.
    public init(space: [String: Distribution], values: [String: [Double]] = [:], seed: UInt64 = 0,
                shuffle: Bool = false) throws {
        guard !space.isEmpty else {
            throw TuneError.invalidArgument(field: "grid", reason: "the grid sampler needs a declared search space")
        }
        for name in values.keys where space[name] == nil {
            throw TuneError.invalidArgument(field: "grid.\(name)", reason: "values given for a parameter that is not in the space")
        }
        let names = space.keys.sorted()
        var vals: [[Double]] = []
        for name in names {
            let d = space[name]!
            let v: [Double]
            if let given = values[name] {
                for x in given where !d.contains(x) {
                    throw TuneError.invalidArgument(field: "grid.\(name)", reason: "value \(x) is outside \(d)")
                }
                v = given
            } else if let n = d.cardinality {
                v = (0..<n).map { SamplerSpace.fromUnit((Double($0) + 0.5) / Double(n), d) }
            } else {
                throw TuneError.invalidArgument(field: "grid.\(name)",
                    reason: "a continuous float needs explicit grid values (or a step)")
            }
            guard !v.isEmpty else { throw TuneError.invalidArgument(field: "grid.\(name)", reason: "no values") }
            vals.append(v)
        }
        self.space = space; self.names = names; self.values = vals; self.seed = seed; self.shuffle = shuffle
    }

    /// Number of grid points.
    public var count: Int { values.reduce(1) { $0 * $1.count } }

    /// Internal values of grid point `id` (mixed radix, last name fastest).
    public func point(_ id: Int) -> [String: Double] {
        var rest = id
        var out: [String: Double] = [:]
        for j in stride(from: names.count - 1, through: 0, by: -1) {
            out[names[j]] = values[j][rest % values[j].count]
            rest /= values[j].count
        }
        return out
    }

    /// The grid id of a parameter set, or nil when it is not a grid point.
    func id(of params: [String: Double]) -> Int? {
        var id = 0
        for (j, name) in names.enumerated() {
            guard let v = params[name], let k = values[j].firstIndex(of: v) else { return nil }
            id = id * values[j].count + k
        }
        return id
    }

    func order() -> [Int] {
        var o = Array(0..<count)
        if shuffle {
            var g = SeededGenerator(seed: seed, stream: stableHash("grid-order"))
            g.shuffle(&o)
        }
        return o
    }

    public func relativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) -> [String: Distribution] { space }

    public func sampleRelative(study: StudySnapshot, trial: FrozenTrial,
                               space: [String: Distribution]) -> [String: Double] {
        let g = count
        var taken = [Bool](repeating: false, count: g)
        for t in study.trials where t.number != trial.number && t.state != .waiting {
            if let i = id(of: t.params) { taken[i] = true }
        }
        let order = order()
        let start = trial.number % g
        var pick = order[start]
        for step in 0..<g {
            let candidate = order[(start + step) % g]
            if !taken[candidate] { pick = candidate; break }
        }
        return point(pick).filter { space[$0.key] != nil }
    }

    public func sampleIndependent(study: StudySnapshot, trial: FrozenTrial,
                                  name: String, distribution: Distribution) -> Double {
        var g = SamplerSpace.rng(seed: seed, trial: trial.number, purpose: name)
        return SamplerSpace.uniform(distribution, using: &g)
    }
}
