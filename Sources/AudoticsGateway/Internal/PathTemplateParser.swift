/// Parses HttpRule path templates for `PathTemplate`.
struct PathTemplateParser {
    private let text: String
    private let bytes: [UInt8]
    private var position = 0
    private var segments: [PathTemplate.Segment] = []
    private var variables: [PathTemplate.Variable] = []

    init(_ text: String) {
        self.text = text
        bytes = Array(text.utf8)
    }

    mutating func parse() throws(GatewayConfigurationError) -> ([PathTemplate.Segment], [PathTemplate.Variable], String?) {
        guard bytes.first == UInt8(ascii: "/") else { throw error("a template starts with /") }
        position = 1
        try parseSegments(inVariable: false)
        var verb: String?
        if position < bytes.count, bytes[position] == UInt8(ascii: ":") {
            position += 1
            let literal = literalText()
            guard !literal.isEmpty else { throw error("an empty verb after ':'") }
            verb = literal
        }
        guard position == bytes.count else { throw error("unexpected '\(Character(UnicodeScalar(bytes[position])))' at \(position)") }
        if let rest = segments.firstIndex(of: .rest), rest != segments.count - 1 {
            throw error("'**' may only be the last segment")
        }
        var seen = Set<[String]>()
        for variable in variables where !seen.insert(variable.fieldPath).inserted {
            throw error("the field \(variable.fieldPath.joined(separator: ".")) is bound twice")
        }
        return (segments, variables, verb)
    }

    private mutating func parseSegments(inVariable: Bool) throws(GatewayConfigurationError) {
        while true {
            try parseSegment(inVariable: inVariable)
            guard position < bytes.count, bytes[position] == UInt8(ascii: "/") else { return }
            position += 1
        }
    }

    private mutating func parseSegment(inVariable: Bool) throws(GatewayConfigurationError) {
        guard position < bytes.count else { throw error("a segment is missing at the end") }
        switch bytes[position] {
        case UInt8(ascii: "*"):
            if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "*") {
                position += 2
                segments.append(.rest)
            } else {
                position += 1
                segments.append(.single)
            }
        case UInt8(ascii: "{"):
            guard !inVariable else { throw error("variables cannot nest") }
            position += 1
            let fieldPath = try parseFieldPath()
            let first = segments.count
            if position < bytes.count, bytes[position] == UInt8(ascii: "=") {
                position += 1
                try parseSegments(inVariable: true)
            } else {
                segments.append(.single)
            }
            guard position < bytes.count, bytes[position] == UInt8(ascii: "}") else { throw error("a variable is not closed with }") }
            position += 1
            let covered = first..<segments.count
            let multi = covered.count > 1 || segments[covered].contains(.rest)
            variables.append(PathTemplate.Variable(fieldPath: fieldPath, segments: covered, isMultiSegment: multi))
        default:
            let literal = literalText()
            guard !literal.isEmpty else { throw error("an empty segment at \(position)") }
            segments.append(.literal(literal))
        }
    }

    private mutating func parseFieldPath() throws(GatewayConfigurationError) -> [String] {
        var path: [String] = []
        while true {
            let start = position
            while position < bytes.count, Self.isIdentifier(bytes[position]) { position += 1 }
            guard position > start else { throw error("a variable needs a field name") }
            path.append(String(decoding: bytes[start..<position], as: UTF8.self))
            guard position < bytes.count, bytes[position] == UInt8(ascii: ".") else { return path }
            position += 1
        }
    }

    /// A literal runs until `/`, `:`, `{`, `}`, `=` or the end.
    private mutating func literalText() -> String {
        let start = position
        while position < bytes.count, !"/:{}=".utf8.contains(bytes[position]) { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private static func isIdentifier(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
    }

    private func error(_ problem: String) -> GatewayConfigurationError {
        GatewayConfigurationError(message: "path template \"\(text)\": \(problem)")
    }
}
