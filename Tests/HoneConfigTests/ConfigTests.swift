import Testing
import HoneConfig
import HoneTune

/// A fixed assignment of searched values, standing in for a trial.
struct Assignment: ParameterSource {
    var values: [String: ParamValue]
    func value(for name: String, in distribution: Distribution) throws -> ParamValue {
        guard let v = values[name] else { throw ConfigError(file: "", line: nil, column: nil, path: name, message: "unassigned") }
        return v
    }
}

@Suite struct ConfigTests {
    func error(_ yaml: String) -> ConfigError? {
        do { _ = try HoneConfig.parse(yaml, file: "t.yaml"); return nil } catch let e as ConfigError { return e } catch { return nil }
    }

    @Test func embeddedDefaultParsesAndSearchesTheIssueSpace() throws {
        let c = try HoneConfig.embeddedDefault()
        #expect(c.data.source == .bundled)
        #expect(c.model.family == .search(.categorical(choices: [.string("mlp"), .string("cnn")])))
        #expect(c.training.learningRate == .search(.float(low: 3e-4, high: 3e-2, log: true, step: nil)))
        #expect(c.training.batchSize.isSearched && c.training.weightDecay.isSearched && c.training.schedule.isSearched)
        #expect(c.model.mlp.batchNorm.isSearched && c.model.cnn.dropout.isSearched)
        #expect(c.training.augmentation.flip.isSearched)
        #expect(c.search.sampler == "tpe" && c.search.pruner == "asha")
    }

    @Test func misspelledKeyGetsLineAndSuggestion() throws {
        let e = try #require(error("training:\n  epochs: 3\n  optimiser: adam\n"))
        #expect(e.line == 3)
        #expect(e.path == "training.optimiser")
        #expect(e.description == "t.yaml:3:3: training.optimiser: unknown key; did you mean \"optimizer\"?")
    }

    @Test func wrongTypeNamesFieldAndExpectation() throws {
        let e = try #require(error("training:\n  epochs: many\n"))
        #expect(e.path == "training.epochs" && e.line == 2)
        #expect(e.message == "expected an integer, found \"many\"")
        let e2 = try #require(error("training:\n  learning_rate: {low: 0.1, high: 0.01}\n"))
        #expect(e2.message.contains("low (0.1) must be less than high (0.01)"))
        let e3 = try #require(error("training:\n  weight_decay: {low: 0, high: 0.01, log: true}\n"))
        #expect(e3.message.contains("log range needs low > 0"))
    }

    @Test func unknownValuesAndSections() throws {
        let e = try #require(error("search:\n  sampler: tpee\n"))
        #expect(e.message.contains("did you mean \"tpe\"?"))
        let e2 = try #require(error("modle:\n  family: mlp\n"))
        #expect(e2.message == "unknown key; did you mean \"model\"?")
        let e3 = try #require(error("model:\n  layers:\n    - dense: {units: 10}\n    - conv3d: {filters: 3}\n"))
        #expect(e3.path == "model.layers[1]" && e3.line == 4)
        #expect(e3.message.contains("unknown layer kind \"conv3d\"; did you mean \"conv2d\"?"))
        let e4 = try #require(error("model:\n  layers:\n    - dense: {}\n"))
        #expect(e4.message == "layer dense needs units")
        let e5 = try #require(error("data:\n  source: idx\n"))
        #expect(e5.message.contains("needs a path"))
        let e6 = try #require(error("training: [1, 2\n"))
        #expect(e6.message.hasPrefix("invalid YAML"))
    }

    @Test func layerListWithSearchRangesResolves() throws {
        let c = try HoneConfig.parse("""
        model:
          layers:
            - flatten
            - dense: {units: {low: 32, high: 512, log: true}}
            - relu
            - dropout: {rate: {choices: [0.1, 0.3]}}
            - dense: {units: 10}
        """, file: "m.yaml")
        let layers = try #require(c.model.layers)
        #expect(layers.map(\.kind) == ["flatten", "dense", "relu", "dropout", "dense"])
        guard case let .int(units)? = layers[1].arguments["units"] else { Issue.record("units missing"); return }
        #expect(units == .search(.int(low: 32, high: 512, log: true, step: 1)))
        let v = try units.resolve("model.layers[1].units", from: Assignment(values: ["model.layers[1].units": .int(64)]))
        #expect(v == 64)
        guard case let .double(rate)? = layers[3].arguments["rate"] else { Issue.record("rate missing"); return }
        #expect(rate == .search(.categorical(choices: [.double(0.1), .double(0.3)])))
        #expect(try rate.resolve("r", from: Assignment(values: ["r": .choice(.double(0.3))])) == 0.3)
    }

    @Test func missingFileIsATypedError() {
        #expect(throws: ConfigError.self) { try HoneConfig.load(path: "/nonexistent/hone.yaml") }
    }
}
