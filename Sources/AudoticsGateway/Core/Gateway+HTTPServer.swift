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
