import Testing
import HoneTestSupport
import HoneCompute
import Synchronization

@Test(arguments: [1, 2, 3, 5])
func parallelForCoversEveryIndexExactlyOnce(threads: Int) {
    withThreadCount(threads) {
        for count in [0, 1, 2, 7, 64, 1000, 4097] {
            for minChunk in [1, 3, 100] {
                let hits = UnsafeMutablePointer<Int>.allocate(capacity: max(1, count))
                hits.initialize(repeating: 0, count: max(1, count))
                defer { hits.deallocate() }
                Compute.parallelFor(count, minChunk: minChunk) { range in
                    for i in range { hits[i] += 1 }
                }
                #expect((0..<count).allSatisfy { hits[$0] == 1 }, "count=\(count) minChunk=\(minChunk)")
            }
        }
    }
}

@Test func nestedParallelForRunsAndCovers() {
    withThreadCount(2) {
        let total = Atomic<Int>(0)
        Compute.parallelFor(8, minChunk: 1) { outer in
            for _ in outer {
                Compute.parallelFor(100, minChunk: 1) { inner in
                    total.wrappingAdd(inner.count, ordering: .relaxed)
                }
            }
        }
        #expect(total.load(ordering: .relaxed) == 800)
    }
}

@Test func threadCountClampsToAtLeastOne() {
    withThreadCount(0) { #expect(Compute.threadCount == 1) }
}
