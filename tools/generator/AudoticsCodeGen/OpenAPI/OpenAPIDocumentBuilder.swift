/// Builds the OpenAPI 3.1 document of the HTTP routes of a set of `.proto` files.
///
/// One operation per route (`google.api.http` bindings, additional ones included), plus
/// `POST /<package>.<Service>/<Method>` for each unary method without an annotation, as the JSON edge
/// serves them. Streaming methods are left out. Paths are sorted, so the
/// document only changes when the contracts do.
struct OpenAPIDocumentBuilder {
    let registry: TypeRegistry
    let options: GeneratorOptions

    /// The HTTP methods OpenAPI path items can hold, in the order they are written.
    static let httpMethods = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"]

    /// The document.
    func build(_ files: [ProtoFile]) throws(CodeGenError) -> JSONValue {
        var operations = OpenAPIOperationBuilder(registry: registry, schemas: OpenAPISchemas(registry: registry))
        var paths: [String: JSONObject] = [:]
        var tags: [JSONValue] = []
        var hasUnannotated = false
        for service in files.flatMap(\.services) {
            var tag: JSONObject = ["name": .string(service.name)]
            let comment = ProtoComment(service.comment)
            if !comment.isEmpty { tag["description"] = .string(comment.text) }
            tags.append(.object(tag))
            for method in service.methods {
                for route in Self.routes(service, method) {
                    hasUnannotated = hasUnannotated || method.http == nil
                    guard Self.httpMethods.contains(route.binding.method) else {
                        throw CodeGenError("\(service.fullName)/\(method.name): OpenAPI has no HTTP method '\(route.binding.method)'")
                    }
                    let path = try PathTemplate(route.binding.path).openAPIPath
                    let key = route.binding.method.lowercased()
                    guard paths[path]?[key] == nil else {
                        throw CodeGenError("\(service.fullName)/\(method.name): \(route.binding.method) \(path) is bound twice")
                    }
                    paths[path, default: JSONObject()][key] = .object(try operations.operation(route))
                }
            }
        }
        var schemas = operations.schemas
        try schemas.resolvePending()
        var components = JSONObject()
        for (name, schema) in schemas.components { components[name] = schema }
        components["google.rpc.Status"] = WellKnownSchemas.status

        var pathsObject = JSONObject()
        for path in paths.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            var item = JSONObject()
            for method in Self.httpMethods.map({ $0.lowercased() }) { item[method] = paths[path]![method] }
            pathsObject[path] = .object(item)
        }
        return [
            "openapi": "3.1.0",
            "info": ["title": .string(options.title), "version": .string(options.version), "description": .string(description(files, hasUnannotated))],
            "servers": [["url": "/", "description": "The gateway that serves this document."]],
            "security": [["bearerAuth": []]],
            "tags": .array(tags),
            "paths": .object(pathsObject),
            "components": [
                "schemas": .object(components.sortedByKey()),
                "responses": [
                    "Error": [
                        "description": "An error: a google.rpc.Status, with the HTTP status mapped from its gRPC code.",
                        "content": ["application/json": ["schema": OpenAPISchemas.reference("google.rpc.Status")]],
                    ]
                ],
                "securitySchemes": [
                    "bearerAuth": [
                        "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                        "description": "An access token from Register, Login or Refresh (an EdDSA JWT, valid for 15 minutes).",
                    ]
                ],
            ],
        ]
    }

    /// The routes of a method: its bindings, or the RPC-style route of an unannotated unary method.
    /// Streaming methods have none: a JSON body is one message, not a stream.
    static func routes(_ service: ServiceModel, _ method: MethodModel) -> [OpenAPIOperationBuilder.Route] {
        guard !method.clientStreaming && !method.serverStreaming else { return [] }
        if let rule = method.http {
            return ([rule] + rule.additionalBindings).enumerated().map {
                OpenAPIOperationBuilder.Route(service: service, method: method, binding: $1, index: $0)
            }
        }
        let binding = HTTPRuleModel(method: "POST", path: "/\(service.fullName)/\(method.name)", body: "*")
        return [OpenAPIOperationBuilder.Route(service: service, method: method, binding: binding, index: 0)]
    }

    private func description(_ files: [ProtoFile], _ hasUnannotated: Bool) -> String {
        let packages = Array(Set(files.map(\.package))).sorted().joined(separator: ", ")
        var paragraphs = [
            "The \(packages) services over HTTP with JSON, as the gateway transcodes them to gRPC. Generated from the "
                + "`.proto` contracts by protoc-gen-audotics (tools/generate); the comments there are the reference.",
            "JSON follows the proto3 JSON mapping: lowerCamelCase names (proto names are accepted too), 64-bit integers "
                + "as strings, enums as value names, bytes as base64, google.protobuf.Timestamp as RFC 3339, Duration as "
                + "seconds with an `s` suffix, FieldMask as comma-separated lowerCamelCase paths; `null` means unset. "
                + "Responses include fields with default values, except unset message fields, oneof members and "
                + "optional fields.",
            "Authentication: send `Authorization: Bearer <access token>` except to operations marked as needing none.",
            "Errors are google.rpc.Status bodies; the HTTP status follows the gRPC code (INVALID_ARGUMENT, "
                + "FAILED_PRECONDITION and OUT_OF_RANGE 400, UNAUTHENTICATED 401, PERMISSION_DENIED 403, NOT_FOUND 404, "
                + "ALREADY_EXISTS and ABORTED 409, RESOURCE_EXHAUSTED 429, CANCELLED 499, INTERNAL 500, UNIMPLEMENTED 501, "
                + "UNAVAILABLE 503, DEADLINE_EXCEEDED 504). Creations (`POST` of Create… methods and Register) answer 201.",
        ]
        if hasUnannotated {
            paragraphs.append("Methods without an HTTP annotation are served as `POST /<package>.<Service>/<Method>` with the request as the body.")
        }
        return paragraphs.joined(separator: "\n\n")
    }
}
