public import AudoticsRPC

/// Authenticates every call: reads `authorization: Bearer <token>`, verifies the token locally and runs the handler
/// with `Principal.current` set; calls to `publicMethods` pass without a token (and without a principal).
///
/// Rejections are UNAUTHENTICATED with a message saying what is wrong (missing, malformed, expired, wrong audience…)
/// but never the token, and a `www-authenticate: Bearer error="invalid_token"` trailer.
public struct AuthenticationInterceptor: ServerInterceptor {
    /// The verifier, shared with anything else that checks tokens.
    public let verifier: AccessTokenVerifier
    /// The methods that need no token.
    public let publicMethods: PublicMethods

    /// Creates the interceptor.
    public init(verifier: AccessTokenVerifier, publicMethods: PublicMethods = .standard) {
        self.verifier = verifier
        self.publicMethods = publicMethods
    }

    /// Passes public methods through; otherwise verifies the bearer token and runs `next` with `Principal.current` set.
    public func intercept(
        requests: RPCAsyncSequence<[UInt8]>, responses: RPCWriter<[UInt8]>, context: ServerContext, next: RPCRouter.Handler
    ) async throws {
        let principal = try authenticate(context)
        try await Principal.$current.withValue(principal) { try await next(requests, responses, context) }
    }

    /// The same for unary calls on the server's fast path.
    public func interceptUnary(request: [UInt8], context: ServerContext, next: RPCRouter.UnaryHandler) async throws -> [UInt8] {
        let principal = try authenticate(context)
        return try await Principal.$current.withValue(principal) { try await next(request, context) }
    }

    /// The caller, `nil` for a public method; throws UNAUTHENTICATED for a missing or bad token.
    private func authenticate(_ context: ServerContext) throws(RPCError) -> Principal? {
        if publicMethods.contains(context.method) { return nil }
        do {
            let token = try BearerToken.extract(from: context.metadata)
            return Principal(claims: try verifier.verify(token))
        } catch {
            throw error.rpcError
        }
    }
}
