/// Stops with `message` when a programmer error (a shape mismatch) is detected; unlike
/// `precondition`, the message is printed in optimized builds too.
@inline(__always)
func qcheck(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
