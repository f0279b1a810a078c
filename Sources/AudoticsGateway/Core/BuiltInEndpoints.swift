/// The gateway's own endpoints: `/healthz` (alive), `/readyz` (every backend serving), `/openapi.json`, and
/// optionally `/metrics`.
public struct BuiltInEndpoints: Sendable {
    /// Reports each backend service's health (name → serving); nil: `/readyz` answers like `/healthz`.
    public var readiness: (@Sendable () async -> [String: Bool])?
    /// The OpenAPI document served at `/openapi.json`; empty: not served.
    public var openAPIDocument: [UInt8]
    /// Prometheus text for `/metrics`; nil: not served.
    public var metrics: (@Sendable () async -> String)?

    /// Creates the endpoints.
    public init(
        readiness: (@Sendable () async -> [String: Bool])? = nil, openAPIDocument: [UInt8] = [],
        metrics: (@Sendable () async -> String)? = nil
    ) {
        self.readiness = readiness
        self.openAPIDocument = openAPIDocument
        self.metrics = metrics
    }

    /// The response for a built-in path, or nil when `path` is not one.
    func response(method: String, path: Substring) async throws(GatewayError) -> GatewayResponse? {
        let isBuiltIn: Bool
        switch path {
        case "/healthz", "/readyz": isBuiltIn = true
        case "/openapi.json": isBuiltIn = !openAPIDocument.isEmpty
        case "/metrics": isBuiltIn = metrics != nil
        default: isBuiltIn = false
        }
        guard isBuiltIn else { return nil }
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
