/// A `google.api.http` path template, read for the OpenAPI document.
///
/// The grammar (google/api/http.proto):
///
///     Template = "/" Segments [ Verb ] ;
///     Segments = Segment { "/" Segment } ;
///     Segment  = "*" | "**" | LITERAL | Variable ;
///     Variable = "{" FieldPath [ "=" Segments ] "}" ;
///     FieldPath = IDENT { "." IDENT } ;
///     Verb     = ":" LITERAL ;
///
/// Every variable becomes an OpenAPI path parameter named by its field path (`{a.b}`); a variable
/// with segments (`{name=shelves/*/books/**}`) becomes `{name}`, its value then containing slashes.
public struct PathTemplate: Hashable, Sendable {
    /// One `{field}` or `{field=segments}` of the template.
    public struct Variable: Hashable, Sendable {
        /// The request field path, for example `["track_id"]` or `["book", "name"]`.
        public var fieldPath: [String]
        /// The segments after `=`, or empty for a single segment (`*`).
        public var segments: String

        /// The OpenAPI parameter name: the field path joined with dots.
        public var name: String { fieldPath.joined(separator: ".") }
        /// Whether the value may span several path segments (and so contain `/`).
        public var isMultiSegment: Bool { !segments.isEmpty && segments != "*" }
    }

    /// The OpenAPI path, for example `/v1/tracks/{track_id}`.
    public var openAPIPath: String
    /// The variables in order.
    public var variables: [Variable]

    /// Parses a template; anonymous wildcards outside variables are refused (OpenAPI cannot name them).
    public init(_ template: String) throws(CodeGenError) {
        guard template.hasPrefix("/") else { throw CodeGenError("path template '\(template)' does not start with '/'") }
        var path = ""
        var variables: [Variable] = []
        var rest = Substring(template)
        while let character = rest.first {
            if character == "{" {
                guard let close = rest.firstIndex(of: "}") else { throw CodeGenError("path template '\(template)': unclosed '{'") }
                let body = rest[rest.index(after: rest.startIndex)..<close]
                let parts = body.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let fieldPath = parts[0].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                guard !fieldPath.isEmpty, fieldPath.allSatisfy(Self.isIdentifier) else {
                    throw CodeGenError("path template '\(template)': bad field path '\(parts[0])'")
                }
                let variable = Variable(fieldPath: fieldPath, segments: parts.count > 1 ? String(parts[1]) : "")
                guard !variables.contains(where: { $0.name == variable.name }) else {
                    throw CodeGenError("path template '\(template)': '\(variable.name)' is bound twice")
                }
                variables.append(variable)
                path += "{\(variable.name)}"
                rest = rest[rest.index(after: close)...]
            } else {
                if character == "*" { throw CodeGenError("path template '\(template)': a wildcard outside a variable has no name") }
                if character == "}" { throw CodeGenError("path template '\(template)': unmatched '}'") }
                path.append(character)
                rest = rest.dropFirst()
            }
        }
        openAPIPath = path
        self.variables = variables
    }

    private static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return text.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
