import HoneData
import Testing

@Suite struct SplitTests {
    /// Imbalanced labels: 60 of class 0, 30 of class 1, 10 of class 2.
    static let labels: [Int32] = (0..<100).map { $0 % 10 < 6 ? 0 : ($0 % 10 < 9 ? 1 : 2) }

    @Test func stratifiedHoldoutKeepsProportions() throws {
        let split = try Splits.holdout(labels: Self.labels, validationFraction: 0.2, stratified: true, seed: 1)
        #expect(split.validation.count == 20 && split.train.count == 80)
        #expect(Set(split.train).isDisjoint(with: split.validation))
        #expect((split.train + split.validation).sorted() == Array(0..<100))
        let counts = [0, 1, 2].map { c in split.validation.filter { Self.labels[$0] == c }.count }
        #expect(counts == [12, 6, 2])
        #expect(try Splits.holdout(labels: Self.labels, validationFraction: 0.2, stratified: true, seed: 1) == split)
        #expect(try Splits.holdout(labels: Self.labels, validationFraction: 0.2, stratified: true, seed: 2) != split)
    }

    @Test func plainHoldoutSizes() throws {
        let split = try Splits.holdout(count: 7, validationFraction: 0.3, seed: 0)
        #expect(split.validation.count == 2 && split.train.count == 5)
        #expect(dataError { try Splits.holdout(count: 7, validationFraction: 1.5, seed: 0) }?.kind == .invalidArgument)
        #expect(dataError { try Splits.holdout(count: 2, validationFraction: 0.1, seed: 0) }?.kind == .invalidArgument)
    }

    @Test(arguments: [2, 3, 5, 7])
    func stratifiedKFoldIsDisjointCoveringAndBalanced(folds: Int) throws {
        let result = try Splits.stratifiedKFold(labels: Self.labels, folds: folds, seed: 9)
        #expect(result.count == folds)
        let validations = result.flatMap(\.validation)
        #expect(validations.sorted() == Array(0..<100))  // disjoint and covering
        for fold in result {
            #expect(Set(fold.train).isDisjoint(with: fold.validation) && fold.train.count + fold.validation.count == 100)
            for (c, total) in [(Int32(0), 60), (1, 30), (2, 10)] {
                let n = fold.validation.filter { Self.labels[$0] == c }.count
                let exact = Double(total) / Double(folds)
                #expect(Double(n) >= exact.rounded(.down) && Double(n) <= exact.rounded(.up), "class \(c): \(n) vs \(exact)")
            }
        }
        let sizes = result.map(\.validation.count)
        #expect(sizes.max()! - sizes.min()! <= 1)
    }

    @Test func plainKFoldAndBadFoldCounts() throws {
        let result = try Splits.kFold(count: 11, folds: 3, seed: 4)
        #expect(result.flatMap(\.validation).sorted() == Array(0..<11))
        #expect(dataError { try Splits.kFold(count: 3, folds: 4, seed: 0) }?.kind == .invalidArgument)
        #expect(dataError { try Splits.stratifiedKFold(labels: [0, 1], folds: 1, seed: 0) }?.kind == .invalidArgument)
    }
}
