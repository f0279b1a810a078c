import AudoticsJSON
import AudoticsRPC

extension Gateway {
    /// Transcodes the request, calls the RPC and transcodes its response.
    func call(_ match: RouteTable.Match, request: GatewayRequest, query: Substring?, requestID: String) async throws -> GatewayResponse {
        let message = try requestMessage(match, request: request, query: query)
        guard let backend = backends[match.method.descriptor.service] else { throw Self.noBackend(match) }
        let options = try callOptions(request, requestID: requestID)
        let responseBytes = try await backend.unary(method: match.method.descriptor, options: options, request: message) { $0 }
        return try response(match, responseBytes)
    }

    /// 503 for a route whose service has no backend.
    static func noBackend(_ match: RouteTable.Match) -> GatewayError {
        GatewayError(status: 503, code: .unavailable, message: "\(match.method.descriptor.service) is not available")
    }

    /// The call's options: the deadline and the forwarded metadata.
    func callOptions(_ request: GatewayRequest, requestID: String) throws(GatewayError) -> CallOptions {
        CallOptions(
            timeout: try timeout(of: request), metadata: forwardedMetadata(request, requestID: requestID),
            maxResponseMessageBytes: configuration.maxResponseBytes)
    }

    /// The HTTP response for an RPC's response message: its JSON, with the route's success status.
    func response(_ match: RouteTable.Match, _ responseBytes: [UInt8]) throws(GatewayError) -> GatewayResponse {
        let json: [UInt8]
        do {
            json = try ProtoJSON.encode(responseBytes, descriptor: match.method.responseType._protobufCDescriptor, registry: registry)
        } catch {
            logger.error("a response does not transcode", metadata: ["rpc": "\(match.method.descriptor)", "error": "\(error)"])
            throw GatewayError(status: 500, code: .internal, message: "the service's response could not be converted to JSON")
        }
        return GatewayResponse(status: match.successStatus, headers: [("content-type", "application/json")], body: json)
    }

    /// The request message from the body, the path variables and the query string, in that order (a path
    /// variable overrides the body's value of its field).
    func requestMessage(_ match: RouteTable.Match, request: GatewayRequest, query: Substring?) throws(GatewayError) -> [UInt8] {
        let builder = ProtoJSONRequest(descriptor: match.method.requestType._protobufCDescriptor, registry: registry)
        func mapping(_ body: () throws(JSONMappingError) -> Void) throws(GatewayError) {
            do throws(JSONMappingError) { try body() } catch {
                throw GatewayError(status: 400, code: .invalidArgument, message: error.message)
            }
        }
        if !match.body.isEmpty, request.body.contains(where: { !Self.isJSONWhitespace($0) }) {
            try checkJSONContentType(request)
            if match.body == "*" {
                try mapping { () throws(JSONMappingError) in try builder.merge(json: request.body) }
            } else {
                let field = match.body.split(separator: ".").map(String.init)
                try mapping { () throws(JSONMappingError) in try builder.merge(json: request.body, intoField: field) }
            }
        }
        for (fieldPath, value) in match.pathValues {
            try mapping { () throws(JSONMappingError) in try builder.set(path: fieldPath, text: value) }
        }
        if let query, !query.isEmpty {
            let parameters = try QueryString(query).parameters
            if match.body == "*", let first = parameters.first {
                throw GatewayError(
                    status: 400, code: .invalidArgument,
                    message: "query parameter \"\(first.name)\": this route takes its whole request from the JSON body")
            }
            let bound = Set(match.pathValues.map { Self.protoName($0.fieldPath.joined(separator: ".")) })
            for (name, value) in parameters {
                guard !bound.contains(Self.protoName(name)) else {
                    throw GatewayError(status: 400, code: .invalidArgument, message: "query parameter \"\(name)\": the field is set by the path")
                }
                let path = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                try mapping { () throws(JSONMappingError) in try builder.set(path: path, text: value) }
            }
        }
        return builder.serialized()
    }

    /// 415 unless the body is declared JSON (`application/json` or `application/*+json`, any parameters); a body
    /// without a content type is taken as JSON.
    func checkJSONContentType(_ request: GatewayRequest) throws(GatewayError) {
        guard let contentType = request.header("content-type") else { return }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map {
            $0.trimmingSpaces().lowercased()
        } ?? ""
        guard mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json")) else {
            throw GatewayError(
                status: 415, code: .invalidArgument,
                message: "the body must be JSON (Content-Type: application/json), not \(mediaType.isEmpty ? "an empty type" : mediaType)")
        }
    }

    /// The call's deadline: `Grpc-Timeout` (gRPC's format) or `X-Request-Timeout` (seconds, `1.5`, or with a
    /// unit: `1500ms`, `2s`), at most `maxTimeout`; `defaultTimeout` when neither is given.
    func timeout(of request: GatewayRequest) throws(GatewayError) -> Duration {
        var asked: Duration?
        if let value = request.header("grpc-timeout") {
            guard let parsed = GRPCTimeout(parsing: value) else {
                throw GatewayError(status: 400, code: .invalidArgument, message: "Grpc-Timeout \"\(value.prefix(20))\" is not a gRPC timeout (e.g. 1500m)")
            }
            asked = parsed.duration
        } else if let value = request.header("x-request-timeout") {
            guard let parsed = Self.parseTimeout(value) else {
                throw GatewayError(status: 400, code: .invalidArgument, message: "X-Request-Timeout \"\(value.prefix(20))\" is not a duration (e.g. 2.5 or 2500ms)")
            }
            asked = parsed
        }
        return min(asked ?? configuration.defaultTimeout, configuration.maxTimeout)
    }

    /// Parses `2.5`, `2.5s` or `2500ms` (positive).
    static func parseTimeout(_ value: String) -> Duration? {
        let text = Substring(value).trimmingSpaces()
        let (number, scale): (Substring, Double) =
            text.hasSuffix("ms") ? (text.dropLast(2), 0.001) : text.hasSuffix("s") ? (text.dropLast(1), 1) : (Substring(text), 1)
        guard let amount = Double(number), amount.isFinite, amount > 0, amount * scale <= 86_400 else { return nil }
        return .milliseconds(Int64((amount * scale * 1000).rounded(.up)))
    }

    /// What travels to the service: the bearer token, the request ID, W3C trace context and the client's address.
    func forwardedMetadata(_ request: GatewayRequest, requestID: String) -> Metadata {
        var metadata = Metadata()
        metadata.reserveCapacity(5)  // at most these five: one allocation
        if let authorization = request.header("authorization") { metadata.addString(authorization, forKey: "authorization") }
        metadata.addString(requestID, forKey: "x-request-id")
        if let traceparent = request.header("traceparent"), Self.isValidTraceparent(traceparent) {
            metadata.addString(traceparent, forKey: "traceparent")
            if let tracestate = request.header("tracestate"), tracestate.utf8.count <= 512 {
                metadata.addString(tracestate, forKey: "tracestate")
            }
        }
        var forwarded = ""
        for field in request.headers where field.name == "x-forwarded-for" {
            if !forwarded.isEmpty { forwarded += ", " }
            forwarded += field.value
        }
        if let host = Self.host(of: request.remoteAddress) {
            if forwarded.isEmpty { forwarded = host } else { forwarded += ", " + host }
        }
        if !forwarded.isEmpty { metadata.addString(forwarded, forKey: "x-forwarded-for") }
        return metadata
    }

    /// `00-<32 hex>-<16 hex>-<2 hex>` (W3C Trace Context, version 00), trace and parent IDs not all zero.
    static func isValidTraceparent(_ value: String) -> Bool {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "00", parts[1].count == 32, parts[2].count == 16, parts[3].count == 2 else { return false }
        let hex = parts.dropFirst().allSatisfy { $0.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) } }
        return hex && parts[1].contains { $0 != "0" } && parts[2].contains { $0 != "0" }
    }

    /// The address part of `address:port` (IPv6 in brackets or not).
    static func host(of remote: String) -> String? {
        let utf8 = remote.utf8
        guard let first = utf8.first else { return nil }
        if first == UInt8(ascii: "["), let close = utf8.firstIndex(of: UInt8(ascii: "]")) {
            return String(remote[utf8.index(after: utf8.startIndex)..<close])
        }
        guard let colon = utf8.lastIndex(of: UInt8(ascii: ":")) else { return remote }
        return String(remote[..<colon])
    }

    /// `trackIds.pageSize` → `track_ids.page_size`: JSON names to proto names, for comparing field paths.
    static func protoName(_ name: String) -> String {
        var out = ""
        for character in name {
            if character.isUppercase {
                out += "_" + character.lowercased()
            } else {
                out.append(character)
            }
        }
        return out
    }

    static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
