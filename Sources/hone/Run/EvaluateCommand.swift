import ArgumentParser
import Foundation
import HoneNN
import HoneRun
import HoneTrain

/// `hone evaluate MODEL [CONFIG]`: loads a saved model and evaluates it on the config's test set.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate", abstract: "Evaluate a saved model on the test set.")

    @Argument(help: "Model file (.safetensors written by Hone).") var model: String
    @Argument(help: "YAML config naming the data (default: the embedded default's bundled data).") var config: String?
    @Flag(help: "Print a JSON summary as the last line.") var json = false

    func run() throws {
        let cfg = try RunSupport.loadConfig(config)
        let data = try LoadedData.load(cfg)
        let net = try ModelFile.load(from: URL(fileURLWithPath: model))
        let final = FinalModel.measure(net, data: data, history: [])
        RunSupport.say(String(format: "test accuracy %.4f, loss %.4f on %d examples (%@)", final.testAccuracy, final.testLoss,
                              data.test.count, data.origin))
        RunSupport.say(final.confusion.report(classNames: data.classNames))
        if json {
            let obj: [String: Any] = ["command": "evaluate", "model": model, "test_accuracy": final.testAccuracy,
                                      "test_loss": final.testLoss, "samples": data.test.count,
                                      "macro_f1": final.confusion.f1(average: .macro)]
            RunSupport.say(String(decoding: try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys]), as: UTF8.self))
        }
    }
}

/// `hone predict MODEL [CONFIG] --output FILE`: writes the predicted class and its probability
/// for every test example as CSV.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict", abstract: "Write predictions for the test set as CSV.")

    @Argument(help: "Model file (.safetensors written by Hone).") var model: String
    @Argument(help: "YAML config naming the data (default: the embedded default's bundled data).") var config: String?
    @Option(help: "CSV file to write (default: standard output).") var output: String?

    func run() throws {
        let cfg = try RunSupport.loadConfig(config)
        let data = try LoadedData.load(cfg)
        let net = try ModelFile.load(from: URL(fileURLWithPath: model))
        net.setTraining(false)
        let probs = predict(net, data: data.test, batchSize: 256).softmax(axis: 1).scalars
        let k = data.classCount
        var lines = ["index,label,predicted,class,probability"]
        for i in 0..<data.test.count {
            let row = probs[(i * k)..<((i + 1) * k)]
            let p = row.indices.max { row[$0] < row[$1] }! - i * k
            lines.append("\(i),\(data.test.label(at: i)),\(p),\(csvField(data.classNames[p])),\(String(format: "%.5f", row[row.startIndex + p]))")
        }
        let text = lines.joined(separator: "\n") + "\n"
        if let output {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            RunSupport.say("wrote \(data.test.count) predictions to \(output)")
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    func csvField(_ s: String) -> String { s.contains(",") || s.contains("\"") ? "\"\(s.replacingOccurrences(of: "\"", with: "\"\""))\"" : s }
}
