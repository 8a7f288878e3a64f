import Foundation

/// The artifacts of one study, under `runs/<study>/`:
///
/// | path | what |
/// |---|---|
/// | `study.db` | the SQLite study (resumable) |
/// | `metrics.jsonl` | per-trial, per-epoch figures (one JSON object per line) |
/// | `tensorboard/trial-N/` | TensorBoard events per trial; `tensorboard/final/` for the retrain |
/// | `best-model.safetensors`, `best-model.json` | the retrained best model: weights and architecture |
/// | `summary.json` | the machine-readable summary (also printed with `--json`) |
/// | `report.html` | the self-contained report |
public struct RunDirectory: Sendable {
    public let root: URL

    public init(output: String, study: String) {
        root = URL(fileURLWithPath: output).appendingPathComponent(study)
    }

    public var studyDatabase: URL { root.appendingPathComponent("study.db") }
    public var metrics: URL { root.appendingPathComponent("metrics.jsonl") }
    public func tensorBoard(trial: Int) -> URL { root.appendingPathComponent("tensorboard/trial-\(trial)") }
    public var finalTensorBoard: URL { root.appendingPathComponent("tensorboard/final") }
    public var bestModel: URL { root.appendingPathComponent("best-model.safetensors") }
    public var bestArchitecture: URL { root.appendingPathComponent("best-model.json") }
    public var summary: URL { root.appendingPathComponent("summary.json") }
    public var report: URL { root.appendingPathComponent("report.html") }
    public var storageURL: String { "sqlite:///\(studyDatabase.path)" }

    public func create() throws {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }
}
