extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (HTTP's optional whitespace, RFC 9110 §5.6.3).
    func trimmingASCIIWhitespace() -> Substring {
        let whole = Substring(self)
        guard let first = whole.firstIndex(where: { $0 != " " && $0 != "\t" }),
            let last = whole.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return whole[whole.endIndex...] }
        return whole[first...last]
    }
}
