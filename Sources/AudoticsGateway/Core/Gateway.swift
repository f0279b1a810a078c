import AudoticsJSON
public import AudoticsRPC
import AudoticsTransport
public import Logging
import Synchronization

/// The JSON edge: routes HTTP requests to the services' RPCs by the generated route table, transcodes JSON to
/// protobuf and back (proto3 JSON mapping), and calls the services over the fabric.
///
/// Protocol-agnostic: the HTTP/1.1 and HTTP/2 front ends hand it complete `GatewayRequest`s. Errors become
/// JSON `google.rpc.Status` bodies with the HTTP status of grpc-gateway's table; routing errors are 404/405,
/// a non-JSON body 415, an oversize one 413.
public final class Gateway: Sendable {
    /// The limits and policies.
    public let configuration: GatewayConfiguration
    let routes: RouteTable
    let backends: [String: any ClientTransport]
    /// The backends that run unary calls without a task (the fabric's channels), by service name.
    let loopBackends: [String: any EventLoopUnaryTransport]
    /// Whether every backend does: then the HTTP server's requests take the task-free path (`start`).
    let taskFreeCalls: Bool
    let registry: ProtoJSONTypeRegistry
    let logger: Logger
    let builtIns: BuiltInEndpoints
    let rateLimits: GatewayRateLimits
    let staticFiles: StaticFiles?
    let metrics = GatewayMetrics()
    /// Bearer tokens' hashes, the per-user rate-limit keys (see `tokenKey`).
    let tokenKeys = Mutex<[String: String]>([:])

    /// Creates a gateway for `services`, calling each through `backends[service name]`.
    ///
    /// - Throws: `GatewayConfigurationError` for a route table that does not build or a service without a backend.
    public init(
        services: [RPCServiceSchema], backends: [String: any ClientTransport], configuration: GatewayConfiguration = .init(),
        builtIns: BuiltInEndpoints = .init(), rateLimits: GatewayRateLimits = .init(), staticFiles: StaticFiles? = nil,
        logger: Logger = Logger(label: "audotics.gateway")
    ) throws(GatewayConfigurationError) {
        for service in services where backends[service.name] == nil {
            throw GatewayConfigurationError(message: "no backend for \(service.name)")
        }
        self.configuration = configuration
        self.routes = try RouteTable(services: services)
        self.backends = backends
        self.loopBackends = backends.compactMapValues { $0 as? any EventLoopUnaryTransport }
        self.taskFreeCalls = loopBackends.count == backends.count
        var registry = ProtoJSONTypeRegistry.standard
        for service in services {
            for method in service.methods {
                registry.register(method.requestType)
                registry.register(method.responseType)
            }
        }
        self.registry = registry
        self.builtIns = builtIns
        self.rateLimits = rateLimits
        self.staticFiles = staticFiles
        self.logger = logger
    }

    /// Answers one request; never throws: every failure is a response.
    public func handle(_ request: GatewayRequest) async -> GatewayResponse {
        let started = ContinuousClock.now
        let requestID = RequestID.make(from: request.header("x-request-id"))
        // The metric label: the route's template, never the raw path (which would make a series per ID).
        var routeLabel = "unmatched"
        var response: GatewayResponse
        do {
            response = try await respond(to: request, requestID: requestID, label: &routeLabel)
        } catch let error as GatewayError {
            response = errorResponse(error)
        } catch let error as RPCError {
            response = errorResponse(error)
        } catch {
            logger.error("gateway failure", metadata: ["request_id": "\(requestID)", "error": "\(error)"])
            response = errorResponse(GatewayError(status: 500, code: .internal, message: "internal error"))
        }
        conclude(&response, for: request, requestID: requestID, started: started, label: routeLabel)
        return response
    }

    /// The end of every request: the common headers, the metrics and the log line.
    func conclude(_ response: inout GatewayResponse, for request: GatewayRequest, requestID: String, started: ContinuousClock.Instant, label: String) {
        finish(&response, for: request, requestID: requestID)
        let elapsed = started.duration(to: .now)
        metrics.record(method: request.method, route: label, status: response.status, elapsed: elapsed)
        logger.info(
            Logger.Message(stringLiteral: Self.logMessage(method: request.method, target: request.target, status: response.status)),
            metadata: [
                "request_id": .string(requestID), "peer": .string(request.remoteAddress), "duration_ms": .string(Self.milliseconds(elapsed)),
            ],
            source: "AudoticsGateway")
    }

    /// The request log's message, `GET /v1/tracks/tr_1 200`, made as one string.
    static func logMessage(method: String, target: String, status: Int) -> String {
        var message = ""
        message.reserveCapacity(method.utf8.count + target.utf8.count + 8)
        message += method
        message += " "
        appendPathForLog(target, to: &message)
        message += " "
        message += String(status)
        return message
    }

    /// A duration in milliseconds with three decimals, `4.957`.
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        var micros = UInt64(max(0, seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
        // Digits from the right in a stack buffer. A result of up to 15 bytes (any duration under three years) is a
        // small string, stored inline: no allocation at all.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            var position = 23
            var digits = 0
            repeat {
                if digits == 3 {
                    buffer[position] = UInt8(ascii: ".")
                    position -= 1
                }
                buffer[position] = UInt8(ascii: "0") + UInt8(micros % 10)
                micros /= 10
                position -= 1
                digits += 1
            } while micros > 0 || digits < 4
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[(position + 1)...]), as: UTF8.self)
        }
    }

    private func respond(to request: GatewayRequest, requestID: String, label: inout String) async throws -> GatewayResponse {
        let (path, query) = Self.split(request.target)
        if request.method == "OPTIONS" {
            label = "OPTIONS"
            return try preflight(request, path: path)
        }
        if builtIns.serves(path), let builtIn = try await builtIns.response(method: request.method, path: path) {
            label = String(path)
            return builtIn
        }
        try checkBodySize(request)
        // No suspension point at all without rate limits.
        let limitHeaders = rateLimits.isEmpty ? [] : try await applyRateLimits(request)
        var response: GatewayResponse
        do {
            // Routing is synchronous; only the call itself suspends.
            switch try route(request, path: path, label: &label) {
            case .answer(let answer): response = answer
            case .call(let match): response = try await call(match, request: request, query: query, requestID: requestID)
            }
        } catch let error as GatewayError {
            response = errorResponse(error)
        } catch let error as RPCError {
            response = errorResponse(error)
        }
        response.appendHeaders(limitHeaders)
        return response
    }

    /// 413 above `maxBodyBytes`: the HTTP server refuses larger bodies before they are read; this holds for any
    /// other front end too.
    func checkBodySize(_ request: GatewayRequest) throws(GatewayError) {
        guard request.body.count <= configuration.maxBodyBytes else {
            throw GatewayError(status: 413, code: .invalidArgument, message: "the body is larger than \(configuration.maxBodyBytes) bytes")
        }
    }

    /// Where routing leads: an RPC to call, or an answer without one (a static file).
    enum Routed {
        case call(RouteTable.Match)
        case answer(GatewayResponse)
    }

    /// The route a request takes; no route is an error (404, 405, 400).
    func route(_ request: GatewayRequest, path: Substring, label: inout String) throws(GatewayError) -> Routed {
        switch routes.route(method: request.method, path: path) {
        case .notFound:
            if let file = staticFiles?.response(method: request.method, path: path, ifNoneMatch: request.header("if-none-match")) {
                label = "static"
                return .answer(file)
            }
            throw GatewayError(status: 404, code: .notFound, message: "no route for \(request.method) \(Self.pathForLog(String(path)))")
        case .methodNotAllowed(let allowed):
            throw GatewayError(
                status: 405, code: .unimplemented, message: "\(request.method) is not allowed here; use \(allowed.joined(separator: ", "))",
                headers: ["allow": allowed.joined(separator: ", ")])
        case .undecodablePath(let field):
            throw GatewayError(
                status: 400, code: .invalidArgument, message: "the path segment for \(field) is not valid percent-encoded UTF-8")
        case .matched(let match):
            label = match.template
            return .call(match)
        }
    }

    /// The path and the query (without `?`) of a request target.
    /// An absolute-form target (`http://host/path?q`, RFC 9112 §3.2.2) counts by its path and query.
    static func split(_ target: String) -> (path: Substring, query: Substring?) {
        // Bytes throughout, not Characters: "/" followed by a combining mark is one Character, not "/".
        var rest = Substring(target)
        if rest.utf8.first != UInt8(ascii: "/"), let schemeLength = Self.absoluteFormSchemeLength(rest) {
            let afterAuthority = rest.utf8.dropFirst(schemeLength)
            rest = afterAuthority.firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") })
                .map { rest[$0...] } ?? "/"
            if rest.utf8.first == UInt8(ascii: "?") { rest = Substring("/" + rest) }
        }
        guard let mark = rest.utf8.firstIndex(of: UInt8(ascii: "?")) else { return (rest, nil) }
        return (rest[..<mark], rest[rest.index(after: mark)...])
    }

    /// The length of an `http://` or `https://` prefix (any case), or nil.
    static func absoluteFormSchemeLength(_ target: Substring) -> Int? {
        let lowered = target.prefix(8).lowercased()
        return lowered.hasPrefix("https://") ? 8 : lowered.hasPrefix("http://") ? 7 : nil
    }

    /// The target without its query (which may carry secrets), shortened, for logs and messages.
    static func pathForLog(_ target: String) -> String {
        var text = ""
        appendPathForLog(target, to: &text)
        return text
    }

    /// Appends `pathForLog(target)` to `text`, without a string of its own.
    static func appendPathForLog(_ target: String, to text: inout String) {
        let path = split(target).path
        if path.utf8.count > 200 && path.count > 200 {
            text += path.prefix(200)
            text += "…"
        } else {
            text += path
        }
    }
}
