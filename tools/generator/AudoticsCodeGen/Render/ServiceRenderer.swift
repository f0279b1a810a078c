/// Renders a gRPC service: its descriptors and HTTP routes, a handler protocol, and a typed client.
struct ServiceRenderer {
    let registry: TypeRegistry

    func render(_ service: ServiceModel, into out: inout CodeWriter) throws(CodeGenError) {
        try renderNamespace(service, into: &out)
        out.line()
        try renderProtocol(service, into: &out)
        out.line()
        try renderRegistration(service, into: &out)
        out.line()
        try renderClient(service, into: &out)
    }

    private func kind(_ method: MethodModel) -> String {
        switch (method.clientStreaming, method.serverStreaming) {
        case (false, false): return "unary"
        case (true, false): return "clientStreaming"
        case (false, true): return "serverStreaming"
        case (true, true): return "bidirectionalStreaming"
        }
    }

    private func renderNamespace(_ service: ServiceModel, into out: inout CodeWriter) throws(CodeGenError) {
        out.documentation(service.comment, fallback: "The gRPC service `\(service.fullName)`.")
        try out.block("public enum \(service.name)") { (out: inout CodeWriter) throws(CodeGenError) in
            out.line("/// The fully qualified service name.")
            out.line("public static let name = \"\(service.fullName)\"")
            out.line()
            out.line("/// The methods of the service.")
            try out.block("public enum Method") { (out: inout CodeWriter) throws(CodeGenError) in
                for method in service.methods {
                    out.line("/// `\(service.fullName)/\(method.name)`.")
                    out.line(
                        "public static let \(SwiftNaming.methodName(method.name)) = MethodDescriptor("
                            + "service: \"\(service.fullName)\", method: \"\(method.name)\", kind: .\(kind(method)), "
                            + "isIdempotent: \(method.isIdempotent))")
                }
            }
            out.line()
            out.line("/// Every method, in declaration order.")
            let all = service.methods.map { "Method." + SwiftNaming.methodName($0.name) }
            out.line("public static let methods: [MethodDescriptor] = [\(all.joined(separator: ", "))]")
            out.line()
            try renderMethodSchemas(service, into: &out)
            out.line()
            out.line("/// The JSON edge routes from the `google.api.http` annotations, additional bindings included.")
            out.line("public static let httpRoutes: [HTTPRoute] = methodSchemas.flatMap(\\.httpRoutes)")
            out.line()
            out.line("/// The service as a JSON edge sees it: its name and every method's schema.")
            out.line("public static let schema = RPCServiceSchema(name: name, methods: methodSchemas)")
        }
    }

    /// Every method with its message types and routes: what a generic JSON transcoder needs.
    private func renderMethodSchemas(_ service: ServiceModel, into out: inout CodeWriter) throws(CodeGenError) {
        out.line("/// Every method with its request and response types and its HTTP routes, in declaration order.")
        out.line("public static let methodSchemas: [RPCMethodSchema] = [")
        for method in service.methods {
            let name = SwiftNaming.methodName(method.name)
            let head =
                "    RPCMethodSchema(descriptor: Method.\(name), requestType: \(try registry.swiftReference(method.inputType)).self, "
                + "responseType: \(try registry.swiftReference(method.outputType)).self"
            let bindings = method.http.map { [$0] + $0.additionalBindings } ?? []
            if bindings.isEmpty {
                out.line(head + "),")
                continue
            }
            out.line(head + ", httpRoutes: [")
            for binding in bindings {
                let status = HTTPSuccessStatus.forMethod(method.name, httpMethod: binding.method)
                out.line(
                    "        HTTPRoute(method: \"\(binding.method)\", pathTemplate: \"\(binding.path.swiftLiteralEscaped)\", "
                        + "body: \"\(binding.body)\", responseBody: \"\(binding.responseBody)\", "
                        + "rpc: Method.\(name)\(status == 200 ? "" : ", successStatus: \(status)")),")
            }
            out.line("    ]),")
        }
        out.line("]")
    }

    private func renderProtocol(_ service: ServiceModel, into out: inout CodeWriter) throws(CodeGenError) {
        out.line("/// Implement this to serve `\(service.fullName)`; register it with `RPCRouter(services:)`.")
        try out.block("public protocol \(service.name)Protocol: RPCService") { (out: inout CodeWriter) throws(CodeGenError) in
            for (index, method) in service.methods.enumerated() {
                let input = try registry.swiftReference(method.inputType)
                let output = try registry.swiftReference(method.outputType)
                if index > 0 { out.line() }
                out.documentation(method.comment, fallback: "Serves `\(method.name)`.")
                let name = SwiftNaming.methodName(method.name)
                switch (method.clientStreaming, method.serverStreaming) {
                case (false, false):
                    out.line("func \(name)(request: \(input), context: ServerContext) async throws -> \(output)")
                case (true, false):
                    out.line("func \(name)(requests: RPCAsyncSequence<\(input)>, context: ServerContext) async throws -> \(output)")
                case (false, true):
                    out.line("func \(name)(request: \(input), responses: RPCWriter<\(output)>, context: ServerContext) async throws")
                case (true, true):
                    out.line(
                        "func \(name)(requests: RPCAsyncSequence<\(input)>, responses: RPCWriter<\(output)>, context: ServerContext) async throws"
                    )
                }
            }
        }
    }

    private func renderRegistration(_ service: ServiceModel, into out: inout CodeWriter) throws(CodeGenError) {
        try out.block("extension \(service.name)Protocol") { (out: inout CodeWriter) throws(CodeGenError) in
            out.line("/// Adds every method of `\(service.fullName)` to the router.")
            try out.block("public func registerMethods(with router: inout RPCRouter)") { (out: inout CodeWriter) throws(CodeGenError) in
                for method in service.methods {
                    let name = SwiftNaming.methodName(method.name)
                    let descriptor = "\(service.name).Method.\(name)"
                    switch (method.clientStreaming, method.serverStreaming) {
                    case (false, false):
                        out.line("router.registerUnary(\(descriptor)) { try await self.\(name)(request: $0, context: $1) }")
                    case (true, false):
                        out.line("router.registerClientStreaming(\(descriptor)) { try await self.\(name)(requests: $0, context: $1) }")
                    case (false, true):
                        out.line(
                            "router.registerServerStreaming(\(descriptor)) { try await self.\(name)(request: $0, responses: $1, context: $2) }")
                    case (true, true):
                        out.line(
                            "router.registerBidirectionalStreaming(\(descriptor)) { try await self.\(name)(requests: $0, responses: $1, context: $2) }"
                        )
                    }
                }
            }
        }
    }

    private func renderClient(_ service: ServiceModel, into out: inout CodeWriter) throws(CodeGenError) {
        out.line("/// A typed client of `\(service.fullName)`.")
        try out.block("public struct \(service.name)Client: Sendable") { (out: inout CodeWriter) throws(CodeGenError) in
            out.line("/// The untyped client the calls go through.")
            out.line("public let client: RPCClient")
            out.line()
            out.line("/// Creates a client over a transport.")
            out.line("public init(transport: any ClientTransport) { self.client = RPCClient(transport: transport) }")
            out.line()
            out.line("/// Creates a client sharing another client's transport.")
            out.line("public init(wrapping client: RPCClient) { self.client = client }")
            for method in service.methods {
                let input = try registry.swiftReference(method.inputType)
                let output = try registry.swiftReference(method.outputType)
                let name = SwiftNaming.methodName(method.name)
                let descriptor = "\(service.name).Method.\(name)"
                out.line()
                out.documentation(method.comment, fallback: "Calls `\(method.name)`.")
                switch (method.clientStreaming, method.serverStreaming) {
                case (false, false):
                    try out.block("public func \(name)(_ request: \(input), options: CallOptions = CallOptions()) async throws -> \(output)") {
                        (out: inout CodeWriter) throws(CodeGenError) in
                        out.line("try await client.unary(request: request, method: \(descriptor), options: options)")
                    }
                case (true, false):
                    try out.block(
                        "public func \(name)(options: CallOptions = CallOptions(), requests: @escaping @Sendable (RPCWriter<\(input)>) async throws -> Void) async throws -> \(output)"
                    ) { (out: inout CodeWriter) throws(CodeGenError) in
                        out.line("try await client.clientStreaming(method: \(descriptor), options: options, requests: requests)")
                    }
                case (false, true):
                    try out.block(
                        "public func \(name)<Result>(_ request: \(input), options: CallOptions = CallOptions(), onResponse: (RPCAsyncSequence<\(output)>) async throws -> Result) async throws -> Result"
                    ) { (out: inout CodeWriter) throws(CodeGenError) in
                        out.line(
                            "try await client.serverStreaming(request: request, method: \(descriptor), options: options, onResponse: onResponse)")
                    }
                case (true, true):
                    try out.block(
                        "public func \(name)<Result>(options: CallOptions = CallOptions(), requests: @escaping @Sendable (RPCWriter<\(input)>) async throws -> Void, onResponse: (RPCAsyncSequence<\(output)>) async throws -> Result) async throws -> Result"
                    ) { (out: inout CodeWriter) throws(CodeGenError) in
                        out.line(
                            "try await client.bidirectionalStreaming(method: \(descriptor), options: options, requests: requests, onResponse: onResponse)"
                        )
                    }
                }
            }
        }
    }
}
