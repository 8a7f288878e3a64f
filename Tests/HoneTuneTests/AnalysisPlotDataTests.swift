import Foundation
import Testing
import HoneTune

private func study(_ directions: [StudyDirection] = [.minimize]) -> StudySnapshot {
    let dx = Distribution.float(low: 0, high: 1, log: false, step: nil)
    let dc = Distribution.categorical(choices: [.string("a"), .string("b")])
    let rows: [(Double, Double, [Double])] = [(0.9, 0, [3, 1]), (0.2, 1, [1, 3]), (0.5, 0, [2, 2]), (0.7, 1, [4, 4])]
    var trials = rows.enumerated().map { i, r in
        FrozenTrial(id: Int64(i), number: i, state: .complete, values: Array(r.2.prefix(directions.count)),
                    params: ["x": r.0, "c": r.1], distributions: ["x": dx, "c": dc])
    }
    trials.append(FrozenTrial(id: 9, number: 4, state: .running, params: ["x": 0.1], distributions: ["x": dx]))
    return StudySnapshot(name: "p", directions: directions, trials: trials)
}

@Test func historyTracksBestSoFar() throws {
    let h = PlotData.history(study())
    #expect(h.map(\.value) == [3, 1, 2, 4])
    #expect(h.map(\.best) == [3, 1, 1, 1])
    let m = PlotData.history(study([.maximize]))
    #expect(m.map(\.best) == [3, 3, 3, 4])
    // Plain Codable data.
    let back = try JSONDecoder().decode([PlotData.HistoryPoint].self, from: JSONEncoder().encode(h))
    #expect(back == h)
}

@Test func parallelCoordinatesSlicesAndPareto() {
    let pc = PlotData.parallelCoordinates(study())
    #expect(pc.axes.map(\.name) == ["c", "x"])
    #expect(pc.axes[0].labels == ["a", "b"])
    #expect(pc.lines.count == 4 && pc.lines[1].params == [1, 0.2])
    let s = PlotData.slices(study())
    #expect(s.map(\.axis.name) == ["c", "x"] && s[1].points.count == 4)
    let front = PlotData.paretoFront(study([.minimize, .minimize]))
    #expect(front.filter { $0.rank == 0 }.map(\.number) == [0, 1, 2])
    #expect(front.first { $0.number == 3 }!.rank == 1)
}

@Test func contourPredictsAGridThroughTheData() {
    // y = x₁ + x₂ on a 5×5 grid of observations.
    let d = Distribution.float(low: 0, high: 1, log: false, step: nil)
    var trials: [FrozenTrial] = []
    for i in 0..<5 { for j in 0..<5 {
        let a = Double(i) / 4, b = Double(j) / 4
        trials.append(FrozenTrial(id: Int64(trials.count), number: trials.count, state: .complete, values: [a + b],
                                  params: ["a": a, "b": b], distributions: ["a": d, "b": d]))
    } }
    let c = PlotData.contour(StudySnapshot(name: "c", directions: [.minimize], trials: trials), x: "a", y: "b", resolution: 5)!
    #expect(c.points.count == 25 && c.xs.count == 5 && c.predicted.count == 5)
    for (i, yv) in c.ys.enumerated() { for (j, xv) in c.xs.enumerated() { #expect(abs(c.predicted[i][j] - (xv + yv)) < 0.05) } }
}

@Test func importanceBarsAreSortedAndNormalized() {
    let d = Distribution.float(low: 0, high: 1, log: false, step: nil)
    var trials: [FrozenTrial] = []
    for i in 0..<60 {
        let a = Double((i * 37) % 60) / 60, b = Double((i * 11) % 60) / 60
        trials.append(FrozenTrial(id: Int64(i), number: i, state: .complete, values: [a * a * 10 + 0.01 * b],
                                  params: ["a": a, "b": b], distributions: ["a": d, "b": d]))
    }
    let bars = PlotData.importance(StudySnapshot(name: "i", directions: [.minimize], trials: trials))
    #expect(bars.first?.name == "a")
    #expect(abs(bars.reduce(0) { $0 + $1.importance } - 1) < 1e-9)
}
