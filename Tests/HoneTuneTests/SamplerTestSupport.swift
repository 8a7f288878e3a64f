import HoneTune

/// A sequential in-memory loop driving a sampler the way a study does, for sampler tests.
struct SamplerTestLoop {
    var sampler: any Sampler
    var space: [(String, Distribution)]
    var directions: [StudyDirection] = [.minimize]
    var trials: [FrozenTrial] = []

    init(sampler: any Sampler, space: [(String, Distribution)], directions: [StudyDirection] = [.minimize]) {
        self.sampler = sampler; self.space = space; self.directions = directions
    }

    var snapshot: StudySnapshot { StudySnapshot(name: "test", directions: directions, trials: trials) }

    /// Asks for one trial's parameters (internal values), leaving the trial RUNNING.
    mutating func ask() -> FrozenTrial {
        let i = trials.count
        var t = FrozenTrial(id: Int64(i), number: i, state: .running)
        trials.append(t)
        let study = snapshot
        let rs = sampler.relativeSearchSpace(study: study, trial: t)
        let rel = rs.isEmpty ? [:] : sampler.sampleRelative(study: study, trial: t, space: rs)
        t.systemAttributes = sampler.systemAttributes(study: study, trial: t)
        for (name, d) in space {
            let v = rel[name] ?? sampler.sampleIndependent(study: snapshot, trial: t, name: name, distribution: d)
            t.params[name] = v
            t.distributions[name] = d
            trials[i] = t
        }
        trials[i] = t
        return t
    }

    mutating func tell(_ number: Int, _ values: [Double]) {
        trials[number].values = values
        trials[number].state = .complete
    }

    /// Runs `n` trials of `f` (on internal values in `space` order); returns the best first value.
    @discardableResult
    mutating func run(_ n: Int, _ f: ([Double]) -> [Double]) -> Double {
        var best = Double.infinity
        for _ in 0..<n {
            let t = ask()
            let y = f(space.map { t.params[$0.0]! })
            tell(t.number, y)
            best = min(best, y[0])
        }
        return best
    }
}

enum TestFunctions {
    static func branin(_ x: [Double]) -> [Double] {
        let b = 5.1 / (4 * Double.pi * Double.pi), c = 5 / Double.pi, t = 1 / (8 * Double.pi)
        let u = x[1] - b * x[0] * x[0] + c * x[0] - 6
        return [u * u + 10 * (1 - t) * _cos(x[0]) + 10]
    }
    static let braninSpace: [(String, Distribution)] = [
        ("x1", .float(low: -5, high: 10, log: false, step: nil)),
        ("x2", .float(low: 0, high: 15, log: false, step: nil)),
    ]
    static let braninOptimum = 0.397887357729738
    /// A space with every kind of parameter.
    static let mixedSpace: [(String, Distribution)] = [
        ("lr", .float(low: 1e-5, high: 1e-1, log: true, step: nil)),
        ("drop", .float(low: 0, high: 0.5, log: false, step: 0.1)),
        ("units", .int(low: 8, high: 512, log: true, step: 1)),
        ("layers", .int(low: 1, high: 9, log: false, step: 2)),
        ("opt", .categorical(choices: [.string("adam"), .string("sgd"), .string("rmsprop")])),
    ]
}

#if canImport(Glibc)
import Glibc
func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#elseif canImport(Darwin)
import Darwin
func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
