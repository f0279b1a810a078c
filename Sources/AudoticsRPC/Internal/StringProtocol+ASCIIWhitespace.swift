extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (HTTP's optional whitespace, RFC 9110 §5.6.3).
    /// Works on UTF-8 bytes (no grapheme breaking); only ASCII bytes are removed, so the bounds stay valid.
    func trimmingASCIIWhitespace() -> Substring {
        let whole = Substring(self)
        let utf8 = whole.utf8
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start < end, utf8[start] == 0x20 || utf8[start] == 0x09 { utf8.formIndex(after: &start) }
        while start < end {
            let before = utf8.index(before: end)
            guard utf8[before] == 0x20 || utf8[before] == 0x09 else { break }
            end = before
        }
        if start == utf8.startIndex && end == utf8.endIndex { return whole }
        return Substring(utf8[start..<end])
    }
}

extension String {
    /// Whether the text starts or ends with a space or tab (then `trimmingASCIIWhitespace` changes it).
    var hasSurroundingASCIIWhitespace: Bool {
        guard let first = utf8.first, let last = utf8.last else { return false }
        return first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09
    }
}
