#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Unaligned 8-lane loads and stores and a vector square root for the optimizer loops. Swift's
/// scalar `squareRoot()` and division do not auto-vectorize (the square root keeps libm's errno
/// path) and `SIMD8.squareRoot()` is computed lane by lane, so the loops with a square root or
/// a division work on `SIMD8<Float>` explicitly and take the root with SSE `sqrtps`. Lane
/// arithmetic is the same IEEE single-precision arithmetic as the scalar tails (no fused
/// multiply-add), so results do not depend on where a chunk boundary falls.
typealias Lanes = SIMD8<Float>

/// Correctly rounded square root of every lane.
@inline(__always) func squareRoot(_ x: Lanes) -> Lanes {
    #if arch(x86_64)
    return Lanes(lowHalf: _mm_sqrt_ps(x.lowHalf), highHalf: _mm_sqrt_ps(x.highHalf))
    #else
    return x.squareRoot()
    #endif
}

extension UnsafeMutablePointer where Pointee == Float {
    @inline(__always) func lanes(_ i: Int) -> Lanes {
        UnsafeRawPointer(self + i).loadUnaligned(as: Lanes.self)
    }

    @inline(__always) func setLanes(_ i: Int, _ v: Lanes) {
        UnsafeMutableRawPointer(self + i).storeBytes(of: v, as: Lanes.self)
    }
}
