import Foundation
import HoneRobust

/// The JSON summary line of `hone attack`: the first figure's `attack, eps, steps, step_size,
/// restarts, samples, clean_accuracy, robust_accuracy` at the top level, then every figure
/// (`results`), the per-sample worst case, the sanity-check figures and warnings.
enum AttackJSON {
    static func line(_ r: RobustnessResult, wallSeconds: Double) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func object<T: Encodable>(_ v: T) throws -> Any { try JSONSerialization.jsonObject(with: try encoder.encode(v)) }
        var obj: [String: Any] = ["command": "attack", "samples": r.samples, "clean_accuracy": r.cleanAccuracy,
                                  "results": try object(r.entries), "worst_case": try object(r.worstCase),
                                  "sanity_figures": try object(r.sanityFigures), "warnings": try object(r.warnings),
                                  "wall_s": wallSeconds]
        if let z = r.zeroGradientFraction { obj["zero_gradient_fraction"] = z }
        if let first = r.entries.first {
            obj["attack"] = first.attack; obj["eps"] = first.eps; obj["steps"] = first.steps
            obj["step_size"] = first.stepSize; obj["restarts"] = first.restarts; obj["norm"] = first.norm
            obj["robust_accuracy"] = first.robustAccuracy
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys]), as: UTF8.self)
    }
}
