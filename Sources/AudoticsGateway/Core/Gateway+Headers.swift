extension Gateway {
    /// Headers every response carries: the request ID, security headers, CORS for allowed origins.
    func finish(_ response: inout GatewayResponse, for request: GatewayRequest, requestID: String) {
        response.headers.reserveCapacity(response.headers.count + 10)
        response.headers.append(("x-request-id", requestID))
        let contentType = response.header("content-type")
        if contentType == "application/json" {
            // An API answer: never cached by shared caches, never sniffed, never framed, never a document.
            if response.header("cache-control") == nil { response.headers.append(("cache-control", "no-store")) }
            response.headers.append(("content-security-policy", "default-src 'none'; frame-ancestors 'none'"))
        }
        if contentType?.hasPrefix("text/html") == true {
            response.headers.append(("content-security-policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'self'"))
        }
        response.headers.append(("x-content-type-options", "nosniff"))
        response.headers.append(("x-frame-options", "DENY"))
        response.headers.append(("referrer-policy", "no-referrer"))
        if request.isSecure { response.headers.append(("strict-transport-security", "max-age=31536000")) }
        if let origin = allowedOrigin(request) {
            response.headers.append(("access-control-allow-origin", origin))
            response.headers.append(("access-control-expose-headers", "x-request-id, retry-after, ratelimit-limit, ratelimit-remaining, ratelimit-reset"))
            if origin != "*" { response.headers.append(("vary", "Origin")) }
        }
    }

    /// The `Access-Control-Allow-Origin` value for the request's `Origin`, if CORS allows it.
    func allowedOrigin(_ request: GatewayRequest) -> String? {
        guard let origin = request.header("origin") else { return nil }
        if configuration.corsAllowedOrigins.contains("*") { return "*" }
        return configuration.corsAllowedOrigins.contains(origin) ? origin : nil
    }

    /// `OPTIONS`: a CORS preflight (with `Access-Control-Request-Method`) is 204 with the method and headers
    /// granted when the origin is allowed (else 403) and the path takes that method (else 404, or 405 with
    /// `Allow`); any other `OPTIONS` is 204 with the path's `Allow` (404 for an unknown path).
    func preflight(_ request: GatewayRequest, path: Substring) throws(GatewayError) -> GatewayResponse {
        let allowed = allowedMethods(path: path)
        guard !allowed.isEmpty else {
            throw GatewayError(status: 404, code: .notFound, message: "no route for OPTIONS \(Self.pathForLog(String(path)))")
        }
        let allow = (allowed + ["OPTIONS"]).joined(separator: ", ")
        guard let method = request.header("access-control-request-method") else {
            return GatewayResponse(status: 204, headers: [("allow", allow)])
        }
        guard allowedOrigin(request) != nil else {
            throw GatewayError(status: 403, code: .permissionDenied, message: "the origin is not allowed")
        }
        guard allowed.contains(method) else {
            throw GatewayError(
                status: 405, code: .unimplemented, message: "\(method) is not allowed here; use \(allowed.joined(separator: ", "))",
                headers: ["allow": allow])
        }
        // `finish` adds Access-Control-Allow-Origin and Vary.
        return GatewayResponse(status: 204, headers: [
            ("access-control-allow-methods", method),
            ("access-control-allow-headers", "authorization, content-type, x-request-id, x-request-timeout, grpc-timeout, traceparent, tracestate"),
            ("access-control-max-age", String(configuration.corsMaxAge.components.seconds)),
        ])
    }

    /// The methods a path takes (sorted): its routes', GET and HEAD for a built-in endpoint; empty for none.
    func allowedMethods(path: Substring) -> [String] {
        if builtIns.serves(path) || staticFiles?.response(method: "HEAD", path: path, ifNoneMatch: nil) != nil { return ["GET", "HEAD"] }
        switch routes.route(method: "OPTIONS", path: path) {
        case .methodNotAllowed(let allowed): return allowed
        case .matched, .notFound, .undecodablePath: return []
        }
    }
}
