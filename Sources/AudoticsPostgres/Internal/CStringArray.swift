/// Calls `body` with a NULL-terminated array of C strings for `strings`, valid only during the call
/// (libpq's `PQconnectdbParams` takes keyword and value arrays in this shape).
func withCStringArray<Result>(
    _ strings: [String],
    _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> Result
) -> Result {
    withPointers(strings.map { Array($0.utf8CString) }[...], collected: [], body)
}

private func withPointers<Result>(
    _ remaining: ArraySlice<[CChar]>,
    collected: [UnsafePointer<CChar>?],
    _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> Result
) -> Result {
    guard let first = remaining.first else {
        return (collected + [nil]).withUnsafeBufferPointer { body($0.baseAddress!) }
    }
    return first.withUnsafeBufferPointer { buffer in
        withPointers(remaining.dropFirst(), collected: collected + [buffer.baseAddress], body)
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = lastIndex(where: { !isSpace($0) })!
        return self[start...end]
    }
}
