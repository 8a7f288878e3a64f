import Testing
import HoneKernels

@Test func detectsAnInstructionSet() {
    let isa = hone_detect_isa()
    #expect([HONE_ISA_GENERIC, HONE_ISA_AVX2, HONE_ISA_AVX512].contains(isa))
}
