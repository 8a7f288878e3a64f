import Foundation
import HoneRobust
import Testing

@Test func reportHasTheCurveTheSettingsAndTheWarnings() throws {
    let model = Fixture.linear()
    let (x, y) = Fixture.data(model, n: 32)
    var ev = RobustnessEvaluator(attacks: [try AttackCatalog.recipe("fgsm"), try AttackCatalog.recipe("pgd", steps: 5)],
                                 epsilons: [0.05, 0.1])
    ev.squareQueries = 50
    var result = try ev.evaluate(model, inputs: x, labels: y)
    result.warnings.append(SanityWarning(check: "vanishing_gradient", message: "test warning"))
    let html = RobustnessReport.html(result, model: "m.safetensors").render()
    #expect(html.contains("<svg"))
    #expect(html.contains("worst case"))
    #expect(html.contains("test warning"))
    #expect(html.contains("restarts"))
    let json = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
    #expect(json.contains("\"robust_accuracy\"") && json.contains("\"step_size\"") && json.contains("\"warnings\""))
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hone-robust-\(getpid()).html")
    try RobustnessReport.write(result, model: "m", to: url)
    #expect(FileManager.default.fileExists(atPath: url.path))
    try? FileManager.default.removeItem(at: url)
}
