import HoneRandom

/// The example indices of one split: a training part and a validation (held-out) part.
public struct SplitIndices: Sendable, Equatable {
    /// Ascending dataset indices for training.
    public let train: [Int]
    /// Ascending dataset indices for validation.
    public let validation: [Int]
}

/// Seeded train/validation splits: holdout (optionally stratified) and (stratified) k-fold.
/// Index lists come back sorted; the same seed gives the same split.
///
/// ```swift
/// let split = try Splits.holdout(labels: train.labels, validationFraction: 0.2, stratified: true, seed: 7)
/// let folds = try Splits.stratifiedKFold(labels: train.labels, folds: 5, seed: 7)
/// for fold in folds { let part = train.subset(fold.train) … }
/// ```
public enum Splits {
    /// A random holdout of `round(validationFraction · count)` examples.
    public static func holdout(count: Int, validationFraction: Double, seed: UInt64) throws(DataError) -> SplitIndices {
        let size = try validationSize(count: count, fraction: validationFraction)
        var order = Array(0..<count)
        var generator = SeededGenerator(seed: seed, stream: stableHash("hone.split.holdout"))
        generator.shuffle(&order)
        return SplitIndices(train: order[size...].sorted(), validation: order[..<size].sorted())
    }

    /// A holdout of `round(validationFraction · labels.count)` examples. Stratified, every class
    /// contributes in proportion to its size: the total is divided by largest remainders
    /// (Hamilton's method), so each class's share is within one example of exact.
    public static func holdout(labels: [Int32], validationFraction: Double, stratified: Bool, seed: UInt64) throws(DataError) -> SplitIndices {
        guard stratified else { return try holdout(count: labels.count, validationFraction: validationFraction, seed: seed) }
        let size = try validationSize(count: labels.count, fraction: validationFraction)
        let classes = shuffledClasses(labels, seed: seed, salt: "hone.split.stratified-holdout")
        let quotas = apportion(size, among: classes.map(\.count), total: labels.count)
        var train: [Int] = [], validation: [Int] = []
        for (members, quota) in zip(classes, quotas) {
            validation += members[..<quota]
            train += members[quota...]
        }
        return SplitIndices(train: train.sorted(), validation: validation.sorted())
    }

    /// K disjoint validation folds covering every example once; each class is dealt round-robin
    /// across folds after a seeded shuffle, so every fold holds each class within one example of
    /// its share and fold sizes differ by at most one (like sklearn's `StratifiedKFold`).
    public static func stratifiedKFold(labels: [Int32], folds k: Int, seed: UInt64) throws(DataError) -> [SplitIndices] {
        try checkFolds(k, count: labels.count)
        var foldOf = [Int](repeating: 0, count: labels.count)
        var next = 0
        for members in shuffledClasses(labels, seed: seed, salt: "hone.split.stratified-kfold") {
            for i in members { foldOf[i] = next % k; next += 1 }
        }
        return folds(foldOf, k: k)
    }

    /// K disjoint validation folds of a seeded permutation (sizes differ by at most one).
    public static func kFold(count: Int, folds k: Int, seed: UInt64) throws(DataError) -> [SplitIndices] {
        try checkFolds(k, count: count)
        var order = Array(0..<count)
        var generator = SeededGenerator(seed: seed, stream: stableHash("hone.split.kfold"))
        generator.shuffle(&order)
        var foldOf = [Int](repeating: 0, count: count)
        for (position, i) in order.enumerated() { foldOf[i] = position % k }
        return folds(foldOf, k: k)
    }

    private static func folds(_ foldOf: [Int], k: Int) -> [SplitIndices] {
        (0..<k).map { f in
            SplitIndices(train: foldOf.indices.filter { foldOf[$0] != f }, validation: foldOf.indices.filter { foldOf[$0] == f })
        }
    }

    private static func validationSize(count: Int, fraction: Double) throws(DataError) -> Int {
        guard fraction > 0 && fraction < 1 else {
            throw DataError(.invalidArgument, file: "Splits.holdout", "validation fraction \(fraction) must lie strictly between 0 and 1")
        }
        let size = Int((fraction * Double(count)).rounded())
        guard size >= 1 && size < count else {
            throw DataError(.invalidArgument, file: "Splits.holdout",
                            "validation fraction \(fraction) of \(count) examples leaves \(size) for validation and \(count - size) for training; both need at least one")
        }
        return size
    }

    private static func checkFolds(_ k: Int, count: Int) throws(DataError) {
        guard k >= 2 && k <= count else {
            throw DataError(.invalidArgument, file: "Splits.kFold", "number of folds \(k) must lie in 2…\(count) (the number of examples)")
        }
    }

    /// The indices of each class (ascending class order), each list shuffled with its own stream.
    private static func shuffledClasses(_ labels: [Int32], seed: UInt64, salt: String) -> [[Int]] {
        var byClass: [Int32: [Int]] = [:]
        for (i, l) in labels.enumerated() { byClass[l, default: []].append(i) }
        return byClass.keys.sorted().map { label in
            var members = byClass[label]!
            var generator = SeededGenerator(seed: seed, stream: stableHash(salt) ^ UInt64(UInt32(bitPattern: label)))
            generator.shuffle(&members)
            return members
        }
    }

    /// Splits `size` among groups in proportion to their sizes (largest remainder method; ties go
    /// to the earlier group).
    static func apportion(_ size: Int, among groups: [Int], total: Int) -> [Int] {
        let exact = groups.map { Double($0) * Double(size) / Double(total) }
        var quotas = exact.map { Int($0.rounded(.down)) }
        let remaining = size - quotas.reduce(0, +)
        let order = groups.indices.sorted { (exact[$0] - Double(quotas[$0]), -$0) > (exact[$1] - Double(quotas[$1]), -$1) }
        for g in order.prefix(remaining) { quotas[g] += 1 }
        return zip(quotas, groups).map { min($0, $1) }
    }
}
