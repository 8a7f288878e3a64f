import HoneTensor

/// Anything with parameters, buffers, children and a train/eval mode: layers, blocks, whole
/// models (including models with several inputs, which implement their own `callAsFunction`).
///
/// Names are stable: a child registered as `"conv1"` with a parameter `"weight"` exposes
/// `"conv1.weight"` through `namedParameters`, the key used by optimizers, checkpoints,
/// pruning and distributed training.
///
/// ```swift
/// final class TwoTower: Module {
///     let left = Dense(inputSize: 8, outputSize: 4), right = Dense(inputSize: 8, outputSize: 4)
///     var isTraining = true
///     var children: [(String, any Module)] { [("left", left), ("right", right)] }
///     func callAsFunction(_ a: Tensor, _ b: Tensor) -> Tensor { left(a) + right(b) }
/// }
/// ```
public protocol Module: AnyObject {
    /// This module's own parameters (not its children's), by local name.
    var parameters: [(String, Parameter)] { get }
    /// This module's own buffers (not its children's), by local name.
    var buffers: [(String, Buffer)] { get }
    /// Direct sub-modules, by local name, in a stable order.
    var children: [(String, any Module)] { get }
    /// True in training mode (dropout active, batch statistics in BatchNorm).
    var isTraining: Bool { get set }
}

public extension Module {
    var parameters: [(String, Parameter)] { [] }
    var buffers: [(String, Buffer)] { [] }
    var children: [(String, any Module)] { [] }

    /// Every parameter in the tree with its dotted name, depth-first in `children` order.
    var namedParameters: [(String, Parameter)] {
        var out = parameters
        for (name, child) in children {
            out += child.namedParameters.map { ("\(name).\($0.0)", $0.1) }
        }
        return out
    }

    /// Every buffer in the tree with its dotted name.
    var namedBuffers: [(String, Buffer)] {
        var out = buffers
        for (name, child) in children {
            out += child.namedBuffers.map { ("\(name).\($0.0)", $0.1) }
        }
        return out
    }

    /// The parameters that receive gradients (frozen ones are left out).
    var trainableParameters: [(String, Parameter)] { namedParameters.filter { $0.1.isTrainable } }

    /// Total number of scalars in all parameters.
    var parameterCount: Int { namedParameters.reduce(0) { $0 + $1.1.count } }

    /// Switches this module and all children to training (`true`) or evaluation mode.
    func setTraining(_ training: Bool) {
        isTraining = training
        for (_, child) in children { child.setTraining(training) }
    }

    /// Freezes (or unfreezes) every parameter whose dotted name starts with one of `prefixes`
    /// (all parameters when `prefixes` is empty), for fine-tuning and transfer learning.
    func freeze(_ prefixes: [String] = [], _ frozen: Bool = true) {
        for (name, p) in namedParameters where prefixes.isEmpty || prefixes.contains(where: { name.hasPrefix($0) }) {
            p.isTrainable = !frozen
        }
    }

    /// Clears every parameter's accumulated gradient.
    func zeroGrad() { for (_, p) in namedParameters { p.zeroGrad() } }
}

/// A module with one input and one output: what `Sequential` chains.
public protocol Layer: Module {
    func callAsFunction(_ x: Tensor) -> Tensor
}
