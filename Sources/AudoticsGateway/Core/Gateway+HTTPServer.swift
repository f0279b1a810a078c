public import AudoticsHTTPServer

/// The gateway behind `AudoticsHTTPServer`'s HTTP/1.1 and HTTP/2 front ends.
extension Gateway: HTTPServerHandler {
    public func handle(_ request: HTTPServerRequest) async -> HTTPServerResponse {
        let response = await handle(GatewayRequest(request))
        return HTTPServerResponse(status: response.status, headers: response.headers, body: response.body)
    }

    /// Answers a request on its connection's event loop without a task: routing and transcoding run in the
    /// server's turn and the RPC's response comes back as a callback on the same loop (the backends are
    /// event-loop affine). Requests that must wait for something else — the built-in endpoints (which ask the
    /// services' health) and rate limits (Redis) — and backends without task-free calls go to `handle`.
    /// Responses, headers, logs and metrics are the same either way.
    public func start(_ request: HTTPServerRequest, responder: HTTPServerResponder) -> HTTPServerStart {
        guard rateLimits.isEmpty else { return .declined }
        let (path, query) = Self.split(request.target)
        guard !builtIns.serves(path) else { return .declined }
        let started = ContinuousClock.now
        let gatewayRequest = GatewayRequest(request)
        let requestID = RequestID.make(from: gatewayRequest.header("x-request-id"))
        var label = "unmatched"
        var response: GatewayResponse
        do throws(GatewayError) {
            if request.method == "OPTIONS" {
                label = "OPTIONS"
                response = try preflight(gatewayRequest, path: path)
            } else {
                guard request.body.count <= configuration.maxBodyBytes else {
                    throw GatewayError(status: 413, code: .invalidArgument, message: "the body is larger than \(configuration.maxBodyBytes) bytes")
                }
                switch try route(gatewayRequest, path: path, label: &label) {
                case .answer(let answer):
                    response = answer
                case .call(let match):
                    guard let backend = loopBackends[match.method.descriptor.service] else { return .declined }
                    let message = try requestMessage(match, request: gatewayRequest, query: query)
                    let options = try callOptions(gatewayRequest, requestID: requestID)
                    let routeLabel = label
                    let call = backend.startUnary(
                        method: match.method.descriptor, options: options, request: message, on: responder.eventLoop
                    ) { outcome in
                        var response: GatewayResponse
                        switch outcome {
                        case .success(let bytes):
                            do throws(GatewayError) { response = try self.response(match, bytes) } catch { response = self.errorResponse(error) }
                        case .failure(let error):
                            response = self.errorResponse(error)
                        }
                        self.conclude(&response, for: gatewayRequest, requestID: requestID, started: started, label: routeLabel)
                        responder.respond(HTTPServerResponse(status: response.status, headers: response.headers, body: response.body))
                    }
                    return .started(onCancel: call.cancel)
                }
            }
        } catch {
            response = errorResponse(error)
        }
        conclude(&response, for: gatewayRequest, requestID: requestID, started: started, label: label)
        responder.respond(HTTPServerResponse(status: response.status, headers: response.headers, body: response.body))
        return .started(onCancel: nil)
    }
}

extension GatewayRequest {
    init(_ request: HTTPServerRequest) {
        self.init(
            method: request.method, target: request.target, headers: request.headers, body: request.body,
            remoteAddress: request.remoteAddress, isSecure: request.isSecure)
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
