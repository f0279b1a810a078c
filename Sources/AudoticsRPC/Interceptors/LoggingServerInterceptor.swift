public import Logging

/// Logs one line per call when it ends: method, peer, status and duration (never payloads or metadata values).
public struct LoggingServerInterceptor: ServerInterceptor {
    /// Where the lines go.
    public let logger: Logger

    /// Creates the interceptor.
    public init(logger: Logger) {
        self.logger = logger
    }

    public func intercept(
        requests: RPCAsyncSequence<[UInt8]>, responses: RPCWriter<[UInt8]>, context: ServerContext, next: RPCRouter.Handler
    ) async throws {
        let started = ContinuousClock.now
        do {
            try await next(requests, responses, context)
            log(context, code: .ok, started: started, message: nil)
        } catch {
            let rpcError = RPCError(statusOf: error)
            log(context, code: rpcError.code, started: started, message: rpcError.message)
            throw error
        }
    }

    public func interceptUnary(request: [UInt8], context: ServerContext, next: RPCRouter.UnaryHandler) async throws -> [UInt8] {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(context, code: .ok, started: started, message: nil)
            return response
        } catch {
            let rpcError = RPCError(statusOf: error)
            log(context, code: rpcError.code, started: started, message: rpcError.message)
            throw error
        }
    }

    private func log(_ context: ServerContext, code: StatusCode, started: ContinuousClock.Instant, message: String?) {
        let level: Logger.Level = code == .ok ? .info : (code == .internal || code == .unknown ? .error : .notice)
        // Nothing is formatted for a line the logger would drop.
        guard logger.logLevel <= level else { return }
        let elapsed = ContinuousClock.now - started
        var metadata: Logger.Metadata = [
            "rpc.method": "\(context.method)", "rpc.peer": "\(context.peer)", "rpc.status": "\(code)",
            "rpc.duration_us": "\(elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000)",
        ]
        if let message { metadata["rpc.message"] = "\(message)" }
        logger.log(level: level, "rpc finished", metadata: metadata)
    }
}
