extension Gateway {
    /// Headers every response carries: the request ID, security headers, CORS for allowed origins.
    func finish(_ response: inout GatewayResponse, for request: GatewayRequest, requestID: String) {
        response.headers.append(("x-request-id", requestID))
        if response.header("content-type") == "application/json" {
            // An API answer: never cached by shared caches, never sniffed, never framed, never a document.
            if response.header("cache-control") == nil { response.headers.append(("cache-control", "no-store")) }
            response.headers.append(("content-security-policy", "default-src 'none'; frame-ancestors 'none'"))
        }
        if response.header("content-type")?.hasPrefix("text/html") == true {
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

    /// A CORS preflight (`OPTIONS` with `Access-Control-Request-Method`): 204 with the allowed method and headers
    /// when the origin is allowed and the route exists, else 403 / 404.
    func preflight(_ request: GatewayRequest, path: Substring) throws(GatewayError) -> GatewayResponse {
        guard let method = request.header("access-control-request-method") else {
            throw GatewayError(status: 405, code: .unimplemented, message: "OPTIONS is only answered as a CORS preflight")
        }
        guard let origin = allowedOrigin(request) else {
            throw GatewayError(status: 403, code: .permissionDenied, message: "the origin is not allowed")
        }
        if case .notFound = routes.route(method: method, path: String(path)) {
            throw GatewayError(status: 404, code: .notFound, message: "no route for \(method) \(Self.pathForLog(String(path)))")
        }
        var headers: [(name: String, value: String)] = [
            ("access-control-allow-methods", method),
            ("access-control-allow-headers", "authorization, content-type, x-request-id, x-request-timeout, grpc-timeout, traceparent, tracestate"),
            ("access-control-max-age", String(configuration.corsMaxAge.components.seconds)),
        ]
        if origin != "*" { headers.append(("vary", "Origin")) }
        // `finish` adds Access-Control-Allow-Origin.
        return GatewayResponse(status: 204, headers: headers)
    }
}
