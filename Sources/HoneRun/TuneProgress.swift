import Foundation
import HoneTune

/// Prints one line per finished trial — number, state, value, best so far, trials per minute
/// and the estimated time left — so the study's progress reads the same on a terminal and in
/// a log file. (The per-epoch bar of the running trial comes from `ProgressLogger`.)
final class TuneProgress: @unchecked Sendable {
    let total: Int
    let log: @Sendable (String) -> Void
    let started = Date()
    private let lock = NSLock()
    private var finished = 0

    init(total: Int, log: @escaping @Sendable (String) -> Void) { self.total = total; self.log = log }

    func trialEnded(study: Study, number: Int) {
        lock.lock(); finished += 1; let done = finished; lock.unlock()
        guard let trials = try? study.trials(), let t = trials.first(where: { $0.number == number }) else { return }
        let best = trials.filter { $0.state == .complete }.compactMap(\.value).max()
        let minutes = Date().timeIntervalSince(started) / 60
        let rate = Double(done) / max(minutes, 1e-9)
        let left = max(total - trials.filter { $0.state.isFinished }.count, 0)
        let eta = rate > 0 ? Double(left) / rate * 60 : 0
        let value = t.value ?? t.intermediateValues.sorted { $0.key < $1.key }.last?.value
        let params = t.externalParams.sorted { $0.key < $1.key }.map { "\($0.key.split(separator: ".").last!)=\($0.value)" }
        log(String(format: "trial %3d  %-8@ val %.4f  best %.4f  %.1f trials/min  ETA %@  %@", number,
                   t.state.rawValue.lowercased(), value ?? .nan, best ?? value ?? .nan, rate,
                   Self.duration(eta), params.joined(separator: " ")))
    }

    static func duration(_ s: Double) -> String {
        let s = Int(s.rounded())
        return s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}
