/// Stops the program with `message` when `condition` is false.
///
/// Used for programmer errors (incompatible shapes, bad axes, out-of-range indices). Unlike
/// `precondition`, which in optimized (`-O`) builds stops *without* printing its message, this
/// always prints the message (via `fatalError`), so a release build still says which op failed
/// and on which shapes.
@inline(__always)
func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
           file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError(message(), file: file, line: line) }
}
