public import AudoticsRPC

/// Every HTTP route of the gateway: the `google.api.http` bindings of the services' methods (from the generated
/// schemas, never written by hand), and `POST /<package>.<Service>/<Method>` for every unary method, so that an
/// RPC without an annotation is callable too.
public struct RouteTable: Sendable {
    /// A route that matched a request.
    public struct Match: Sendable {
        /// The RPC and its message types.
        public let method: RPCMethodSchema
        /// The request field the body fills: empty for none, `*` for the whole request.
        public let body: String
        /// The response field sent as the body: empty for the whole response.
        public let responseBody: String
        /// The HTTP status of a success (201 for creations).
        public let successStatus: Int
        /// The path variables, decoded, with the fields they fill.
        public let pathValues: [(fieldPath: [String], value: String)]
        /// `METHOD template` of the route, for logs and metric labels.
        public let template: String
    }

    /// The outcome of routing a request.
    public enum Outcome: Sendable {
        case matched(Match)
        /// The path exists with other methods (405, with `Allow`).
        case methodNotAllowed(allowed: [String])
        case notFound
        /// The path fits a route of this method, but the segment of the path variable filling `field` is not valid
        /// percent-encoded UTF-8 (400).
        case undecodablePath(field: String)
    }

    /// A class: routing reads a few of its fields for every candidate, and a struct this size would be copied.
    final class Entry: Sendable {
        let httpMethod: String
        let template: PathTemplate
        let body: String
        let responseBody: String
        let successStatus: Int
        let method: RPCMethodSchema
        /// `METHOD template`, made once.
        let label: String

        init(
            httpMethod: String, template: PathTemplate, body: String, responseBody: String, successStatus: Int,
            method: RPCMethodSchema, label: String
        ) {
            self.httpMethod = httpMethod
            self.template = template
            self.body = body
            self.responseBody = responseBody
            self.successStatus = successStatus
            self.method = method
            self.label = label
        }
    }

    let entries: [Entry]
    /// `/<service>/<method>` → the method, for the generic POST routes.
    let rpcPaths: [String: RPCMethodSchema]
    /// For each number of path segments, the indices of the entries whose template can match that many, in table
    /// order; the last list serves every larger number (only `**` templates reach there). A request is matched
    /// against these few templates instead of all of them.
    let candidates: [[Int]]

    /// Builds the table; throws if an annotation's template does not parse.
    public init(services: [RPCServiceSchema]) throws(GatewayConfigurationError) {
        var entries: [Entry] = []
        var rpcPaths: [String: RPCMethodSchema] = [:]
        for service in services {
            // Only unary methods: a JSON request and a JSON response (streams have no route).
            for method in service.methods where method.descriptor.kind == .unary {
                for route in method.httpRoutes {
                    guard route.responseBody.isEmpty else {
                        throw GatewayConfigurationError(message: "\(method.descriptor): response_body is not supported")
                    }
                    entries.append(Entry(
                        httpMethod: route.method, template: try PathTemplate(route.pathTemplate), body: route.body,
                        responseBody: route.responseBody, successStatus: route.successStatus, method: method,
                        label: "\(route.method) \(route.pathTemplate)"))
                }
                rpcPaths[method.descriptor.path] = method
            }
        }
        self.entries = entries
        self.rpcPaths = rpcPaths
        let longest = entries.map(\.template.segments.count).max() ?? 0
        candidates = (0...longest + 1).map { count in
            entries.indices.filter { index in
                let segments = entries[index].template.segments
                // `**` matches zero or more segments, so it fits any count from the segments before it.
                return segments.last == .rest ? count >= segments.count - 1 : count == segments.count
            }
        }
    }

    /// Routes a request: `path` is the request target's path, still percent-encoded. `HEAD` routes as `GET`.
    public func route(method httpMethod: String, path: String) -> Outcome {
        route(method: httpMethod, path: Substring(path))
    }

    /// Routes a request: `path` is the request target's path, still percent-encoded. `HEAD` routes as `GET`.
    public func route(method httpMethod: String, path: Substring) -> Outcome {
        let lookup = httpMethod == "HEAD" ? "GET" : httpMethod
        var best: (index: Int, literals: Int, values: [(fieldPath: [String], value: String)])?
        var allowed: [String] = []
        var undecodable: [String]?
        let rawSegments = PathTemplate.rawSegments(of: path) ?? []  // none: not a path, so no template fits
        if !rawSegments.isEmpty {
            for index in candidates[min(rawSegments.count, candidates.count - 1)] {
                let entry = entries[index]
                guard let last = entry.template.fit(rawSegments: rawSegments) else { continue }
                guard entry.httpMethod == lookup else {
                    if !allowed.contains(entry.httpMethod) { allowed.append(entry.httpMethod) }
                    continue
                }
                // Values are decoded only for a route that would be chosen (not for other methods' routes, nor
                // for a less specific one than the best so far).
                if let current = best, current.literals >= entry.template.literalCount { continue }
                let result = entry.template.values(rawSegments: rawSegments, last: last)
                guard case .matched(let values) = result else {
                    if case .undecodable(let field) = result { undecodable = undecodable ?? field }
                    continue
                }
                best = (index, entry.template.literalCount, values)
            }
        }
        if let best {
            let entry = entries[best.index]
            return .matched(Match(
                method: entry.method, body: entry.body, responseBody: entry.responseBody,
                successStatus: entry.successStatus, pathValues: best.values,
                template: entry.label))
        }
        if let undecodable { return .undecodablePath(field: undecodable.joined(separator: ".")) }
        if let method = rpcPaths[String(path)] {
            guard lookup == "POST" else { return .methodNotAllowed(allowed: ["POST"]) }
            return .matched(Match(method: method, body: "*", responseBody: "", successStatus: 200, pathValues: [], template: "POST \(path)"))
        }
        if allowed.contains("GET"), !allowed.contains("HEAD") { allowed.append("HEAD") }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed.sorted())
    }

    /// Every route as `METHOD template`, for logs and diagnostics.
    public var summary: [String] {
        entries.map { "\($0.httpMethod) \($0.template)" } + rpcPaths.keys.sorted().map { "POST \($0)" }
    }
}
