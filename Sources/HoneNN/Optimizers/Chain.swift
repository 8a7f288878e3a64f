/// Links run one after another; consecutive elementwise links are fused so that each chunk
/// passes through all of them while it is in cache (Optax `optax.chain`).
///
/// ```swift
/// let opt = chain(clipByGlobalNorm(1), addDecayedWeights(1e-4), scaleByAdam(), scaleByLearningRate(1e-3))
/// ```
public final class Chain: GradientTransformation {
    /// The links, with nested chains flattened.
    public let links: [any GradientTransformation]

    public init(_ links: [any GradientTransformation]) {
        self.links = links.flatMap { ($0 as? Chain)?.links ?? [$0] }
    }

    public func initialize(_ parameters: [ParameterInfo]) {
        for l in links { l.initialize(parameters) }
    }

    public func update(_ batch: UpdateBatch, context: StepContext) {
        var run: [any ElementwiseTransformation] = []
        func flush() {
            guard !run.isEmpty else { return }
            let fused = run
            run = []
            batch.forEachChunk { c in for l in fused { l.apply(c, context: context) } }
        }
        for link in links {
            if let e = link as? any ElementwiseTransformation {
                if e.needsPrepare { flush(); e.prepare(batch, context: context) }
                run.append(e)
            } else {
                flush()
                link.update(batch, context: context)
            }
        }
        flush()
    }
}

/// Chains `links` into one transformation (Optax `chain`).
///
/// ```swift
/// let opt = chain(clipByGlobalNorm(1), adam(learningRate: 1e-3))
/// ```
public func chain(_ links: any GradientTransformation...) -> Chain { Chain(links) }
