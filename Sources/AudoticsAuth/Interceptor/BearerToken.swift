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
        // Byte-level work: this runs on every authenticated call, and tokens are a few hundred bytes long.
        let bytes = value.utf8.trimmingASCIISpaces()
        let scheme = "bearer ".utf8
        guard bytes.count > scheme.count,
            zip(bytes.prefix(scheme.count), scheme).allSatisfy({ $0 | 0x20 == $1 || ($0 == $1) })
        else {
            throw AuthError(
                code: .malformedToken, message: "the authorization value must be 'Bearer <token>' with a non-empty token")
        }
        let token = bytes.dropFirst(scheme.count).trimmingASCIISpaces()
        guard !token.isEmpty else {
            throw AuthError(code: .malformedToken, message: "the authorization value must be 'Bearer <token>' with a non-empty token")
        }
        return String(Substring(token))
    }
}

extension Substring.UTF8View {
    /// The bytes without leading and trailing spaces and tabs.
    fileprivate func trimmingASCIISpaces() -> Substring.UTF8View {
        var view = self
        while let first = view.first, first == 0x20 || first == 0x09 { view = view.dropFirst() }
        while let last = view.last, last == 0x20 || last == 0x09 { view = view.dropLast() }
        return view
    }
}

extension String.UTF8View {
    /// The bytes without leading and trailing spaces and tabs.
    fileprivate func trimmingASCIISpaces() -> Substring.UTF8View {
        self[...].trimmingASCIISpaces()
    }
}
