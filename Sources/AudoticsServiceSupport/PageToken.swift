public import AudoticsRPC
import AudoticsTLS
import Foundation

/// Opaque page tokens: a small JSON cursor, base64url-encoded, bound to the query it pages through.
///
/// A token carries the position to continue from (an offset, or the sort key of the last row for keyset paging)
/// and a fingerprint of the request's other parameters; a token presented with different parameters, or one that
/// does not decode, is INVALID_ARGUMENT. Tokens are not secrets and not signed: every value in them is checked
/// like any other input (bounds, types), so a forged token can only ask for a page the caller could ask for anyway.
public struct PageToken<Cursor: Codable & Sendable>: Sendable {
    /// Where the next page starts.
    public var cursor: Cursor
    /// The fingerprint of the parameters the token belongs to.
    public var scope: String

    /// Creates a token for `cursor` within `scope` (the request's parameters other than paging, joined).
    public init(cursor: Cursor, scope: String) {
        self.cursor = cursor
        self.scope = Self.fingerprint(scope)
    }

    /// The token's text, for `next_page_token`.
    public var encoded: String {
        let payload = Payload(c: cursor, s: scope)
        guard let data = try? JSONEncoder().encode(payload) else { return "" }
        return Base64URL.encode(Array(data))
    }

    /// Decodes `text` for a request with parameters `scope`; `nil` for an empty token (the first page).
    /// Throws INVALID_ARGUMENT (via `FieldViolations`) for a token that is malformed or from another query.
    public static func decode(_ text: String, scope: String, field: String = "page_token") throws(RPCError) -> Cursor? {
        guard !text.isEmpty else { return nil }
        var violations = FieldViolations()
        guard text.utf8.count <= 1024, let bytes = Base64URL.decode(text),
            let payload = try? JSONDecoder().decode(Payload.self, from: Data(bytes))
        else {
            violations.add(field, .invalidFormat, "is not a page token from this API")
            throw violations.error
        }
        guard payload.s == fingerprint(scope) else {
            violations.add(field, .invalidValue, "belongs to a different query (keep the other parameters unchanged while paging)")
            throw violations.error
        }
        return payload.c
    }

    private struct Payload: Codable {
        var c: Cursor
        var s: String
    }

    private static func fingerprint(_ scope: String) -> String {
        Base64URL.encode(Array(((try? SHA256.hash(Array(scope.utf8))) ?? []).prefix(9)))
    }
}

