// zlib for Swift: the system library (Debian `zlib1g-dev`, Homebrew `zlib`, or the macOS SDK).
// `inflateInit2` is a macro, which Swift cannot import, so it is wrapped here.
#ifndef HONE_CZLIB_SHIM_H
#define HONE_CZLIB_SHIM_H
#include <zlib.h>

/// Starts a gzip-only inflate stream (windowBits 15 + 16: expect a gzip header and check the
/// CRC-32 and ISIZE trailer, RFC 1952).
static inline int hone_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 15 + 16);
}

/// Starts a gzip deflate stream at `level` (0–9) with zlib's default memory use and strategy.
static inline int hone_deflate_init_gzip(z_stream *stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
#endif
