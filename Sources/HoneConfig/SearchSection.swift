/// `search:` — how the tuner explores the space.
///
/// ```yaml
/// search:
///   sampler: tpe        # tpe | random | gp | sobol | cmaes | grid | nsga2
///   pruner: asha        # asha | median | percentile | hyperband | patience | none
///   trials: 30
///   timeout: 170        # seconds for the search (retraining not included)
///   storage: sqlite:///runs/default/study.db
///   study: default
///   seed: 0
/// ```
public struct SearchSection: Hashable, Sendable {
    public static let samplers = ["tpe", "random", "gp", "sobol", "cmaes", "grid", "nsga2"]
    public static let pruners = ["asha", "median", "percentile", "hyperband", "patience", "none"]

    public var sampler = "tpe"
    public var pruner = "asha"
    public var trials = 30
    public var timeout: Double?
    public var storage: String?
    public var study: String?
    public var seed = 0
    public var parallelism = 1
    /// `none` (each trial trains on its own, pruned by `pruner`) or `pbt` (population-based training).
    public var scheduler = "none"
    /// PBT population size.
    public var population = 8
    /// PBT: epochs between exploit/explore steps.
    public var pbtInterval = 2
    /// Optional extra objectives for multi-objective tuning (from the compression issue).
    public var objectives: [String] = ["accuracy"]

    public init() {}

    static let keys = ["sampler", "pruner", "trials", "timeout", "storage", "study", "seed", "parallelism", "objectives",
                       "scheduler", "population", "pbt_interval"]

    init(_ n: YAMLNode) throws {
        try n.checkKeys(Self.keys)
        if let s = try n.child("sampler") { sampler = try s.oneOf(Self.samplers) }
        if let p = try n.child("pruner") { pruner = try p.oneOf(Self.pruners) }
        if let t = try n.child("trials") {
            trials = try t.int()
            guard trials >= 1 else { throw t.error("expected at least 1 trial, got \(trials)") }
        }
        if let t = try n.child("timeout"), !t.isNull {
            timeout = try t.double()
            guard timeout! > 0 else { throw t.error("expected a positive number of seconds") }
        }
        storage = try n.child("storage")?.string()
        if let s = storage, !(s.hasPrefix("sqlite:///") || s.hasPrefix("postgresql://") || s.hasPrefix("memory")) {
            throw try n.child("storage")!.error("expected sqlite:///PATH, postgresql://… or memory:")
        }
        study = try n.child("study")?.string()
        seed = try n.child("seed")?.int() ?? 0
        if let p = try n.child("parallelism") {
            parallelism = try p.int()
            guard parallelism >= 1 else { throw p.error("expected parallelism ≥ 1") }
        }
        if let v = try n.child("scheduler") { scheduler = try v.oneOf(["none", "pbt"]) }
        if let v = try n.child("population") {
            population = try v.int()
            guard population >= 2 else { throw v.error("expected a population of at least 2") }
        }
        if let v = try n.child("pbt_interval") {
            pbtInterval = try v.int()
            guard pbtInterval >= 1 else { throw v.error("expected an interval of at least 1 epoch") }
        }
        if let o = try n.child("objectives") {
            objectives = try o.elements().map { try $0.oneOf(["accuracy", "size", "latency"]) }
            guard objectives.first == "accuracy" else { throw o.error("the first objective must be accuracy") }
        }
    }
}
