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
        if publicMethods.contains(context.method) {
            try await Principal.$current.withValue(nil) { try await next(requests, responses, context) }
            return
        }
        let principal: Principal
        do {
            let token = try BearerToken.extract(from: context.metadata)
            principal = Principal(claims: try verifier.verify(token))
        } catch {
            throw error.rpcError
        }
        try await Principal.$current.withValue(principal) { try await next(requests, responses, context) }
    }
}
