import Foundation
import HoneConfig
import HoneNN
import HoneTensor
import HoneTune

/// Size and latency as extra `hone tune` objectives (`search.objectives: [accuracy, size,
/// latency]`): every trial records its model file size (`file_bytes`, the safetensors state) and
/// its inference latency (`latency_ms`, median of 11 forward passes of one batch of 128 after 2
/// warm-up passes, evaluation mode) as user attributes; after the search the completed trials'
/// Pareto front (validation accuracy ↑ × size ↓ × latency ↓; Deb et al. 2002 non-dominated
/// sorting, `HoneTune.Pareto`) is listed in the summary and the report. The sampler still
/// proposes configurations by validation accuracy.
///
/// ```swift
/// let front = ParetoObjectives.front(trials: try study.trials(), objectives: ["accuracy", "size", "latency"])
/// ```
public enum ParetoObjectives {
    public static let sizeKey = "file_bytes"
    public static let latencyKey = "latency_ms"

    /// Records the extra objectives of a trained trial model.
    static func record(_ model: any Layer, trial: Trial, objectives: [String], inputShape: [Int]) throws {
        if objectives.contains("size") {
            try trial.setUserAttribute(sizeKey, String(ModelFile.stateDict(of: model).encoded().count))
        }
        if objectives.contains("latency") {
            try trial.setUserAttribute(latencyKey, String(format: "%.4f", latencyMilliseconds(model, inputShape: inputShape)))
        }
    }

    /// Median latency (ms) of a batch of 128.
    static func latencyMilliseconds(_ model: any Layer, inputShape: [Int], batch: Int = 128) -> Double {
        let wasTraining = model.isTraining
        model.setTraining(false)
        defer { model.setTraining(wasTraining) }
        let x = Tensor.zeros([batch] + inputShape) + 0.5
        let clock = ContinuousClock()
        let times: [Double] = withoutGradient {
            for _ in 0..<2 { _ = model(x) }
            return (0..<11).map { _ in
                let start = clock.now
                _ = model(x)
                let c = (clock.now - start).components
                return (Double(c.seconds) + Double(c.attoseconds) * 1e-18) * 1000
            }
        }
        return times.sorted()[times.count / 2]
    }

    /// One point of the front: the trial and its objective values, in `objectives` order.
    public struct Point: Sendable, Equatable {
        public let trial: Int
        public let values: [Double]
    }

    /// The non-dominated completed trials (sorted by accuracy, best first); empty when only
    /// accuracy is an objective.
    public static func front(trials: [FrozenTrial], objectives: [String]) -> [Point] {
        guard objectives.count > 1 else { return [] }
        var points: [Point] = []
        for t in trials where t.state == .complete {
            guard let accuracy = t.value else { continue }
            var values: [Double] = []
            for o in objectives {
                switch o {
                case "accuracy": values.append(accuracy)
                case "size": values.append(Double(t.userAttributes[sizeKey] ?? "") ?? .nan)
                case "latency": values.append(Double(t.userAttributes[latencyKey] ?? "") ?? .nan)
                default: values.append(.nan)
                }
            }
            if values.allSatisfy(\.isFinite) { points.append(Point(trial: t.number, values: values)) }
        }
        // Pareto works on losses: negate accuracy, keep size and latency.
        let losses = points.map { p in zip(objectives, p.values).map { $0.0 == "accuracy" ? -$0.1 : $0.1 } }
        return Pareto.front(losses).map { points[$0] }.sorted { $0.values[0] > $1.values[0] }
    }
}
