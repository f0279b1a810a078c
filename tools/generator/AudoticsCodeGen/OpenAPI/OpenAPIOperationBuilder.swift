/// Builds the OpenAPI operation of one HTTP binding of an RPC: its parameters (path variables, then
/// the remaining request fields as query parameters when no `body: "*"` takes them), its request body,
/// and its responses.
struct OpenAPIOperationBuilder {
    let registry: TypeRegistry
    var schemas: OpenAPISchemas

    /// One route to document.
    struct Route {
        var service: ServiceModel
        var method: MethodModel
        var binding: HTTPRuleModel
        /// 0 for the main binding, 1… for additional bindings (they get `_2`, `_3`… operation IDs).
        var index: Int
    }

    /// The operation object.
    mutating func operation(_ route: Route) throws(CodeGenError) -> JSONObject {
        let method = route.method
        let comment = ProtoComment(method.comment)
        let template = try PathTemplate(route.binding.path)
        let request = try message(method.inputType)
        var operation: JSONObject = [
            "operationId": .string("\(route.service.name)_\(method.name)" + (route.index > 0 ? "_\(route.index + 1)" : "")),
            "tags": [.string(route.service.name)],
        ]
        if !comment.isEmpty {
            operation["summary"] = .string(comment.summary)
            operation["description"] = .string(comment.text)
        }
        var parameters: [JSONValue] = []
        for variable in template.variables {
            parameters.append(try pathParameter(variable, in: request, template: route.binding.path))
        }
        if route.binding.body != "*" {
            let bound = Set(template.variables.map(\.name))
            parameters += try queryParameters(
                request, prefix: [], jsonPrefix: [], bound: bound, body: route.binding.body, visited: [request.fullName])
        }
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        if let body = try requestBody(request, binding: route.binding, template: template) {
            operation["requestBody"] = ["required": true, "content": ["application/json": ["schema": body]]]
        }
        operation["responses"] = .object(try responses(route, comment: comment))
        if Self.needsNoToken(route) { operation["security"] = [] }
        return operation
    }

    /// Whether the method's comment (or its service's) says `Auth: none`.
    static func needsNoToken(_ route: Route) -> Bool {
        ProtoComment(route.method.comment).saysNoAuth || ProtoComment(route.service.comment).saysNoAuth
    }

    private func message(_ fullName: String) throws(CodeGenError) -> MessageModel {
        guard let message = try registry.info(fullName).message else { throw CodeGenError("\(fullName) is not a message") }
        return message
    }

    /// The field a (possibly dotted) path names, and the message that declares it.
    private func resolve(_ path: [String], in root: MessageModel, template: String) throws(CodeGenError) -> (FieldModel, MessageModel) {
        var current = root
        for (index, name) in path.enumerated() {
            guard let field = current.fields.first(where: { $0.name == name }) else {
                throw CodeGenError("path template '\(template)': \(current.fullName) has no field '\(name)'")
            }
            if index == path.count - 1 { return (field, current) }
            guard field.type == .message, field.label != .repeated else {
                throw CodeGenError("path template '\(template)': '\(name)' in \(current.fullName) is not a message field")
            }
            current = try message(field.typeName)
        }
        throw CodeGenError("path template '\(template)': an empty field path")
    }

    private mutating func pathParameter(_ variable: PathTemplate.Variable, in request: MessageModel, template: String) throws(CodeGenError) -> JSONValue {
        let (field, _) = try resolve(variable.fieldPath, in: request, template: template)
        guard field.label != .repeated, field.type != .message || WellKnownSchemas.isQueryValue(field.typeName) else {
            throw CodeGenError("path template '\(template)': '\(variable.name)' must be a singular scalar field")
        }
        var description = ProtoComment(field.comment).text
        if variable.isMultiSegment {
            let note = "Matches `\(variable.segments)`: the value spans several path segments and contains `/`."
            description = description.isEmpty ? note : description + "\n\n" + note
        }
        var parameter: JSONObject = ["name": .string(variable.name), "in": "path", "required": true]
        if !description.isEmpty { parameter["description"] = .string(description) }
        parameter["schema"] = try schemas.valueSchema(field)
        return .object(parameter)
    }

    /// Query parameters for every scalar, enum or well-known-value field not bound by the path or the
    /// body, nested messages flattened to `a.b` (JSON names); maps and repeated messages cannot be
    /// written in a query and are left out.
    private mutating func queryParameters(
        _ message: MessageModel, prefix: [String], jsonPrefix: [String], bound: Set<String>, body: String, visited: Set<String>
    ) throws(CodeGenError) -> [JSONValue] {
        var parameters: [JSONValue] = []
        for field in message.fields {
            let path = prefix + [field.name]
            let jsonPath = jsonPrefix + [OpenAPISchemas.jsonName(field)]
            if bound.contains(path.joined(separator: ".")) || (prefix.isEmpty && field.name == body) { continue }
            if field.type == .message && !WellKnownSchemas.isQueryValue(field.typeName) {
                guard field.label != .repeated, WellKnownSchemas.schema(for: field.typeName) == nil, !visited.contains(field.typeName)
                else { continue }
                parameters += try queryParameters(
                    try self.message(field.typeName), prefix: path, jsonPrefix: jsonPath, bound: bound, body: body,
                    visited: visited.union([field.typeName]))
                continue
            }
            var parameter: JSONObject = ["name": .string(jsonPath.joined(separator: ".")), "in": "query"]
            let comment = ProtoComment(field.comment)
            if !comment.isEmpty { parameter["description"] = .string(comment.text) }
            parameter["schema"] = try schemas.valueSchema(field)
            parameters.append(.object(parameter))
        }
        return parameters
    }

    private mutating func requestBody(_ request: MessageModel, binding: HTTPRuleModel, template: PathTemplate) throws(CodeGenError) -> JSONValue? {
        switch binding.body {
        case "": return nil
        case "*":
            let pathFields = Set(template.variables.filter { $0.fieldPath.count == 1 }.map { $0.fieldPath[0] })
            if pathFields.isEmpty { return try schemas.schema(ofType: request.fullName) }
            // The path supplies some fields: the body is the rest of the request.
            return .object(try schemas.messageSchema(request, excluding: pathFields))
        default:
            let (field, owner) = try resolve([binding.body], in: request, template: binding.path)
            return try schemas.fieldSchema(field, in: owner)
        }
    }

    private mutating func responses(_ route: Route, comment: ProtoComment) throws(CodeGenError) -> JSONObject {
        let status = HTTPSuccessStatus.forMethod(route.method.name, httpMethod: route.binding.method)
        let schema: JSONValue
        if route.binding.responseBody.isEmpty {
            schema = try schemas.schema(ofType: route.method.outputType)
        } else {
            let (field, owner) = try resolve([route.binding.responseBody], in: try message(route.method.outputType), template: route.binding.path)
            schema = try schemas.fieldSchema(field, in: owner)
        }
        var responses: JSONObject = [
            String(status): ["description": status == 201 ? "Created." : "OK.", "content": ["application/json": ["schema": schema]]]
        ]
        // The codes the comment names, and those the edge itself returns.
        var codes = comment.errorCodes
        for code in ["INVALID_ARGUMENT", "RESOURCE_EXHAUSTED"] + (Self.needsNoToken(route) ? [] : ["UNAUTHENTICATED"]) where !codes.contains(code) {
            codes.append(code)
        }
        var byStatus: [Int: [String]] = [:]
        for code in codes { byStatus[GRPCStatusName.httpStatus[code]!, default: []].append(code) }
        for httpStatus in byStatus.keys.sorted() {
            var text = byStatus[httpStatus]!.map { "`\($0)`" }.joined(separator: ", ") + "."
            if let note = Self.edgeNotes[httpStatus] { text += " " + note }
            // OpenAPI 3.1 lets a reference override the description of what it refers to.
            responses[String(httpStatus)] = ["$ref": "#/components/responses/Error", "description": .string(text)]
        }
        responses["default"] = ["$ref": "#/components/responses/Error"]
        return responses
    }

    /// What the edge adds to an HTTP status beyond the service's own errors.
    static let edgeNotes: [Int: String] = [
        400: "Also a request the gateway cannot read: malformed JSON, an unknown field, a value of the wrong type.",
        401: "A missing, malformed, expired or badly signed access token.",
        429: "Rate limited: `Retry-After` says when to try again.",
    ]
}
