/// Everything an ``Optimizer`` needs to continue exactly where it stopped: its step count,
/// each parameter's own step count, and every per-parameter state array of its links (Adam's
/// moments, momentum buffers, RMSprop and Adagrad accumulators). Checkpoints carry it so a
/// resumed run takes the same steps, to the bit, as an uninterrupted one (PyTorch's
/// `optimizer.state_dict()`).
///
/// Array keys are `"<link path>/<state>/<parameter>"`, e.g. `"0/m/0.weight"` for the first
/// moment of parameter `0.weight` in link 0 of the chain (`g1.` prefixes a ``Partition``
/// group). Links defined outside HoneNN keep no state here.
///
/// ```swift
/// let saved = optimizer.state()
/// // … later, with an optimizer built the same way for the same model:
/// try optimizer.restore(saved)
/// ```
public struct OptimizerState: Sendable, Equatable {
    /// Number of `step()` calls taken.
    public var step: Int
    /// Steps taken by each parameter (parameters without a gradient in a step are skipped).
    public var parameterSteps: [Int]
    /// State arrays by key.
    public var arrays: [String: [Float]]

    public init(step: Int, parameterSteps: [Int], arrays: [String: [Float]]) {
        self.step = step; self.parameterSteps = parameterSteps; self.arrays = arrays
    }
}

/// ``Optimizer/restore(_:)`` was given state from a different optimizer or model.
public struct OptimizerStateError: Error, CustomStringConvertible {
    public let description: String
}

/// A link that owns per-parameter state, one ``StateBuffer`` per named array.
protocol StateCarryingTransformation: GradientTransformation {
    var stateBuffers: [(String, StateBuffer?)] { get }
}

extension ScaleByAdam: StateCarryingTransformation {
    var stateBuffers: [(String, StateBuffer?)] { [("m", m), ("v", v), ("vmax", vMax)] }
}

extension Trace: StateCarryingTransformation {
    var stateBuffers: [(String, StateBuffer?)] { [("momentum", buffer)] }
}

extension ScaleByRMS: StateCarryingTransformation {
    var stateBuffers: [(String, StateBuffer?)] { [("v", v), ("mean", mean), ("momentum", buffer)] }
}

extension ScaleByAdagrad: StateCarryingTransformation {
    var stateBuffers: [(String, StateBuffer?)] { [("sum", sum)] }
}

extension Optimizer {
    /// A copy of the optimizer's state (see ``OptimizerState``).
    public func state() -> OptimizerState {
        var arrays: [String: [Float]] = [:]
        forEachStateArray { key, buffer, index in arrays[key] = buffer.values(index) }
        return OptimizerState(step: stepCount, parameterSteps: parameterSteps, arrays: arrays)
    }

    /// Replaces the optimizer's state by `state`, taken from an optimizer built the same way
    /// for the same parameters. Throws, changing nothing, when the parameters or arrays differ.
    public func restore(_ state: OptimizerState) throws {
        guard state.parameterSteps.count == parameters.count else {
            throw OptimizerStateError(description: "optimizer state: has \(state.parameterSteps.count) parameters, the optimizer \(parameters.count)")
        }
        var expected: [String: (StateBuffer, Int)] = [:]
        forEachStateArray { key, buffer, index in expected[key] = (buffer, index) }
        guard Set(expected.keys) == Set(state.arrays.keys) else {
            let missing = Set(expected.keys).subtracting(state.arrays.keys).sorted().prefix(3)
            let extra = Set(state.arrays.keys).subtracting(expected.keys).sorted().prefix(3)
            throw OptimizerStateError(description: "optimizer state: arrays differ (missing \(Array(missing)), unexpected \(Array(extra)))")
        }
        for (key, (buffer, index)) in expected where state.arrays[key]!.count != buffer.counts[index] {
            throw OptimizerStateError(description: "optimizer state: '\(key)' has \(state.arrays[key]!.count) values, expected \(buffer.counts[index])")
        }
        for (key, (buffer, index)) in expected {
            state.arrays[key]!.withUnsafeBufferPointer { buffer.pointer(index).update(from: $0.baseAddress!, count: $0.count) }
        }
        stepCount = state.step
        parameterSteps = state.parameterSteps
    }

    /// Calls `body(key, buffer, index)` for every state array of every link.
    private func forEachStateArray(_ body: (String, StateBuffer, Int) -> Void) {
        func walk(_ t: any GradientTransformation, _ path: String, _ names: [String]) {
            if let chain = t as? Chain {
                for (i, link) in chain.links.enumerated() { walk(link, "\(path)\(i)", names) }
            } else if let p = t as? Partition {
                let all = p.groups.map(\.transformation) + [p.fallback]
                for (g, link) in all.enumerated() {
                    walk(link, "\(path)g\(g).", names.filter { p.group(of: $0) == g })
                }
            } else if let s = t as? any StateCarryingTransformation {
                for case let (stateName, buffer?) in s.stateBuffers {
                    for (k, name) in names.enumerated() { body("\(path)/\(stateName)/\(name)", buffer, k) }
                }
            }
        }
        walk(transformation, "", parameters.map(\.name))
    }
}
