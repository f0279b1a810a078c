public import AudoticsRPC

/// Reads the bearer token of a call (RFC 6750 §2.1): exactly one `authorization` value, `Bearer <token>`, the scheme
/// in any case.
public enum BearerToken {
    /// The token from `metadata`; `missingToken` when there is no `authorization` value, `malformedToken` for several
    /// values, another scheme, or an empty token.
    public static func extract(from metadata: Metadata) throws(AuthError) -> String {
        let values = metadata[stringValues: "authorization"]
        guard let value = values.first else {
            throw AuthError(
                code: .missingToken, message: "this method needs an access token: send 'authorization: Bearer <token>'")
        }
        guard values.count == 1 else {
            throw AuthError(code: .malformedToken, message: "the call has more than one authorization value")
        }
        let trimmed = value.trimmingASCIISpaces()
        let prefix = "bearer "
        guard trimmed.utf8.count > prefix.utf8.count, trimmed.lowercased().hasPrefix(prefix) else {
            throw AuthError(
                code: .malformedToken, message: "the authorization value must be 'Bearer <token>' with a non-empty token")
        }
        let token = String(trimmed.dropFirst(prefix.count)).trimmingASCIISpaces()
        guard !token.isEmpty else {
            throw AuthError(code: .malformedToken, message: "the authorization value must be 'Bearer <token>' with a non-empty token")
        }
        return token
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    fileprivate func trimmingASCIISpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
