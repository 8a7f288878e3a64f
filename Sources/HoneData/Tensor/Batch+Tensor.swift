import HoneTensor

extension Batch {
    /// The features as a `Tensor` of shape `shape` (`[count] + featureShape`).
    ///
    /// ```swift
    /// for batch in loader.batches(epoch: 0) {
    ///     let x = batch.featureTensor(exampleShape: [1, 28, 28])   // NCHW for a CNN
    ///     let y = batch.labels                                      // [Int32]
    /// }
    /// ```
    public var featureTensor: Tensor { Tensor(shape: shape, scalars: features) }

    /// The features as a `Tensor` of shape `[count] + exampleShape`; `exampleShape` must hold the
    /// same number of values as one example (for example `[784]` for an MLP, `[1, 28, 28]` for a CNN).
    public func featureTensor(exampleShape: [Int]) -> Tensor {
        precondition(exampleShape.reduce(1, *) == shape.dropFirst().reduce(1, *),
                     "Batch.featureTensor: examples of shape \(Array(shape.dropFirst())) cannot be viewed as \(exampleShape)")
        return Tensor(shape: [count] + exampleShape, scalars: features)
    }
}

extension InMemoryDataset {
    /// All features as one `Tensor` of shape `[count] + featureShape` (for whole-set evaluation).
    ///
    /// ```swift
    /// let x = try BundledData.fashionMNISTSubset().test.featureTensor   // [2000, 28, 28]
    /// ```
    public var featureTensor: Tensor { Tensor(shape: [count] + featureShape, scalars: features) }

    /// A dataset from a features tensor `[N, …]` and N labels.
    ///
    /// ```swift
    /// let data = InMemoryDataset(features: Tensor(shape: [2, 2], scalars: [0, 1, 1, 0]), labels: [1, 0])
    /// ```
    public init(features: Tensor, labels: [Int32], classCount: Int? = nil, classNames: [String]? = nil) {
        precondition(features.rank >= 2 && features.shape[0] == labels.count,
                     "InMemoryDataset.init(features:labels:): tensor shape \(features.shape) does not match \(labels.count) labels")
        self.init(features: features.scalars, featureShape: Array(features.shape.dropFirst()), labels: labels,
                  classCount: classCount, classNames: classNames)
    }
}
