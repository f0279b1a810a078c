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

    /// Everything parsed, in one object: routing copies templates, and a copy is then one reference.
    private let storage: Storage

    var segments: [Segment] { storage.segments }
    var variables: [Variable] { storage.variables }
    /// The custom verb after the last `:`, if any.
    var verb: String? { storage.verb }
    /// The template as written.
    public var description: String { storage.description }
    /// The number of literal segments, used to prefer the more specific of two matching templates.
    var literalCount: Int { storage.literalCount }

    private final class Storage: Sendable {
        let segments: [Segment]
        let variables: [Variable]
        let verb: String?
        let description: String
        let literalCount: Int
        /// Whether the last segment is `**`.
        let endsWithRest: Bool
        /// The segments as the matcher compares them: literals as bytes, made once.
        let compiled: [CompiledSegment]
        let verbBytes: [UInt8]?

        init(_ template: String) throws(GatewayConfigurationError) {
            var parser = PathTemplateParser(template)
            (segments, variables, verb) = try parser.parse()
            description = template
            literalCount = segments.reduce(0) { count, segment in if case .literal = segment { count + 1 } else { count } }
            endsWithRest = segments.last == .rest
            compiled = segments.map { segment in
                switch segment {
                case .literal(let text): .literal(Array(text.utf8), text)
                case .single: .single
                case .rest: .rest
                }
            }
            verbBytes = verb.map { Array($0.utf8) }
        }
    }

    /// A segment ready for matching: no `String` comparison (which would go through Unicode) on the hot path.
    private enum CompiledSegment: Sendable {
        case literal([UInt8], String)
        case single
        case rest
    }

    /// Parses `template`; throws `GatewayConfigurationError` naming the problem.
    public init(_ template: String) throws(GatewayConfigurationError) {
        storage = try Storage(template)
    }

    public static func == (left: PathTemplate, right: PathTemplate) -> Bool {
        left.description == right.description
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(description)
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
    static func rawSegments(of path: some StringProtocol) -> [Substring]? {
        let path = Substring(path)
        guard path.utf8.first == UInt8(ascii: "/") else { return nil }
        var segments: [Substring] = []
        segments.reserveCapacity(8)
        var start = path.utf8.index(after: path.utf8.startIndex)
        var index = start
        while index < path.utf8.endIndex {
            if path.utf8[index] == UInt8(ascii: "/") {
                segments.append(path[start..<index])
                start = path.utf8.index(after: index)
            }
            index = path.utf8.index(after: index)
        }
        segments.append(path[start..<path.utf8.endIndex])
        return segments
    }

    /// Matches a path already split by `rawSegments(of:)`.
    func matchResult(rawSegments: [Substring]) -> MatchResult? {
        guard let last = fit(rawSegments: rawSegments) else { return nil }
        return values(rawSegments: rawSegments, last: last)
    }

    /// Whether a path already split by `rawSegments(of:)` has the template's shape, without decoding anything:
    /// its last segment as matched (without the verb), nil when it does not fit.
    func fit(rawSegments: [Substring]) -> Substring? {
        let storage = self.storage
        let compiled = storage.compiled
        let endsWithRest = storage.endsWithRest
        // Cheap refusals first: the number of segments, unless `**` takes the rest.
        if !endsWithRest, rawSegments.count != compiled.count { return nil }
        // With a verb, the last segment is matched without its `:verb`.
        var last = rawSegments.last
        if let verbBytes = storage.verbBytes {
            guard let segment = last, let colon = segment.utf8.lastIndex(of: UInt8(ascii: ":")),
                segment.utf8[segment.utf8.index(after: colon)...].elementsEqual(verbBytes)
            else { return nil }
            last = segment[..<colon]
        }
        let lastIndex = rawSegments.count - 1
        func segment(_ index: Int) -> Substring { index == lastIndex ? last! : rawSegments[index] }
        // Matching, with `**` only ever last.
        var index = 0
        for part in compiled {
            switch part {
            case .rest:
                index = rawSegments.count
            case .single:
                guard index < rawSegments.count, !segment(index).isEmpty else { return nil }
                index += 1
            case .literal(let bytes, let text):
                guard index < rawSegments.count else { return nil }
                let raw = segment(index)
                if raw.utf8.contains(UInt8(ascii: "%")) {
                    guard PercentDecoding.decode(raw, keepingSlashes: false) == text else { return nil }
                } else {
                    guard raw.utf8.elementsEqual(bytes) else { return nil }
                }
                index += 1
            }
        }
        guard index == rawSegments.count else { return nil }
        return last
    }

    /// The variables' values of a path that fits (`last` is what `fit` returned).
    func values(rawSegments: [Substring], last: Substring) -> MatchResult {
        let storage = self.storage
        let compiled = storage.compiled
        let endsWithRest = storage.endsWithRest
        let lastIndex = rawSegments.count - 1
        func segment(_ index: Int) -> Substring { index == lastIndex ? last : rawSegments[index] }
        var values: [(fieldPath: [String], value: String)] = []
        values.reserveCapacity(storage.variables.count)
        for variable in storage.variables {
            let upper = variable.segments.upperBound == compiled.count && endsWithRest ? rawSegments.count : variable.segments.upperBound
            let raw: Substring
            if upper - variable.segments.lowerBound == 1 {
                raw = segment(variable.segments.lowerBound)
            } else {
                raw = Substring((variable.segments.lowerBound..<upper).map { segment($0) }.joined(separator: "/"))
            }
            guard let value = PercentDecoding.decode(raw, keepingSlashes: variable.isMultiSegment) else {
                return .undecodable(fieldPath: variable.fieldPath)
            }
            values.append((variable.fieldPath, value))
        }
        return .matched(values)
    }
}
