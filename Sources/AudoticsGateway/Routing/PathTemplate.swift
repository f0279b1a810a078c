/// A `google.api.http` path template, parsed: `/v1/{name=playlists/*}/tracks:reorder`.
///
/// The grammar is HttpRule's:
/// ```
/// Template = "/" Segments [ Verb ] ;
/// Segments = Segment { "/" Segment } ;
/// Segment  = "*" | "**" | LITERAL | Variable ;
/// Variable = "{" FieldPath [ "=" Segments ] "}" ;
/// FieldPath = IDENT { "." IDENT } ;
/// Verb     = ":" LITERAL ;
/// ```
/// A variable without `=` matches one segment (`{id}` is `{id=*}`); `**` matches the rest of the path (zero or
/// more segments) and may only come last.
public struct PathTemplate: Sendable, Hashable, CustomStringConvertible {
    /// One segment of the template.
    enum Segment: Sendable, Hashable {
        case literal(String)
        /// `*`: any one segment.
        case single
        /// `**`: the rest of the path.
        case rest
    }

    /// A variable: the field it fills and the range of `segments` it covers.
    struct Variable: Sendable, Hashable {
        var fieldPath: [String]
        var segments: Range<Int>
        /// Whether it covers more than one segment (or `**`), which changes how its value is decoded.
        var isMultiSegment: Bool
    }

    let segments: [Segment]
    let variables: [Variable]
    /// The custom verb after the last `:`, if any.
    let verb: String?
    /// The template as written.
    public let description: String

    /// Parses `template`; throws `GatewayConfigurationError` naming the problem.
    public init(_ template: String) throws(GatewayConfigurationError) {
        var parser = PathTemplateParser(template)
        (segments, variables, verb) = try parser.parse()
        description = template
    }

    /// The number of literal segments, used to prefer the more specific of two matching templates.
    var literalCount: Int {
        segments.reduce(0) { count, segment in if case .literal = segment { count + 1 } else { count } }
    }

    /// Matches a request path (the part before `?`, still percent-encoded). Returns the variables' values,
    /// decoded as HttpRule says: a one-segment variable fully, a multi-segment one except `%2F` (which stays
    /// encoded, so that the segments it covers remain recognisable). Nil when the path does not match.
    public func match(path: String) -> [(fieldPath: [String], value: String)]? {
        if case .matched(let values)? = matchResult(path: path) { return values }
        return nil
    }

    /// How a path fits the template.
    public enum MatchResult: Sendable {
        /// The path fits: the variables, decoded, with the fields they fill.
        case matched([(fieldPath: [String], value: String)])
        /// The path fits the template's shape, but a variable's segment is not valid percent-encoded UTF-8.
        case undecodable(fieldPath: [String])
    }

    /// Matches `path` (still percent-encoded); nil when it does not fit the template's shape.
    public func matchResult(path: String) -> MatchResult? {
        guard let rawSegments = Self.rawSegments(of: path) else { return nil }
        return matchResult(rawSegments: rawSegments)
    }

    /// A path's segments, still percent-encoded (split once, then matched against every template).
    static func rawSegments(of path: String) -> [Substring]? {
        guard path.utf8.first == UInt8(ascii: "/") else { return nil }
        return path.utf8.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { Substring($0) }
    }

    /// Matches a path already split by `rawSegments(of:)`.
    func matchResult(rawSegments pathSegments: [Substring]) -> MatchResult? {
        // Cheap refusals first: the number of segments, unless `**` takes the rest.
        if segments.last != .rest, pathSegments.count != segments.count { return nil }
        var rawSegments = pathSegments
        if let verb {
            guard let last = rawSegments.last, let colon = last.lastIndex(of: ":"), last[last.index(after: colon)...] == verb
            else { return nil }
            rawSegments[rawSegments.count - 1] = last[..<colon]
        }
        // Matching, with `**` only ever last.
        var index = 0
        for segment in segments {
            switch segment {
            case .rest:
                index = rawSegments.count
            case .single:
                guard index < rawSegments.count, !rawSegments[index].isEmpty else { return nil }
                index += 1
            case .literal(let literal):
                guard index < rawSegments.count else { return nil }
                let raw = rawSegments[index]
                if raw.utf8.contains(UInt8(ascii: "%")) {
                    guard PercentDecoding.decode(raw, keepingSlashes: false) == literal else { return nil }
                } else {
                    guard raw == literal else { return nil }
                }
                index += 1
            }
        }
        guard index == rawSegments.count else { return nil }
        var values: [(fieldPath: [String], value: String)] = []
        for variable in variables {
            let upper = variable.segments.upperBound == segments.count && segments.last == .rest
                ? rawSegments.count : variable.segments.upperBound
            let raw = rawSegments[variable.segments.lowerBound..<upper].joined(separator: "/")
            guard let value = PercentDecoding.decode(Substring(raw), keepingSlashes: variable.isMultiSegment) else {
                return .undecodable(fieldPath: variable.fieldPath)
            }
            values.append((variable.fieldPath, value))
        }
        return .matched(values)
    }
}
