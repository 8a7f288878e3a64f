import Foundation
import Testing
import HoneReport
import HoneTune

@Suite struct ReportTests {
    func trials() -> [FrozenTrial] {
        let dLR = Distribution.float(low: 1e-4, high: 1e-1, log: true, step: nil)
        let dW = Distribution.int(low: 16, high: 256, log: false, step: 1)
        let dO = Distribution.categorical(choices: [.string("adam"), .string("sgd")])
        return (0..<12).map { i in
            let lr = 1e-4 * pow(10, Double(i % 4)), w = Double(16 + 20 * i), o = Double(i % 2)
            return FrozenTrial(id: Int64(i), number: i, state: i == 5 ? .pruned : .complete,
                               values: [0.5 + 0.03 * Double(i % 5)],
                               params: ["lr": lr, "width": w, "opt": o],
                               distributions: ["lr": dLR, "width": dW, "opt": dO],
                               intermediateValues: [1: 0.4, 2: 0.45])
        }
    }

    @Test func scaleTicksAreNiceAndInside() {
        let s = Scale(domain: (0, 1), range: (0, 100))
        #expect(s.ticks() == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0] || s.ticks().count == 6)
        #expect(s(0.5) == 50)
        let l = Scale(domain: (1e-4, 1e-1), range: (0, 300), log: true)
        #expect(l.ticks() == [1e-4, 1e-3, 1e-2, 1e-1])
        #expect(abs(l(1e-2) - 200) < 1e-9)
    }

    @Test func svgEscapesText() {
        var c = SVGCanvas(width: 10, height: 10)
        c.text("<a & \"b\">", x: 0, y: 0)
        let out = c.render()
        #expect(out.contains("&lt;a &amp; &quot;b&quot;&gt;"))
        #expect(!out.contains("<a &"))
    }

    @Test func studyChartsContainEveryTrial() throws {
        let charts = StudyCharts(trials: trials(), direction: .maximize, importance: ["lr": 0.6, "width": 0.3, "opt": 0.1])
        #expect(charts.parameterNames == ["lr", "width", "opt"])
        let history = charts.history()
        #expect(history.components(separatedBy: "<circle").count - 1 == 11)   // 11 completed trials
        #expect(history.contains("best so far"))
        #expect(charts.parallelCoordinates().components(separatedBy: "<polyline").count - 1 == 11)
        let contour = try #require(charts.contour())
        #expect(contour.contains("Contour: lr × width"))
        #expect(contour.components(separatedBy: "<circle").count - 1 == 11)
        let table = charts.trialsTable()
        #expect(table.rows.count == 12)
        #expect(table.headers == ["#", "state", "value", "lr", "width", "opt", "steps", "duration s"])
        #expect(table.best == 4)   // value 0.5 + 0.03·4 is the largest
        #expect(table.rows[1][5] == "sgd")
    }

    @Test func reportIsSelfContainedAndWrittenAtomically() throws {
        var r = HTMLReport(title: "Study <test>")
        let charts = StudyCharts(trials: trials(), direction: .maximize, importance: ["lr": 0.6, "width": 0.4])
        r.heading("History"); r.figure(charts.history(), caption: "history")
        r.figure(charts.importanceChart(), caption: "importance")
        r.finding("Overfitting", detail: "gap grows", fix: "add dropout")
        let t = charts.trialsTable(); r.table(headers: t.headers, rows: t.rows, highlightRow: t.best)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hone-report-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("report.html")
        try r.write(to: url)
        let html = try String(contentsOf: url, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<title>Study &lt;test&gt;</title>"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("http://") || html.contains("http://www.w3.org/2000/svg"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["report.html"])
    }
}
