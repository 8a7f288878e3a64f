import Testing
import HoneTune

@Test func distributionContainsAndConverts() {
    let d = Distribution.int(low: 1, high: 9, log: false, step: 2)
    #expect(d.contains(3)); #expect(!d.contains(4)); #expect(d.cardinality == 5)
    let c = Distribution.categorical(choices: [.string("adam"), .string("sgd")])
    #expect(ParamValue(internal: 1, distribution: c) == .choice(.string("sgd")))
    #expect(ParamValue.choice(.string("adam")).internalValue(in: c) == 0)
}
