import Testing
import HoneTune

@Test func normalFunctionsMatchReferenceValues() {
    #expect(abs(Normal.cdf(1.96) - 0.9750021048517795) < 1e-14)
    #expect(abs(Normal.quantile(0.975) - 1.959963984540054) < 1e-12)
    #expect(abs(Normal.quantile(1e-10) + 6.361340902404056) < 1e-9)
    // log Φ(−40) from the asymptotic series vs the known value −804.6084420137538.
    #expect(abs(Normal.logCDF(-40) + 804.6084420137538) < 1e-9)
    #expect(abs(Normal.logCDF(-19.9) - Normal.logCDF(-20.1) - 4.00995069461565) < 1e-6)
    // log(Φ(1) − Φ(−1)) = log 0.6826894921370859.
    #expect(abs(Normal.logMass(-1, 1) - (-0.381715146302126)) < 1e-13)
    #expect(abs(Normal.erfcx(30) - 0.018795888861416751) < 1e-12)
}

@Test func truncatedSamplesStayInside() {
    for (a, b) in [(-1.0, 2.0), (3.0, 9.0), (-12.0, -11.0)] {
        for i in 0..<50 {
            let z = Normal.truncatedSample(a, b, u: (Double(i) + 0.5) / 50)
            #expect(z >= a && z <= b)
        }
    }
}
