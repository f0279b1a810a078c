public import AudoticsHTTPServer

/// The gateway behind `AudoticsHTTPServer`'s HTTP/1.1 and HTTP/2 front ends.
extension Gateway: HTTPServerHandler {
    public func handle(_ request: HTTPServerRequest) async -> HTTPServerResponse {
        let response = await handle(GatewayRequest(
            method: request.method, target: request.target, headers: request.headers, body: request.body,
            remoteAddress: request.remoteAddress, isSecure: request.isSecure))
        return HTTPServerResponse(status: response.status, headers: response.headers, body: response.body)
    }
}

extension Gateway {
    /// The server's own error responses (400, 408, 413, 417, 431) get what every gateway response carries —
    /// the request ID, security and CORS headers — and are logged and counted like the others.
    public func serverResponse(_ response: HTTPServerResponse, for request: HTTPServerRequest?) -> HTTPServerResponse {
        let gatewayRequest = GatewayRequest(
            method: request?.method ?? "-", target: request?.target ?? "-", headers: request?.headers ?? [], body: [],
            remoteAddress: request?.remoteAddress ?? "unknown", isSecure: request?.isSecure ?? false)
        let requestID = RequestID.make(from: gatewayRequest.header("x-request-id"))
        var decorated = GatewayResponse(status: response.status, headers: response.headers, body: response.body)
        finish(&decorated, for: gatewayRequest, requestID: requestID)
        metrics.record(method: gatewayRequest.method, route: "server", status: decorated.status, elapsed: nil)
        logger.info("\(gatewayRequest.method) \(Self.pathForLog(gatewayRequest.target)) \(decorated.status)", metadata: [
            "request_id": "\(requestID)", "peer": "\(gatewayRequest.remoteAddress)", "refused_by": "server",
        ])
        return HTTPServerResponse(status: decorated.status, headers: decorated.headers, body: decorated.body)
    }
}
