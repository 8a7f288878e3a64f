import HoneRobust
import Testing

@Test func robustnessErrorMessagesNameTheSettingAndTheExpectation() {
    #expect(RobustnessError.invalidArgument(name: "eps", value: "-0.1", expected: "eps ≥ 0").description
        == "invalid eps -0.1: expected eps ≥ 0")
    #expect(RobustnessError.missingTargets(attack: "pgd").description.contains("target labels"))
}
