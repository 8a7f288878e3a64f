/// One recorded operation on the autodiff tape (or a leaf that requires a gradient).
///
/// Reverse-mode autodiff in the style of micrograd (Karpathy, 2020): each op whose inputs are
/// tracked stores its input nodes and a closure mapping the gradient of its output to the
/// gradients of its inputs. `backward()` visits the nodes reachable from the loss in reverse
/// topological order and sums the gradients flowing into each node (chain rule).

final class AutogradNode: @unchecked Sendable {
    /// Op name, for messages.
    let op: String
    /// Input nodes, nil for inputs that do not require a gradient.
    let inputs: [AutogradNode?]
    /// Maps the output gradient to one gradient per input (nil where not needed). nil for
    /// leaves, and for ops whose saved values were freed by a `backward` without `retainGraph`.
    var backwardFn: ((Tensor) -> [Tensor?])?
    /// True for leaves (tensors not produced by a recorded op).
    let isLeaf: Bool
    /// Accumulated gradient (leaves only).
    var grad: Tensor?
    let shape: [Int]

    init(leafShape shape: [Int]) {
        op = "leaf"; inputs = []; backwardFn = nil; isLeaf = true; self.shape = shape
    }

    init(op: String, shape: [Int], inputs: [AutogradNode?], backward: @escaping (Tensor) -> [Tensor?]) {
        self.op = op; self.shape = shape; self.inputs = inputs; backwardFn = backward; isLeaf = false
    }

}

/// Whether tensor ops record the autodiff tape on the current task/thread.
///
/// ```swift
/// let prediction = withoutGradient { model(x) }   // no tape, less memory
/// ```
public enum GradMode {
    /// True (the default) when ops on tracked tensors are recorded.
    @TaskLocal public static var isEnabled: Bool = true
}

/// Runs `body` with autodiff recording switched off (inference, parameter updates).
///
/// ```swift
/// let y = withoutGradient { x.matmul(w) }   // y.requiresGrad == false
/// ```
public func withoutGradient<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.$isEnabled.withValue(false, operation: body)
}

extension Tensor {
    /// True when this tensor is tracked by autodiff (a leaf that requires a gradient or the
    /// result of ops on such tensors). Setting `true` on an untracked tensor makes it a leaf;
    /// setting `false` detaches it.
    ///
    /// ```swift
    /// var w = Tensor.zeros([3]); w.requiresGrad = true
    /// ```
    public var requiresGrad: Bool {
        get { node != nil }
        set {
            if newValue { if node == nil { node = AutogradNode(leafShape: shape) } } else { node = nil }
        }
    }

    /// True for tensors not produced by a recorded op (including untracked tensors).
    public var isLeaf: Bool { node?.isLeaf ?? true }

    /// A new leaf with the same values that requires a gradient (history, if any, is cut).
    ///
    /// ```swift
    /// let x = input.requiringGrad()   // for ∂loss/∂input
    /// ```
    public func requiringGrad() -> Tensor {
        var t = self
        t.node = AutogradNode(leafShape: shape)
        return t
    }

    /// The same values, not tracked by autodiff (shares the buffer; no copy).
    ///
    /// ```swift
    /// let target = prediction.detached()
    /// ```
    public func detached() -> Tensor {
        var t = self
        t.node = nil
        return t
    }

    /// The gradient accumulated into this leaf by `backward()` calls, nil before the first one
    /// or after `zeroGrad()`. Copies of a leaf share its gradient (they are the same variable).
    ///
    /// ```swift
    /// loss.backward(); let g = w.grad!
    /// ```
    public var grad: Tensor? {
        get { node?.grad }
        nonmutating set {
            guard let node else { fatalError("grad: tensor of shape \(shape) does not require grad") }
            if let newValue {
                check(newValue.shape == shape, "grad: shape \(newValue.shape) does not match tensor shape \(shape)")
            }
            node.grad = newValue?.detached()
        }
    }

    /// Clears the accumulated gradient (the next `backward()` starts from zero).
    ///
    /// ```swift
    /// for p in params { p.zeroGrad() }
    /// ```
    public func zeroGrad() { node?.grad = nil }

    /// Back-propagates from this tensor: adds ∂self/∂leaf (times `seed`) into the `grad` of every
    /// leaf that requires a gradient. `seed` defaults to 1 and is required for non-scalar tensors.
    /// Leaf gradients accumulate over calls (gradient accumulation). As in PyTorch, the values
    /// the graph saved for the backward pass are freed afterwards (less memory, and parameters
    /// can then be updated in place without a copy); pass `retainGraph: true` to back-propagate
    /// through the same graph again.
    ///
    /// ```swift
    /// let loss = ((x.matmul(w) - y).square()).mean()
    /// loss.backward()
    /// ```
    public func backward(seed: Tensor? = nil, retainGraph: Bool = false) {
        guard let root = node else {
            fatalError("backward: tensor of shape \(shape) does not require grad (no tracked input, or recorded under withoutGradient)")
        }
        let s = Autograd.seed(seed, for: self, op: "backward")
        _ = Autograd.run(root: root, seed: s, targets: [], accumulateLeaves: true, retainGraph: retainGraph)
    }

    /// `backward(seed:retainGraph:)` that also reports, during the sweep, when each watched
    /// leaf's gradient is final: `gradientReady(i)` runs (on the calling thread) as soon as the
    /// last op that uses `leaves[i]` has added its contribution and `leaves[i].grad` holds the
    /// accumulated gradient; the sweep then goes on with the ops closer to the input. This is
    /// the hook data-parallel training uses to start all-reducing a bucket of gradients while
    /// backward still runs (PyTorch DDP's per-parameter autograd hooks; Li et al., VLDB 2020).
    /// Readiness is found by counting each watched leaf's consumers in the graph. A leaf that
    /// gets no gradient from this pass is not reported. Plain `backward()` pays nothing for this.
    ///
    /// ```swift
    /// let params = model.trainableParameters.map(\.1.value)
    /// loss.backward(watching: params) { i in print("gradient \(i) is ready") }
    /// ```
    public func backward(seed: Tensor? = nil, retainGraph: Bool = false, watching leaves: [Tensor],
                         gradientReady: (Int) -> Void) {
        guard let root = node else {
            fatalError("backward: tensor of shape \(shape) does not require grad (no tracked input, or recorded under withoutGradient)")
        }
        var watch: [ObjectIdentifier: Int] = [:]
        for (i, leaf) in leaves.enumerated() {
            guard let n = leaf.node, n.isLeaf else {
                fatalError("backward(watching:): watched tensor \(i) of shape \(leaf.shape) is not a leaf that requires grad")
            }
            check(watch.updateValue(i, forKey: ObjectIdentifier(n)) == nil, "backward(watching:): tensor \(i) is watched twice")
        }
        let s = Autograd.seed(seed, for: self, op: "backward")
        withoutActuallyEscaping(gradientReady) { ready in
            _ = Autograd.run(root: root, seed: s, targets: [], accumulateLeaves: true, retainGraph: retainGraph,
                             watch: watch, gradientReady: ready)
        }
    }
}

/// The gradients of `output` with respect to each tensor in `inputs` (which must be tracked:
/// leaves that require grad, or intermediate results). Leaves' `grad` is left untouched.
/// An input that `output` does not depend on gets zeros. The graph's saved values are freed
/// unless `retainGraph` is true.
///
/// ```swift
/// let x = image.requiringGrad()
/// let loss = crossEntropy(model(x), labels)
/// let dx = gradients(of: loss, wrt: [x])[0]   // FGSM: x + ε·sign(dx)
/// ```
public func gradients(of output: Tensor, wrt inputs: [Tensor], seed: Tensor? = nil,
                      retainGraph: Bool = false) -> [Tensor] {
    guard let root = output.node else {
        fatalError("gradients(of:wrt:): output of shape \(output.shape) does not require grad")
    }
    let targets: [AutogradNode] = inputs.enumerated().map { i, t in
        guard let n = t.node else {
            fatalError("gradients(of:wrt:): input \(i) of shape \(t.shape) does not require grad")
        }
        return n
    }
    let s = Autograd.seed(seed, for: output, op: "gradients(of:wrt:)")
    let found = Autograd.run(root: root, seed: s, targets: targets, accumulateLeaves: false,
                             retainGraph: retainGraph)
    return zip(inputs, targets).map { t, n in found[ObjectIdentifier(n)] ?? Tensor.zeros(t.shape) }
}


enum Autograd {
    static func seed(_ seed: Tensor?, for t: Tensor, op: String) -> Tensor {
        if let seed {
            check(seed.shape == t.shape, "\(op): seed shape \(seed.shape) does not match output shape \(t.shape)")
            return seed.detached()
        }
        check(t.count == 1, "\(op): output of shape \(t.shape) is not a scalar; pass a seed gradient")
        return Tensor.ones(t.shape)
    }

    /// Nodes reachable from `root`, each after all of its inputs (iterative depth-first post-order).
    static func topologicalOrder(_ root: AutogradNode) -> [AutogradNode] {
        var order: [AutogradNode] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(AutogradNode, Int)] = [(root, 0)]
        visited.insert(ObjectIdentifier(root))
        while !stack.isEmpty {
            let (node, next) = stack[stack.count - 1]
            if next < node.inputs.count {
                stack[stack.count - 1].1 = next + 1
                if let child = node.inputs[next], visited.insert(ObjectIdentifier(child)).inserted {
                    stack.append((child, 0))
                }
            } else {
                order.append(node)
                stack.removeLast()
            }
        }
        return order
    }

    /// Adds `g` into `acc` (in place when `acc` owns its buffer).
    static func accumulate(_ acc: inout Tensor?, _ g: Tensor) {
        if acc == nil { acc = g; return }
        acc!.addAssignNoTape(g)
    }

    /// Runs the reverse sweep. Returns the gradients of the `targets` nodes. `watch` maps
    /// leaves to the index `gradientReady` reports once their gradient is final (leaf
    /// accumulation only; empty for plain backward).
    static func run(root: AutogradNode, seed: Tensor, targets: [AutogradNode],
                    accumulateLeaves: Bool, retainGraph: Bool,
                    watch: [ObjectIdentifier: Int] = [:], gradientReady: ((Int) -> Void)? = nil) -> [ObjectIdentifier: Tensor] {
        let order = topologicalOrder(root)
        let targetIDs = Set(targets.map(ObjectIdentifier.init))
        var found: [ObjectIdentifier: Tensor] = [:]
        var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): seed]
        // Watched leaves: number of graph edges (ops using them) still to back-propagate.
        var consumers: [ObjectIdentifier: Int] = [:]
        if !watch.isEmpty {
            for node in order {
                for case let input? in node.inputs where watch[ObjectIdentifier(input)] != nil {
                    consumers[ObjectIdentifier(input), default: 0] += 1
                }
            }
        }
        func storeLeaf(_ node: AutogradNode, _ id: ObjectIdentifier, _ g: Tensor) {
            check(g.shape == node.shape, "backward: leaf of shape \(node.shape) received a gradient of shape \(g.shape)")
            var acc = node.grad
            accumulate(&acc, g.isContiguous ? g : Tensor.materialize(g))
            node.grad = acc
            if let i = watch[id] { gradientReady?(i) }
        }
        withoutGradient {
            for node in order.reversed() {
                let id = ObjectIdentifier(node)
                guard let g = pending.removeValue(forKey: id) else { continue }
                check(g.shape == node.shape,
                             "backward: op \(node.op) produced gradient of shape \(g.shape) for a tensor of shape \(node.shape)")
                if targetIDs.contains(id) { found[id] = g.isContiguous ? g : Tensor.materialize(g) }
                guard let fn = node.backwardFn else {
                    check(node.isLeaf, "backward: the graph through op \(node.op) was already back-propagated and its saved values freed; pass retainGraph: true to the first backward to go through it again")
                    if accumulateLeaves { storeLeaf(node, id, g) }
                    continue
                }
                let grads = fn(g)
                if !retainGraph { node.backwardFn = nil }
                for (input, ig) in zip(node.inputs, grads) {
                    guard let input else { continue }
                    let iid = ObjectIdentifier(input)
                    if let ig {
                        var acc = pending.removeValue(forKey: iid)
                        accumulate(&acc, ig)
                        pending[iid] = acc
                    }
                    // A watched leaf whose last consumer is done: store and report it now
                    // rather than when the sweep reaches it.
                    if !consumers.isEmpty, let left = consumers[iid] {
                        consumers[iid] = left - 1
                        if left == 1, let acc = pending.removeValue(forKey: iid) {
                            if targetIDs.contains(iid) { found[iid] = acc.isContiguous ? acc : Tensor.materialize(acc) }
                            if accumulateLeaves { storeLeaf(input, iid, acc) }
                        }
                    }
                }
            }
        }
        return found
    }
}

extension Tensor {
    /// Attaches a tape entry to `output` when grad mode is on and some input is tracked.
    /// `backward` receives the output gradient and returns one gradient per input (nil where
    /// `needs[i]` is false), each of that input's shape.

    static func record(_ op: String, _ output: inout Tensor, _ inputs: [Tensor],
                       _ backward: @escaping (_ grad: Tensor, _ needs: [Bool]) -> [Tensor?]) {
        guard GradMode.isEnabled else { return }
        var any = false
        for t in inputs where t.node != nil { any = true; break }
        guard any else { return }
        let nodes = inputs.map(\.node)
        let needs = nodes.map { $0 != nil }
        output.node = AutogradNode(op: op, shape: output.shape, inputs: nodes) { g in backward(g, needs) }
    }

    /// True when an op on `inputs` would be recorded (lets hot ops skip building closures).
    static func isRecording(_ inputs: Tensor...) -> Bool {
        for t in inputs where t.node != nil { return GradMode.isEnabled }
        return false
    }
}
