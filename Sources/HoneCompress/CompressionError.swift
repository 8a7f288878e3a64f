/// Errors that pruning, quantization, distillation, export and the `hone compress` pipeline throw
/// on a user's bad input. Each names the setting (or file) and what was expected; when one is
/// thrown, no model file has been written.
///
/// ```swift
/// do { try Pruning.magnitude(model, sparsity: 1.2) }
/// catch let e as CompressionError { print(e) }  // "invalid sparsity 1.2: expected a value in [0, 1)"
/// ```
public enum CompressionError: Error, CustomStringConvertible, Equatable {
    /// A target sparsity outside [0, 1).
    case invalidSparsity(Double)
    /// A setting out of range (`name` is the API argument or config field path).
    case invalidArgument(name: String, reason: String)
    /// A compression method was asked to handle a layer type it does not support.
    case unsupportedLayer(method: String, layer: String, path: String)
    /// Calibration (or fine-tuning) data was empty.
    case emptyCalibrationData(stage: String)
    /// Distillation was asked for without a teacher model.
    case missingTeacher(path: String?)
    /// A model file could not be read, or is not what was expected.
    case badModelFile(path: String, reason: String)
    /// A file could not be written.
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidSparsity(s):
            return "invalid sparsity \(s): expected a value in [0, 1)"
        case let .invalidArgument(name, reason):
            return "invalid \(name): \(reason)"
        case let .unsupportedLayer(method, layer, path):
            return "\(method) does not support layer \(path) (\(layer))"
        case let .emptyCalibrationData(stage):
            return "\(stage): the calibration data is empty; give at least one batch"
        case let .missingTeacher(path):
            if let path { return "distillation: teacher model \(path) does not exist" }
            return "distillation needs a teacher model (set compress.distill.teacher)"
        case let .badModelFile(path, reason):
            return "\(path): \(reason)"
        case let .writeFailed(path, reason):
            return "could not write \(path): \(reason)"
        }
    }
}
