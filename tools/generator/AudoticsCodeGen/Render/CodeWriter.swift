/// Accumulates indented lines of Swift source.
struct CodeWriter {
    private(set) var text = ""
    private var indentation = ""

    /// Appends one line at the current indentation (an empty string appends an empty line).
    mutating func line(_ line: String = "") {
        text += line.isEmpty ? "\n" : indentation + line + "\n"
    }

    /// Appends several lines.
    mutating func lines(_ lines: [String]) {
        for item in lines { line(item) }
    }

    /// Appends `header {`, the body one level deeper, and `}`.
    mutating func block(
        _ header: String, close: String = "}", _ body: (inout CodeWriter) throws(CodeGenError) -> Void
    ) throws(CodeGenError) {
        line(header + " {")
        indentation += "    "
        try body(&self)
        indentation.removeLast(4)
        line(close)
    }

    /// Appends a proto comment as `///` documentation, or `fallback` when the comment is empty.
    mutating func documentation(_ comment: String, fallback: String = "") {
        var lines = comment.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasPrefix(" ") ? String($0.dropFirst()) : String($0)
        }
        while lines.last?.trimmingSpaces.isEmpty == true { lines.removeLast() }
        while lines.first?.trimmingSpaces.isEmpty == true { lines.removeFirst() }
        if lines.isEmpty && !fallback.isEmpty { lines = [fallback] }
        for item in lines { line(item.isEmpty ? "///" : "/// " + item) }
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }

    /// The string as a Swift string literal body (backslashes and quotes escaped).
    var swiftLiteralEscaped: String {
        var result = ""
        for character in self {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }
}
