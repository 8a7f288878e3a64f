import ArgumentParser
import Foundation
import HoneConfig
import HoneRun
import HoneTune

/// `hone train [CONFIG]`: trains one configuration on the whole training set, evaluates it on
/// the test set and saves it. Searched values in the config are taken from `--params` or from
/// the best trial of a finished study (`--from-study`).
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Train one configuration, evaluate it and save the model.")

    @Argument(help: "YAML config (default: the embedded default).") var config: String?
    @Option(help: "Values for the config's searched fields as JSON, e.g. '{\\\"training.learning_rate\\\": 0.001}'.")
    var params: String?
    @Option(help: "Take searched values from the best trial of this study (a run directory's study.db, or a storage URL).")
    var fromStudy: String?
    @Option(help: "Study name inside --from-study (default: the config's, else 'default').") var study: String?
    @Option(help: "Run name: artifacts go to OUTPUT/NAME (default: train).") var name = "train"
    @Option(help: "Directory for run artifacts (default: runs).") var output: String?
    @Flag(help: "Print a JSON summary as the last line.") var json = false
    @Flag(help: "No per-epoch progress.") var quiet = false
    @OptionGroup var robust: AdversarialOptions
    @Flag(help: "Data-parallel over MPI ranks: run as `mpirun -np N hone train CONFIG --distributed` (needs a build with --traits MPI).")
    var distributed = false
    @Flag(help: "With --distributed: continue from the run's checkpoint (best-model.safetensors) if present.") var resume = false

    func run() throws {
        var cfg = try RunSupport.loadConfig(config)
        if let output { cfg.output = output }
        let source = try parameterSource(cfg)
        if distributed {
            if robust.adversarial != nil { throw ValidationError("--adversarial is not supported with --distributed yet") }
            try DistributedTrain.run(config: cfg, source: source, name: name, resume: resume, json: json, quiet: quiet)
            return
        }
        let data = try LoadedData.load(cfg)
        let dir = RunDirectory(output: cfg.output, study: name)
        let flag = InterruptFlag()
        let handler = RunSupport.installInterruptHandler(flag)
        defer { handler.cancel() }
        let started = Date()
        let adversarial = try AdversarialOptions.training(try robust.section(cfg), data: data, seed: UInt64(cfg.training.seed))
        let final = try Retrain.run(config: cfg, data: data, source: source, maxEpochs: nil, label: name, dir: dir,
                                    interrupt: flag, quiet: quiet, extraCallbacks: adversarial.callbacks,
                                    loss: adversarial.loss, log: RunSupport.say)
        if json {
            let obj: [String: Any] = ["command": "train", "test_accuracy": final.testAccuracy, "test_loss": final.testLoss,
                                      "params": final.parameterCount, "wall_s": Date().timeIntervalSince(started),
                                      "artifacts": [dir.bestModel.path, dir.bestArchitecture.path, dir.metrics.path]]
            RunSupport.say(String(decoding: try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys]), as: UTF8.self))
        }
    }

    func parameterSource(_ cfg: HoneConfig) throws -> any ParameterSource {
        if let fromStudy {
            let url = fromStudy.contains("://") || fromStudy.hasPrefix("memory") ? fromStudy
                : "sqlite:///" + URL(fileURLWithPath: fromStudy).appendingPathComponent(fromStudy.hasSuffix(".db") ? "" : "study.db").path
            let storage = try openStorage(url.hasSuffix("/") ? String(url.dropLast()) : url)
            let s = try Study(name: study ?? cfg.search.study ?? "default", direction: .maximize, storage: storage,
                              heartbeat: HeartbeatOptions(interval: nil))
            return FixedParameters(try s.bestTrial().externalParams)
        }
        return LenientParameters(try Self.parseParams(params))
    }

    /// Parses `--params` (inline JSON or @file.json) into field path → value.
    static func parseParams(_ params: String?) throws -> [String: ParamValue] {
        guard let params else { return [:] }
        let text = params.hasPrefix("@") ? try String(contentsOfFile: String(params.dropFirst()), encoding: .utf8) : params
        guard let obj = try? JSONDecoder().decode([String: JSONScalar].self, from: Data(text.utf8)) else {
            throw ValidationError("--params must be a JSON object of field path → number, string or boolean")
        }
        return obj.mapValues(\.paramValue)

    }
}

/// Values given on the command line, matched to each field's distribution (an int given for a
/// float range, or a number for a numeric choice list, is converted).
struct LenientParameters: ParameterSource {
    let values: [String: ParamValue]
    /// Answers for fields not given (nil: a missing field is an error).
    let fallback: (any ParameterSource)?
    init(_ values: [String: ParamValue], fallback: (any ParameterSource)? = nil) { self.values = values; self.fallback = fallback }
    func value(for name: String, in distribution: Distribution) throws -> ParamValue {
        guard let v = values[name] else {
            if let fallback { return try fallback.value(for: name, in: distribution) }
            throw ValidationError("the config searches \(name); give it with --params '{\"\(name)\": …}' or use --from-study")
        }
        switch (v, distribution) {
        case (.int(let i), .float): return .float(Double(i))
        case (.int(let i), .categorical(let c)) where c.contains(.double(Double(i))): return .choice(.double(Double(i)))
        case (.int(let i), .categorical(let c)) where c.contains(.int(i)): return .choice(.int(i))
        case (.float(let d), .categorical(let c)) where c.contains(.double(d)): return .choice(.double(d))
        default: return v
        }
    }
}

/// A JSON number, string or boolean, decoded strictly (so `1` is an int and `true` a bool).
struct JSONScalar: Decodable {
    let paramValue: ParamValue
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { paramValue = .choice(.bool(b)) }
        else if let i = try? c.decode(Int.self) { paramValue = .int(i) }
        else if let d = try? c.decode(Double.self) { paramValue = .float(d) }
        else { paramValue = .choice(.string(try c.decode(String.self))) }
    }
}
