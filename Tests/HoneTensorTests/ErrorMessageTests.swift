import Foundation
import Testing
import HoneTensor

/// Programmer errors stop the process with a message naming the op and the shapes — also in
/// release builds (checked in a child process with Swift Testing exit tests).
@Suite struct ErrorMessageTests {
    static func stderrText(_ result: ExitTest.Result?) -> String {
        guard let result else { return "" }
        return String(decoding: result.standardErrorContent, as: UTF8.self)
    }

    @Test func matmulShapeMismatch() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]).matmul(Tensor.zeros([4, 5]))
        }
        #expect(Self.stderrText(r).contains("matmul: shapes [2, 3] and [4, 5] are incompatible"))
    }

    @Test func broadcastMismatch() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([3, 4]) + Tensor.zeros([5])
        }
        #expect(Self.stderrText(r).contains("add: shapes [3, 4] and [5] are not broadcastable"))
    }

    @Test func reshapeAndIndexErrors() async {
        let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]).reshaped([4, 2])
        }
        #expect(Self.stderrText(r1).contains("reshaped: cannot reshape [2, 3] (6 elements) into [4, 2]"))
        let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([3, 2]).indexSelect(axis: 0, indices: [0, 3])
        }
        #expect(Self.stderrText(r2).contains("indexSelect: index 3 out of range for axis 0 of shape [3, 2]"))
    }

    @Test func convAndLinearErrors() async {
        let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.conv2d(Tensor.zeros([1, 3, 5, 5]), weight: Tensor.zeros([4, 2, 3, 3]))
        }
        #expect(Self.stderrText(r1).contains("conv2d: input [1, 3, 5, 5] and weight [4, 2, 3, 3] are incompatible"))
        let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.linear(Tensor.zeros([2, 3]), weight: Tensor.zeros([4, 5]))
        }
        #expect(Self.stderrText(r2).contains("linear: input [2, 3] and weight [4, 5] are incompatible"))
    }

    @Test func secondBackwardThroughFreedGraph() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let w = Tensor([1, 2]).requiringGrad()
            let loss = (w * w).sum()
            loss.backward()
            loss.backward()
        }
        #expect(Self.stderrText(r).contains("pass retainGraph: true"))
    }
}
