/// A normalised, plausibly valid email address.
///
/// Normalisation: surrounding whitespace is trimmed and the whole address is lowercased, the local part included
/// (user.proto: "trimmed and lowercased … addresses differing only in case are the same account"). RFC 5321 lets a
/// server treat local parts case-sensitively, but practically none does, and two accounts differing only in case
/// would invite mistakes and impersonation.
///
/// Validation rejects the obviously invalid, not everything RFC 5322 forbids: at most 254 characters; exactly one `@`;
/// a local part of 1...64 characters without spaces, controls, quotes or `()<>[]:;,\`, and without a leading,
/// trailing or doubled dot; a domain of at least two dot-separated labels of 1...63 letters, digits or hyphens (not at
/// a label's ends; non-ASCII letters allowed for internationalised names), whose last label is not all digits.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The normalised address, e.g. `ada@example.org`.
    public let normalized: String
    /// The part before the `@`.
    public var localPart: Substring { normalized[..<atIndex] }
    /// The part after the `@`.
    public var domain: Substring { normalized[normalized.index(after: atIndex)...] }
    private let atIndex: String.Index

    /// The longest accepted address (RFC 5321's path limit less the angle brackets).
    public static let maximumLength = 254

    /// Normalises and validates `text`; throws `invalidEmail` with a message saying what is wrong.
    public init(_ text: String) throws(AuthError) {
        var trimmed = Substring(text)
        while trimmed.first?.isWhitespace == true { trimmed.removeFirst() }
        while trimmed.last?.isWhitespace == true { trimmed.removeLast() }
        let normalized = trimmed.lowercased()
        func invalid(_ reason: String) -> AuthError {
            AuthError(code: .invalidEmail, message: "the email address \(reason)")
        }
        guard !normalized.isEmpty else { throw invalid("is empty") }
        guard normalized.count <= Self.maximumLength else { throw invalid("is longer than \(Self.maximumLength) characters") }
        let parts = normalized.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw invalid("must contain exactly one '@'") }
        try Self.checkLocalPart(parts[0], invalid)
        try Self.checkDomain(parts[1], invalid)
        self.normalized = normalized
        atIndex = normalized.firstIndex(of: "@")!
    }

    /// The normalised address.
    public var description: String { normalized }

    private static func checkLocalPart(_ local: Substring, _ invalid: (String) -> AuthError) throws(AuthError) {
        guard (1...64).contains(local.count) else { throw invalid("needs 1 to 64 characters before the '@'") }
        let forbidden: Set<Character> = ["\"", "(", ")", "<", ">", "[", "]", ":", ";", ",", "\\"]
        guard local.allSatisfy({ !$0.isWhitespace && !forbidden.contains($0) && !$0.unicodeScalars.contains { $0.properties.generalCategory == .control } }) else {
            throw invalid("has spaces, control characters or one of \"()<>[]:;,\\ before the '@'")
        }
        guard !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else {
            throw invalid("has a dot at the start or end of, or two dots in a row in, the part before the '@'")
        }
    }

    private static func checkDomain(_ domain: Substring, _ invalid: (String) -> AuthError) throws(AuthError) {
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { throw invalid("needs a domain with a dot, like example.org") }
        for label in labels {
            guard (1...63).contains(label.count), label.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }),
                !label.hasPrefix("-"), !label.hasSuffix("-")
            else { throw invalid("has an invalid domain") }
        }
        guard !labels.last!.allSatisfy(\.isNumber) else { throw invalid("has an invalid domain") }
    }
}
