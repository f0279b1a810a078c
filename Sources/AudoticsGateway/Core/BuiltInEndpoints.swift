import Synchronization

/// The gateway's own endpoints: `/healthz` (alive), `/readyz` (every backend serving), `/openapi.json`, and
/// optionally `/metrics`.
public struct BuiltInEndpoints: Sendable {
    /// Reports each backend service's health (name → serving); nil: `/readyz` answers like `/healthz`.
    public var readiness: (@Sendable () async -> [String: Bool])?
    /// The OpenAPI document served at `/openapi.json`; empty: not served.
    public var openAPIDocument: [UInt8]
    /// Prometheus text for `/metrics`; nil: not served.
    public var metrics: (@Sendable () async -> String)?

    /// Creates the endpoints. `/readyz` is answered without authentication or rate limits, so the backends
    /// are asked at most once per `readinessMaxAge`; concurrent probes share one check.
    public init(
        readiness: (@Sendable () async -> [String: Bool])? = nil, openAPIDocument: [UInt8] = [],
        metrics: (@Sendable () async -> String)? = nil, readinessMaxAge: Duration = .seconds(1)
    ) {
        self.readiness = readiness.map { check in
            let cache = ReadinessCache(check: check, maxAge: readinessMaxAge)
            return { await cache.report() }
        }
        self.openAPIDocument = openAPIDocument
        self.metrics = metrics
    }

    /// Whether `path` is one of the endpoints served.
    func serves(_ path: Substring) -> Bool {
        // By length first: every request asks, and a failing String comparison is slow.
        switch path.utf8.count {
        case 8, 7, 13: break
        default: return false
        }
        return switch path {
        case "/healthz", "/readyz": true
        case "/openapi.json": !openAPIDocument.isEmpty
        case "/metrics": metrics != nil
        default: false
        }
    }

    /// The response for a built-in path, or nil when `path` is not one.
    func response(method: String, path: Substring) async throws(GatewayError) -> GatewayResponse? {
        guard serves(path) else { return nil }
        guard method == "GET" || method == "HEAD" else {
            throw GatewayError(status: 405, code: .unimplemented, message: "\(method) is not allowed here; use GET, HEAD", headers: ["allow": "GET, HEAD"])
        }
        switch path {
        case "/healthz":
            return json(200, #"{"status":"ok"}"#)
        case "/readyz":
            guard let readiness else { return json(200, #"{"status":"ok","services":{}}"#) }
            let report = await readiness()
            let ready = report.values.allSatisfy { $0 }
            let services = report.keys.sorted().map { "\"\($0)\":\"\(report[$0]! ? "SERVING" : "NOT_SERVING")\"" }.joined(separator: ",")
            return json(ready ? 200 : 503, "{\"status\":\"\(ready ? "ok" : "unavailable")\",\"services\":{\(services)}}")
        case "/openapi.json":
            return GatewayResponse(status: 200, headers: [("content-type", "application/json"), ("cache-control", "public, max-age=300")], body: openAPIDocument)
        default:
            let text = await metrics?() ?? ""
            return GatewayResponse(status: 200, headers: [("content-type", "text/plain; version=0.0.4; charset=utf-8"), ("cache-control", "no-store")], body: Array(text.utf8))
        }
    }

    private func json(_ status: Int, _ text: String) -> GatewayResponse {
        GatewayResponse(status: status, headers: [("content-type", "application/json"), ("cache-control", "no-store")], body: Array(text.utf8))
    }
}

/// The last readiness report, reused while it is younger than `maxAge`; one check at a time.
actor ReadinessCache {
    let check: @Sendable () async -> [String: Bool]
    let maxAge: Duration
    private var last: (at: ContinuousClock.Instant, report: [String: Bool])?
    private var inFlight: Task<[String: Bool], Never>?

    init(check: @escaping @Sendable () async -> [String: Bool], maxAge: Duration) {
        self.check = check
        self.maxAge = maxAge
    }

    func report() async -> [String: Bool] {
        if let last, last.at.duration(to: .now) < maxAge { return last.report }
        if let inFlight { return await inFlight.value }
        let check = self.check
        let limit = maxAge * 5 + .seconds(2)
        // A check that does not answer in time counts as not ready, and never holds later probes (even one that
        // ignores cancellation: whichever of the check and the timer comes first answers).
        let task = Task { () -> [String: Bool] in
            await withCheckedContinuation { (continuation: CheckedContinuation<[String: Bool], Never>) in
                let once = Once()
                let checking = Task {
                    let report = await check()
                    if once.claim() { continuation.resume(returning: report) }
                }
                Task {
                    try? await Task.sleep(for: limit)
                    if once.claim() {
                        checking.cancel()
                        continuation.resume(returning: ["readiness check timed out": false])
                    }
                }
            }
        }
        inFlight = task
        let report = await task.value
        last = (.now, report)
        inFlight = nil
        return report
    }
}

/// True for the first caller only.
final class Once: Sendable {
    private let done = Mutex(false)

    func claim() -> Bool {
        done.withLock { done in
            defer { done = true }
            return !done
        }
    }
}
