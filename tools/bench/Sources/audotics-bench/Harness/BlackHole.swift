/// Consumes a value so the optimizer cannot prove it unused and delete the work that made it.
///
/// `@_optimize(none)` keeps the compiler from looking inside (an empty body would otherwise be
/// analysed as side-effect free and the call, and the encode or decode feeding it, removed).
@_optimize(none)
@inline(never)
func blackHole<T>(_ value: T) {}

/// Returns `value` through a call the optimizer cannot see through, so inputs are not constant-folded.
@_optimize(none)
@inline(never)
func opaque<T>(_ value: T) -> T { value }
