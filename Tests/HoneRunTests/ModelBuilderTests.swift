import Testing
import HoneConfig
import HoneNN
import HoneRun
import HoneTune

@Suite struct ModelBuilderTests {
    func build(_ yaml: String, input: [Int] = [1, 28, 28], params: [String: ParamValue] = [:]) throws -> Architecture {
        let c = try HoneConfig.parse(yaml, file: "m.yaml")
        return try ModelBuilder(config: c).architecture(inputShape: input, classes: 10, source: FixedParameters(params))
    }

    @Test func referenceCNNFromALayerListHasTheReferenceParameterCount() throws {
        let arch = try build("""
        model:
          layers:
            - conv2d: {filters: 32, kernel: 3}
            - relu
            - maxpool: {size: 2}
            - conv2d: {filters: 64, kernel: 3}
            - relu
            - maxpool: {size: 2}
            - flatten
            - dense: {units: 128}
            - relu
            - dense: {units: 10}
        """)
        let model = try arch.build(seed: 0)
        // 1·32·9+32 + 32·64·9+64 + 1600·128+128 + 128·10+10
        #expect(model.parameterCount == 225_034)
    }

    @Test func familiesResolveThroughTheTrialParameters() throws {
        let yaml = """
        model:
          family: {choices: [mlp, cnn]}
          mlp: {depth: {low: 1, high: 3}, width: {choices: [64, 128]}}
          cnn: {blocks: 2, channels: 8, dense: 32}
        """
        let mlp = try build(yaml, params: ["model.family": .choice(.string("mlp")), "model.mlp.depth": .int(2),
                                           "model.mlp.width": .choice(.int(64))]).build(seed: 0)
        #expect(mlp.parameterCount == 784 * 64 + 64 + 64 * 64 + 64 + 64 * 10 + 10)
        let cnn = try build(yaml, params: ["model.family": .choice(.string("cnn"))]).build(seed: 0)
        // conv 1→8 (same), conv 8→16 (same), two pools: 28 → 14 → 7; dense 16·7·7 → 32 → 10
        #expect(cnn.parameterCount == (8 * 9 + 8) + (16 * 8 * 9 + 16) + (16 * 49 * 32 + 32) + (32 * 10 + 10))
    }

    @Test func impossibleShapesNameTheLayer() throws {
        func message(_ yaml: String) -> ConfigError? {
            do { _ = try build(yaml); return nil } catch let e as ConfigError { return e } catch { return nil }
        }
        let e1 = try #require(message("model:\n  layers:\n    - conv2d: {filters: 8}\n    - dense: {units: 10}\n"))
        #expect(e1.path == "model.layers[1]" && e1.line == 4)
        #expect(e1.message.contains("add - flatten before it"))
        let e2 = try #require(message("model:\n  layers:\n    - conv2d: {filters: 8, kernel: 29}\n    - flatten\n    - dense: {units: 10}\n"))
        #expect(e2.message.contains("does not fit the 28×28 input"))
        let e3 = try #require(message("model:\n  layers:\n    - flatten\n    - dense: {units: 7}\n"))
        #expect(e3.message.contains("expected [10]"))
    }

    @Test func lstmReadsImageRowsAsSteps() throws {
        let arch = try build("model:\n  layers:\n    - lstm: {units: 16}\n    - dense: {units: 10}\n")
        let model = try arch.build(seed: 0)
        // LSTM(28→16): 4·16·(28+16) + 2·4·16 biases; dense 16→10
        #expect(model.parameterCount == 4 * 16 * (28 + 16) + 2 * 4 * 16 + 16 * 10 + 10)
    }
}
