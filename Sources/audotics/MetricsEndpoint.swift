import AudoticsHTTPServer
import Prometheus

/// `GET /metrics` in the Prometheus text format (0.0.4) from a registry, for `serve --metrics-port`: a plaintext
/// HTTP/1.1 (and h2c) listener of its own, apart from the gRPC port. Anything else is 404, other methods 405.
struct MetricsEndpoint: HTTPServerHandler {
    let registry = PrometheusCollectorRegistry()

    func handle(_ request: HTTPServerRequest) async -> HTTPServerResponse {
        let path = request.target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.target
        guard path == "/metrics" else {
            return HTTPServerResponse(
                status: 404, headers: [("content-type", "application/json")], body: Array(#"{"code":5,"message":"only /metrics is served here","details":[]}"#.utf8))
        }
        guard request.method == "GET" || request.method == "HEAD" else {
            return HTTPServerResponse(
                status: 405, headers: [("content-type", "application/json"), ("allow", "GET, HEAD")],
                body: Array(#"{"code":12,"message":"use GET","details":[]}"#.utf8))
        }
        var body: [UInt8] = []
        registry.emit(into: &body)
        return HTTPServerResponse(
            status: 200, headers: [("content-type", "text/plain; version=0.0.4; charset=utf-8"), ("cache-control", "no-store")],
            body: request.method == "HEAD" ? [] : body)
    }
}
