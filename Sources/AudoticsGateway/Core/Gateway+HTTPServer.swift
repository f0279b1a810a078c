public import AudoticsHTTPServer
import AudoticsRPC
import AudoticsTransport
import Synchronization

/// The gateway behind `AudoticsHTTPServer`'s HTTP/1.1 and HTTP/2 front ends.
extension Gateway: HTTPServerHandler {
    public func handle(_ request: HTTPServerRequest) async -> HTTPServerResponse {
        let response = await handle(GatewayRequest(request))
        return HTTPServerResponse(status: response.status, headers: response.headers, body: response.body)
    }

    /// Answers a request on its connection's event loop without a task: routing and transcoding run in the
    /// server's turn and the RPC's response comes back as a callback on the same loop (the backends are
    /// event-loop affine). With rate limits, a task waits for Redis's decision and the call then starts from the
    /// loop the same way. The built-in endpoints (which ask the services' health) and backends without task-free
    /// calls (test doubles) go to `handle`. Responses, headers, logs and metrics are the same either way.
    public func start(_ request: HTTPServerRequest, responder: HTTPServerResponder) -> HTTPServerStart {
        guard taskFreeCalls else { return .declined }
        let (path, query) = Self.split(request.target)
        guard !builtIns.serves(path) else { return .declined }
        let exchange = TaskFreeExchange(
            request: GatewayRequest(request), path: path, query: query, started: .now,
            requestID: RequestID.make(from: request.header("x-request-id")), responder: responder)
        do throws(GatewayError) {
            if request.method == "OPTIONS" {
                conclude(exchange, try preflight(exchange.request, path: path), label: "OPTIONS")
                return .started(onCancel: nil)
            }
            try checkBodySize(exchange.request)
        } catch {
            conclude(exchange, errorResponse(error), label: "unmatched")
            return .started(onCancel: nil)
        }
        guard !rateLimits.isEmpty else {
            return .started(onCancel: proceed(exchange, limitHeaders: []).map { call in call.cancel })
        }
        // Rate limits wait for Redis: a task for that wait only (on this loop, by its executor preference), then
        // the call starts from the loop as above.
        let call = CallSlot()
        let task = Task.immediate(executorPreference: responder.executor) {
            let limitHeaders: [(name: String, value: String)]
            do throws(GatewayError) {
                limitHeaders = try await self.applyRateLimits(exchange.request)
            } catch {
                self.conclude(exchange, self.errorResponse(error), label: "unmatched")
                return
            }
            guard !Task.isCancelled else {
                self.conclude(exchange, self.errorResponse(RPCError(code: .cancelled, message: "the request was cancelled")), label: "unmatched")
                return
            }
            let started = self.proceed(exchange, limitHeaders: limitHeaders)
            call.handle.withLock { $0 = started }
        }
        return .started(onCancel: {
            task.cancel()
            call.handle.withLock { $0 }?.cancel()
        })
    }

    /// Where a rate-limited request's call is kept once it started, for cancelling it.
    final class CallSlot: Sendable {
        let handle = Mutex<UnaryCallHandle?>(nil)
    }

    /// A request on its way through `start`: what every step needs, and where the response goes.
    struct TaskFreeExchange: Sendable {
        let request: GatewayRequest
        let path: Substring
        let query: Substring?
        let started: ContinuousClock.Instant
        let requestID: String
        let responder: HTTPServerResponder
    }

    /// Routes the request and starts its call (returned, to cancel), or answers it at once (nil). On the request's
    /// event loop; `limitHeaders` go on whatever the answer is.
    private func proceed(_ exchange: TaskFreeExchange, limitHeaders: [(name: String, value: String)]) -> UnaryCallHandle? {
        var label = "unmatched"
        let response: GatewayResponse
        do throws(GatewayError) {
            switch try route(exchange.request, path: exchange.path, label: &label) {
            case .answer(let answer):
                response = answer
            case .call(let match):
                guard let backend = loopBackends[match.method.descriptor.service] else { throw Self.noBackend(match) }
                let message = try requestMessage(match, request: exchange.request, query: exchange.query)
                let options = try callOptions(exchange.request, requestID: exchange.requestID)
                let routeLabel = label
                return backend.startUnary(
                    method: match.method.descriptor, options: options, request: message, on: exchange.responder.eventLoop
                ) { outcome in
                    var response: GatewayResponse
                    switch outcome {
                    case .success(let bytes):
                        do throws(GatewayError) { response = try self.response(match, bytes) } catch { response = self.errorResponse(error) }
                    case .failure(let error):
                        response = self.errorResponse(error)
                    }
                    response.appendHeaders(limitHeaders)
                    self.conclude(exchange, response, label: routeLabel)
                }
            }
        } catch {
            var failure = errorResponse(error)
            failure.appendHeaders(limitHeaders)
            conclude(exchange, failure, label: label)
            return nil
        }
        var answer = response
        answer.appendHeaders(limitHeaders)
        conclude(exchange, answer, label: label)
        return nil
    }

    /// Finishes a task-free request's response (headers, metrics, log line) and sends it.
    private func conclude(_ exchange: TaskFreeExchange, _ response: GatewayResponse, label: String) {
        var response = response
        conclude(&response, for: exchange.request, requestID: exchange.requestID, started: exchange.started, label: label)
        exchange.responder.respond(HTTPServerResponse(status: response.status, headers: response.headers, body: response.body))
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
