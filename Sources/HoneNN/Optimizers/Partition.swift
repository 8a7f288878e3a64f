/// Per-parameter-group optimizers: each parameter goes to the first group whose name prefix
/// matches its dotted name, else to `default`; each group has its own transformation and
/// state (Optax `multi_transform`; PyTorch parameter groups). Groups give different learning
/// rates or weight decay to parts of a model, e.g. a smaller rate for a pretrained backbone
/// and no decay on biases.
///
/// ```swift
/// let opt = partition([
///     ("backbone.", adam(learningRate: 1e-4)),
///     ("head.bias", adam(learningRate: 1e-3)),
/// ], default: adamW(learningRate: 1e-3, weightDecay: 1e-2))
/// ```
public final class Partition: GradientTransformation {
    public let groups: [(prefix: String, transformation: any GradientTransformation)]
    public let fallback: any GradientTransformation
    /// Parameter indices of each group; the last entry is the default group.
    private var members: [[Int]] = []
    /// For each group, the index within the group of every parameter (nil when elsewhere).
    private var renumber: [[Int?]] = []

    public init(_ groups: [(prefix: String, transformation: any GradientTransformation)],
                default fallback: any GradientTransformation) {
        self.groups = groups; self.fallback = fallback
    }

    private var transformations: [any GradientTransformation] { groups.map(\.transformation) + [fallback] }

    /// The group index of a parameter name (`groups.count` for the default group).
    public func group(of name: String) -> Int {
        groups.firstIndex { name.hasPrefix($0.prefix) } ?? groups.count
    }

    public func initialize(_ parameters: [ParameterInfo]) {
        members = Array(repeating: [], count: groups.count + 1)
        renumber = Array(repeating: Array(repeating: nil, count: parameters.count), count: groups.count + 1)
        for (i, p) in parameters.enumerated() {
            let g = group(of: p.name)
            renumber[g][i] = members[g].count
            members[g].append(i)
        }
        for (g, t) in transformations.enumerated() { t.initialize(members[g].map { parameters[$0] }) }
    }

    public func update(_ batch: UpdateBatch, context: StepContext) {
        precondition(members.count == groups.count + 1, "partition: used before initialize(_:)")
        for (g, t) in transformations.enumerated() where !members[g].isEmpty {
            t.update(batch.subset(renumber[g]), context: context)
        }
    }
}

/// Per-group transformations selected by parameter-name prefix (see ``Partition``).
public func partition(_ groups: [(String, any GradientTransformation)],
                      default fallback: any GradientTransformation) -> Partition {
    Partition(groups.map { (prefix: $0.0, transformation: $0.1) }, default: fallback)
}
