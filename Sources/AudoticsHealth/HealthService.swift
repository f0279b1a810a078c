public import AudoticsHealthAPI
public import AudoticsRPC
import Synchronization

/// The standard gRPC health service (`grpc.health.v1.Health`, grpc/grpc `doc/health-checking.md`).
///
/// Keeps a registry of service name → serving status; the empty name stands for the whole server.
/// `Check` answers NOT_FOUND for names it does not know; `Watch` sends the current status at once
/// (SERVICE_UNKNOWN for an unknown name, which is not an error) and then every change, until the
/// caller cancels. Status changes never wait for watchers: each watcher holds only the latest
/// status it has not sent yet, so a slow watcher skips intermediate states instead of blocking.
public final class HealthService: HealthProtocol, Sendable {
    /// A serving state: `.serving`, `.notServing`, `.unknown` (or `.serviceUnknown` from `Watch`).
    public typealias ServingStatus = HealthCheckResponse.ServingStatus

    private let state: Mutex<HealthRegistry>

    /// Creates the service; by default the server as a whole (`""`) is SERVING.
    public init(statuses: [String: ServingStatus] = ["": .serving]) {
        state = Mutex(HealthRegistry(statuses: statuses))
    }

    /// Sets the status of a service (`""` for the server) and tells its watchers.
    ///
    /// Ignored after `shutdown()`: a server going away must not report itself healthy again.
    public func setStatus(_ status: ServingStatus, for service: String = "") {
        state.withLock { $0.set(status, for: service) }
    }

    /// Forgets a service: `Check` answers NOT_FOUND again and watchers see SERVICE_UNKNOWN.
    public func clearStatus(for service: String) {
        state.withLock { $0.clear(service) }
    }

    /// The registered status of a service, or `nil` when the service is unknown.
    public func status(for service: String = "") -> ServingStatus? {
        state.withLock { $0.statuses[service] }
    }

    /// Marks every registered service NOT_SERVING and ignores later changes; call when the
    /// server starts shutting down, so that load balancers stop sending calls first.
    public func shutdown() {
        state.withLock { $0.shutDown() }
    }

    /// The number of open `Watch` calls (for tests and metrics).
    public var watcherCount: Int {
        state.withLock { $0.watcherCount }
    }

    public func check(request: HealthCheckRequest, context: ServerContext) async throws -> HealthCheckResponse {
        guard let status = status(for: request.service) else {
            throw RPCError(code: .notFound, message: "unknown service '\(request.service)'")
        }
        return .with { $0.status = status }
    }

    public func watch(
        request: HealthCheckRequest, responses: RPCWriter<HealthCheckResponse>, context: ServerContext
    ) async throws {
        let (updates, continuation) = AsyncStream.makeStream(of: ServingStatus.self, bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { $0.addWatcher(continuation, for: request.service) }
        defer {
            state.withLock { $0.removeWatcher(id, for: request.service) }
            continuation.finish()
        }
        var last: ServingStatus?
        // The stream ends (next() returns nil) when the handler's task is cancelled.
        for await status in updates where status != last {
            try await responses.write(.with { $0.status = status })
            last = status
        }
        throw RPCError(code: .cancelled, message: "the watch was cancelled")
    }
}
