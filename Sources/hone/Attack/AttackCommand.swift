import ArgumentParser
import Foundation
import HoneData
import HoneNN
import HoneRobust
import HoneRun
import HoneTensor

/// `hone attack MODEL [CONFIG]`: attacks a saved model on test images and reports robust
/// accuracy per attack and ε, the worst case over attacks, and the gradient-masking checks.
struct AttackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attack", abstract: "Attack a saved model and measure its robust accuracy.")

    @Argument(help: "Model file (.safetensors written by Hone).") var model: String
    @Argument(help: "YAML config naming the data (default: --data, else the bundled subset).") var config: String?
    @Option(help: "Directory with Fashion-MNIST IDX files (used when no config is given).") var data: String?
    @Option(help: "Attacks, comma-separated: \(AttackCatalog.names.joined(separator: ", ")).") var attack = "pgd"
    @Option(help: "Budgets ε, comma-separated (pixels in [0, 1]).") var eps = "0.1"
    @Option(help: "Iterations (queries for square).") var steps = 10
    @Option(help: "Step size (default: each attack's own, e.g. 2.5·ε/steps for PGD).") var stepSize: Float?
    @Option(help: "Random restarts (pgd, apgd-ce, square); the per-sample worst case is kept.") var restarts = 1
    @Option(help: "linf or l2.") var norm = "linf"
    @Option(help: "Number of test samples (the first N).") var samples = 1000
    @Option(help: "Attack batch size.") var batchSize = 500
    @Option(help: "Targeted attack toward this class for every sample ('next' = label + 1 mod classes).") var target: String?
    @Option(help: "Seed of random starts.") var seed: UInt64 = 0
    @Option(help: "Write an HTML report (e.g. robustness.html).") var report: String?
    @Flag(help: "Skip the gradient-masking sanity checks.") var noSanity = false
    @Option(help: "Samples used by the sanity checks' reference attacks.") var sanitySamples = 500
    @Flag(help: "Print a JSON summary as the last line.") var json = false

    func run() throws {
        let epsilons = try eps.split(separator: ",").map { s -> Float in
            guard let v = Float(s.trimmingCharacters(in: .whitespaces)) else {
                throw RobustnessError.invalidArgument(name: "--eps", value: String(s), expected: "numbers, e.g. 0.05,0.1")
            }
            guard v >= 0 && v.isFinite else { throw RobustnessError.invalidArgument(name: "--eps", value: String(s), expected: "eps ≥ 0") }
            return v
        }
        guard steps >= 1 else { throw RobustnessError.invalidArgument(name: "--steps", value: "\(steps)", expected: "steps ≥ 1") }
        guard samples >= 1 else { throw RobustnessError.invalidArgument(name: "--samples", value: "\(samples)", expected: "samples ≥ 1") }
        guard let n = AttackNorm(rawValue: norm) else {
            throw RobustnessError.invalidArgument(name: "--norm", value: norm, expected: "linf or l2")
        }
        let names = attack.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let recipes = try names.map {
            try AttackCatalog.recipe($0, steps: steps, stepSize: stepSize, restarts: restarts, norm: n, targeted: target != nil, seed: seed)
        }
        let test = try loadTest()
        let count = min(samples, test.count)
        let subset = test.selecting(Array(0..<count))
        let shape = [count] + test.featureShape
        let x = Tensor(shape: shape, scalars: subset.features)
        let y = subset.labels
        let net: any Layer
        do { net = try ModelFile.load(from: URL(fileURLWithPath: model)) } catch {
            throw RobustnessError.badFile(path: model, reason: "\(error)")
        }
        let targets = try target.map { try Self.targets($0, labels: y, classes: test.classCount) }
        let clock = ContinuousClock(), started = clock.now
        let result: RobustnessResult
        if let targets {
            result = try targetedResult(net, x, y, targets, recipes, epsilons)
        } else {
            var ev = RobustnessEvaluator(attacks: recipes, epsilons: epsilons)
            ev.batchSize = batchSize; ev.sanityChecks = !noSanity; ev.sanitySamples = sanitySamples
            ev.log = { RunSupport.say($0) }
            result = try ev.evaluate(net, inputs: x, labels: y)
        }
        RunSupport.say(String(format: "clean accuracy %.4f on %d samples", result.cleanAccuracy, result.samples))
        for w in result.worstCase {
            RunSupport.say(String(format: "worst case over %@ at eps=%g: %.4f", w.attacks.joined(separator: ", "), w.eps, w.robustAccuracy))
        }
        for w in result.warnings { FileHandle.standardError.write(Data("\u{1B}[1;31m\(w)\u{1B}[0m\n".utf8)) }
        if let report {
            try RobustnessReport.write(result, model: model, to: URL(fileURLWithPath: report))
            RunSupport.say("wrote \(report)")
        }
        if json {
            let wall = (clock.now - started).components
            RunSupport.say(try AttackJSON.line(result, wallSeconds: Double(wall.seconds) + Double(wall.attoseconds) * 1e-18))
        }
    }

    /// Targeted runs: accuracy is the fraction not pushed to the target (success rate = 1 − it).
    func targetedResult(_ net: any Layer, _ x: Tensor, _ y: [Int32], _ t: [Int32], _ recipes: [AttackRecipe],
                        _ epsilons: [Float]) throws -> RobustnessResult {
        let clean = RobustMetrics.accuracy(net, inputs: x, labels: y)
        var entries: [RobustEntry] = []
        for e in epsilons {
            for r in recipes {
                let a = try r.make(e)
                let start = ContinuousClock().now
                let adv = try a.perturbAll(net, inputs: x, labels: y, targets: t, batchSize: batchSize)
                let acc = RobustMetrics.accuracy(net, inputs: adv, labels: y)
                let hit = RobustMetrics.accuracy(net, inputs: adv, labels: t)
                let d = (ContinuousClock().now - start).components
                RunSupport.say(String(format: "%@ targeted: %.4f reach the target, accuracy %.4f", a.summary, hit, acc))
                let s = a.settings
                entries.append(RobustEntry(attack: a.name, norm: s.norm.rawValue, eps: Double(e), steps: s.steps, stepSize: Double(s.stepSize),
                                           restarts: s.restarts, samples: y.count, robustAccuracy: acc,
                                           seconds: Double(d.seconds) + Double(d.attoseconds) * 1e-18))
            }
        }
        return RobustnessResult(samples: y.count, cleanAccuracy: clean, entries: entries, worstCase: [], sanityFigures: [],
                                zeroGradientFraction: nil, warnings: [])
    }

    static func targets(_ spec: String, labels: [Int32], classes: Int) throws -> [Int32] {
        if spec == "next" { return labels.map { ($0 + 1) % Int32(classes) } }
        guard let k = Int32(spec), k >= 0, Int(k) < classes else {
            throw RobustnessError.invalidArgument(name: "--target", value: spec, expected: "a class in 0..<\(classes) or 'next'")
        }
        return [Int32](repeating: k, count: labels.count)
    }

    func loadTest() throws -> InMemoryDataset {
        if config == nil, let data {
            // Images as [1, 28, 28], as `hone train` feeds them.
            do { return try FashionMNIST.load(directory: data, split: .test).reshaped(featureShape: [1, 28, 28]) } catch {
                throw RobustnessError.badFile(path: data, reason: "\(error)")
            }
        }
        return try LoadedData.load(try RunSupport.loadConfig(config)).test
    }
}
