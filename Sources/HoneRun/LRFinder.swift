import Foundation
import HoneConfig
import HoneData
import HoneNN
import HoneReport
import HoneTensor
import HoneTrain
import HoneTune

/// The learning-rate range test (Smith, "Cyclical Learning Rates for Training Neural Networks",
/// arXiv:1506.01186; fastai's `LRFinder`): train one fresh model for up to `steps` batches while
/// the learning rate rises exponentially from `start` to `end`, record the smoothed loss
/// (exponential moving average, β = 0.98, bias-corrected), stop once it exceeds 4× its best or
/// is not finite, and suggest a rate.
///
/// Suggestion: the rate at the steepest descent of the smoothed loss (most negative slope against
/// log learning rate), a common reading of the curve; `minimumOverTen` (the rate of the lowest
/// loss divided by ten, fastai's older rule) is reported too.
public struct LRFinderResult: Sendable {
    public var learningRates: [Double]
    public var losses: [Double]
    public var steepest: Double
    public var minimumOverTen: Double
}

public enum LRFinder {
    public static func run(config: HoneConfig, data: LoadedData, source: any ParameterSource, start: Double = 1e-7,
                           end: Double = 10, steps: Int = 100) throws -> LRFinderResult {
        guard start > 0, end > start, steps >= 10 else { throw RunError("lr-find: need 0 < start < end and at least 10 steps") }
        let arch = try ModelBuilder(config: config).architecture(inputShape: data.inputShape, classes: data.classCount, source: source)
        var plan = try TrainingPlan(config, source: source)
        plan.learningRate = 1   // the optimizer's rate is 1 × learningRateScale, which the test sweeps
        let model = try arch.build(seed: plan.seed)
        let optimizer = plan.makeOptimizer(for: model)
        model.setTraining(true)
        let loader = DataLoader(dataset: data.train, batchSize: plan.batchSize, shuffle: true, seed: plan.seed)
        let factor = Foundation.pow(end / start, 1 / Double(steps - 1))
        var lrs: [Double] = [], losses: [Double] = []
        var avg = 0.0, best = Double.infinity, step = 0
        outer: for epoch in 0... {
            for batch in loader.batches(epoch: epoch) {
                let lr = start * Foundation.pow(factor, Double(step))
                optimizer.learningRateScale = lr
                let lossValue: Double = {
                    let x = Tensor(shape: batch.shape, scalars: batch.features)
                    let l = plan.loss(model(x), batch.labels)
                    l.backward()
                    return Double(l.scalar)
                }()
                optimizer.step()
                step += 1
                avg = 0.98 * avg + 0.02 * lossValue
                let smoothed = avg / (1 - Foundation.pow(0.98, Double(step)))
                if !smoothed.isFinite || smoothed > 4 * best { break outer }
                best = min(best, smoothed)
                lrs.append(lr); losses.append(smoothed)
                if step >= steps { break outer }
            }
            if epoch > 1000 { break }
        }
        guard lrs.count >= 5 else { throw RunError("lr-find: the loss diverged within \(lrs.count) steps; lower the start rate") }
        var steepestIndex = 1, steepestSlope = Double.infinity
        for i in 1..<(losses.count - 1) {
            let slope = (losses[i + 1] - losses[i - 1]) / (Foundation.log(lrs[i + 1]) - Foundation.log(lrs[i - 1]))
            if slope < steepestSlope { steepestSlope = slope; steepestIndex = i }
        }
        let minIndex = losses.indices.min { losses[$0] < losses[$1] }!
        return LRFinderResult(learningRates: lrs, losses: losses, steepest: lrs[steepestIndex], minimumOverTen: lrs[minIndex] / 10)
    }

    /// A loss-versus-learning-rate chart (log x) with the suggestion marked.
    public static func chart(_ r: LRFinderResult) -> String {
        var c = LineChart(title: "Learning-rate range test", xLabel: "learning rate", yLabel: "smoothed loss", logX: true)
        c.add(.init(name: "loss", points: Array(zip(r.learningRates, r.losses)), style: .line))
        let i = r.learningRates.firstIndex(of: r.steepest) ?? 0
        c.add(.init(name: String(format: "suggested %.2g", r.steepest), points: [(r.steepest, r.losses[i])], style: .points))
        return c.render()
    }
}
