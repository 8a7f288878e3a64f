/// The usual optimizers as ready-made chains, with PyTorch's defaults and update rules
/// (`torch.optim`). Each is an ordinary ``Chain``: wrap it in more links as needed,
/// `chain(clipByGlobalNorm(1), adam(learningRate: 1e-3))`.

/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2
/// weight decay (PyTorch `SGD`): `g ← g + λθ`, momentum per ``Trace``, `θ ← θ − γ·u`.
///
/// ```swift
/// let opt = sgd(learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 5e-4)
/// ```
public func sgd(learningRate: LearningRate, momentum: Float = 0, dampening: Float = 0,
                nesterov: Bool = false, weightDecay: Float = 0) -> Chain {
    var links: [any GradientTransformation] = []
    if weightDecay > 0 { links.append(addDecayedWeights(weightDecay)) }
    if momentum != 0 { links.append(trace(momentum: momentum, dampening: dampening, nesterov: nesterov)) }
    links.append(scaleByLearningRate(learningRate))
    return Chain(links)
}

/// Adam (Kingma & Ba, arXiv:1412.6980) with optional AMSGrad and L2 weight decay added to the
/// gradient (PyTorch `Adam`; for decoupled decay use ``adamW(learningRate:beta1:beta2:epsilon:weightDecay:amsgrad:)``).
///
/// ```swift
/// let opt = adam(learningRate: 1e-3)
/// ```
public func adam(learningRate: LearningRate = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
                 epsilon: Double = 1e-8, weightDecay: Float = 0, amsgrad: Bool = false) -> Chain {
    var links: [any GradientTransformation] = []
    if weightDecay > 0 { links.append(addDecayedWeights(weightDecay)) }
    links.append(scaleByAdam(beta1: beta1, beta2: beta2, epsilon: epsilon, amsgrad: amsgrad))
    links.append(scaleByLearningRate(learningRate))
    return Chain(links)
}

/// AdamW: Adam with decoupled weight decay `θ ← θ − γλθ` (Loshchilov & Hutter,
/// arXiv:1711.05101; PyTorch `AdamW`, default λ = 0.01).
///
/// ```swift
/// let opt = adamW(learningRate: 1e-3, weightDecay: 0.05)
/// ```
public func adamW(learningRate: LearningRate = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
                  epsilon: Double = 1e-8, weightDecay: Float = 1e-2, amsgrad: Bool = false) -> Chain {
    Chain([scaleByAdam(beta1: beta1, beta2: beta2, epsilon: epsilon, amsgrad: amsgrad),
           addDecayedWeights(weightDecay), scaleByLearningRate(learningRate)])
}

/// RMSprop (PyTorch `RMSprop`, defaults lr 1e-2, α 0.99, ε 1e-8), optionally centered and with
/// momentum; L2 weight decay added to the gradient.
///
/// ```swift
/// let opt = rmsprop(learningRate: 1e-3, centered: true, momentum: 0.9)
/// ```
public func rmsprop(learningRate: LearningRate = 1e-2, alpha: Float = 0.99, epsilon: Float = 1e-8,
                    centered: Bool = false, momentum: Float = 0, weightDecay: Float = 0) -> Chain {
    var links: [any GradientTransformation] = []
    if weightDecay > 0 { links.append(addDecayedWeights(weightDecay)) }
    links.append(scaleByRMS(decay: alpha, epsilon: epsilon, centered: centered, momentum: momentum))
    links.append(scaleByLearningRate(learningRate))
    return Chain(links)
}

/// Adagrad (Duchi et al., JMLR 2011; PyTorch `Adagrad`, defaults lr 1e-2, ε 1e-10): learning
/// rate `γ/(1 + (t−1)·learningRateDecay)`, accumulator starting at `initialAccumulator`.
///
/// ```swift
/// let opt = adagrad(learningRate: 0.05, initialAccumulator: 0.1)
/// ```
public func adagrad(learningRate: Double = 1e-2, learningRateDecay: Double = 0,
                    initialAccumulator: Float = 0, epsilon: Float = 1e-10, weightDecay: Float = 0) -> Chain {
    var links: [any GradientTransformation] = []
    if weightDecay > 0 { links.append(addDecayedWeights(weightDecay)) }
    links.append(scaleByAdagrad(initialAccumulator: initialAccumulator, epsilon: epsilon))
    links.append(scaleByLearningRate(learningRateDecay == 0 ? .constant(learningRate)
                                     : .inverseTimeDecay(base: learningRate, decay: learningRateDecay)))
    return Chain(links)
}
