public import AudoticsRPC

/// The authenticated caller of the RPC being served, set by `AuthenticationInterceptor`.
///
/// Propagation: a task-local. The interceptor runs the rest of the chain and the handler inside
/// `Principal.$current.withValue(…)`, so `Principal.current` is visible in the handler and in every child task it
/// starts (task-locals are inherited by `async let`, task groups and `Task {}`; not by `Task.detached`). It is `nil`
/// in methods on the public allowlist and outside RPC handling.
public struct Principal: Sendable, Hashable, CustomStringConvertible {
    /// The user ID (the token's `sub`).
    public var userID: String
    /// The access token's ID (`jti`), for audit logs and revocation lists.
    public var tokenID: String
    /// The token's scopes (`scope`), empty when it has none.
    public var scopes: [String]
    /// When the access token expires (seconds since 1970).
    public var expiresAt: Int64
    /// The user's display name when the token was issued (`name`), empty when the token has none.
    public var displayName: String

    /// Creates a principal.
    public init(userID: String, tokenID: String, scopes: [String] = [], expiresAt: Int64, displayName: String = "") {
        self.userID = userID
        self.tokenID = tokenID
        self.scopes = scopes
        self.expiresAt = expiresAt
        self.displayName = displayName
    }

    /// The principal a verified token stands for.
    public init(claims: AccessTokenClaims) {
        self.init(
            userID: claims.subject, tokenID: claims.tokenID, scopes: claims.scopes, expiresAt: claims.expiresAt,
            displayName: claims.name ?? "")
    }

    /// The caller of the RPC the current task serves, if it presented a valid access token.
    @TaskLocal public static var current: Principal?

    /// The current principal, or UNAUTHENTICATED when there is none (e.g. a handler reached without the interceptor).
    public static func required() throws(RPCError) -> Principal {
        guard let current else { throw RPCError(code: .unauthenticated, message: "this method needs an access token") }
        return current
    }

    /// Whether the principal has `scope`.
    public func hasScope(_ scope: String) -> Bool { scopes.contains(scope) }

    /// `Principal(user: …, jti: …)`.
    public var description: String { "Principal(user: \(userID), jti: \(tokenID), scopes: \(scopes))" }
}
