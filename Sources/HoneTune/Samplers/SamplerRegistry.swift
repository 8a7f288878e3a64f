import Foundation

/// What a sampler factory may use: the seed, the study directions and, when known up front
/// (as with `hone ask --space`), the declared search space (the grid sampler needs it).
public struct SamplerOptions: Sendable {
    public var seed: UInt64
    public var directions: [StudyDirection]
    public var space: [String: Distribution]

    public init(seed: UInt64 = 0, directions: [StudyDirection] = [.minimize], space: [String: Distribution] = [:]) {
        self.seed = seed; self.directions = directions; self.space = space
    }
}

/// Maps sampler names (as used by `hone ask --sampler NAME`) to factories.
///
/// Built-in samplers are listed in `builtIn`; programs may add their own with `register`.
///
/// ```swift
/// let sampler = try SamplerRegistry.make("random", SamplerOptions(seed: 1))
/// ```
public enum SamplerRegistry {
    public typealias Factory = @Sendable (SamplerOptions) throws -> any Sampler

    /// The samplers that ship with Hone.
    static let builtIn: [String: Factory] = [
        "random": { RandomSampler(seed: $0.seed) },
        "tpe": { TPESampler(seed: $0.seed) },
        "gp": { GPSampler(seed: $0.seed) },
        "nsga2": { NSGA2Sampler(seed: $0.seed) },
        "cmaes": { CmaEsSampler(seed: $0.seed) },
        "sobol": { SobolSampler(seed: $0.seed) },
        "grid": { try GridSampler(space: $0.space, seed: $0.seed) },
    ]

    private final class Custom: @unchecked Sendable {
        let lock = NSLock()
        var factories: [String: Factory] = [:]
    }
    private static let custom = Custom()

    /// Adds (or replaces) a sampler under `name`.
    public static func register(_ name: String, factory: @escaping Factory) {
        custom.lock.lock(); defer { custom.lock.unlock() }
        custom.factories[name] = factory
    }

    /// Every known sampler name, sorted.
    public static var names: [String] {
        custom.lock.lock(); defer { custom.lock.unlock() }
        return Set(builtIn.keys).union(custom.factories.keys).sorted()
    }

    /// Builds the sampler called `name`, or throws ``TuneError/unknownSampler(name:valid:)``.
    public static func make(_ name: String, _ options: SamplerOptions = SamplerOptions()) throws -> any Sampler {
        custom.lock.lock()
        let factory = custom.factories[name] ?? builtIn[name]
        custom.lock.unlock()
        guard let factory else { throw TuneError.unknownSampler(name: name, valid: names) }
        return try factory(options)
    }
}
