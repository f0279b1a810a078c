/// The gateway's limits and policies. Every limit is explicit here and documented in `docs/gateway.md`.
public struct GatewayConfiguration: Sendable {
    /// The largest request body accepted (413 above it). Default 1 MiB.
    public var maxBodyBytes = 1024 * 1024
    /// The deadline of a call whose request names none. Default 15 s.
    public var defaultTimeout: Duration = .seconds(15)
    /// The longest deadline a request may ask for (`Grpc-Timeout`, `X-Request-Timeout`); longer ones are cut to
    /// it. Default 60 s.
    public var maxTimeout: Duration = .seconds(60)
    /// The largest response message accepted from a service. Default 4 MiB.
    public var maxResponseBytes = 4 * 1024 * 1024
    /// Origins allowed by CORS (`*` for any); empty: no CORS headers.
    public var corsAllowedOrigins: [String] = []
    /// How long browsers may cache a CORS preflight answer.
    public var corsMaxAge: Duration = .seconds(600)

    /// The defaults.
    public init() {}
}
