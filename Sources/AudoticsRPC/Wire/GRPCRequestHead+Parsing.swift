extension GRPCRequestHead {
    /// Validates a request's HEADERS fields on the server, in this order:
    ///
    /// 1. `:method` must be `POST` (`Method → ":method POST"`), else 405 with INTERNAL.
    /// 2. `:scheme` must be `http` or `https`, else 400 with INTERNAL.
    /// 3. `content-type` must be gRPC's, else 415 with INTERNAL ("If Content-Type does not begin with
    ///    "application/grpc", gRPC servers SHOULD respond with HTTP status of 415").
    /// 4. `:path` must be `/<service>/<method>` with both parts non-empty, else UNIMPLEMENTED (the call names no
    ///    method this server has).
    /// 5. `grpc-timeout`, when present, must parse (`GRPCTimeout`), else 400 with INTERNAL, as grpc-go answers.
    /// 6. `grpc-encoding`, when present and not `identity`, must be one of `supportedEncodings`, else UNIMPLEMENTED
    ///    naming the supported ones (`doc/compression.md`); answer with `responseHeaders(acceptEncodings:)`, which
    ///    lists them in `grpc-accept-encoding`.
    ///
    /// A missing `te: trailers` is accepted and reported in `hasTETrailers`. The first of repeated singular fields
    /// counts. Never traps, whatever the input.
    public init(
        parsing fields: [(name: String, value: String)],
        supportedEncodings: [GRPCMessageCompression] = GRPCMessageCompression.all
    ) throws(GRPCRequestHeadError) {
        try self.init(parsingFields: { body in for (name, value) in fields { body(name, value) } }, supportedEncodings: supportedEncodings)
    }

    /// Validates a request's HEADERS fields like `init(parsing:supportedEncodings:)`, reading them through
    /// `forEachField`, which calls its argument once per field in order (a transport passes its own header
    /// storage this way, without building an array of pairs first).
    public init(
        parsingFields forEachField: ((_ name: String, _ value: String) -> Void) -> Void,
        supportedEncodings: [GRPCMessageCompression] = GRPCMessageCompression.all
    ) throws(GRPCRequestHeadError) {
        let fields = try ValidatedRequestFields(forEachField, supportedEncodings: supportedEncodings)
        // Validation checked the path's shape.
        let (service, method) = Self.parsePath(fields.path) ?? ("", "")
        self.init(
            service: String(service),
            method: String(method),
            scheme: fields.scheme,
            authority: fields.authority,
            timeout: fields.timeout,
            contentType: fields.contentType,
            encoding: fields.encoding,
            acceptEncodings: fields.acceptEncodings,
            userAgent: fields.userAgent,
            metadata: fields.metadata
        )
        self.hasTETrailers = fields.hasTETrailers
    }

    /// A received value quoted for an error message: at most 64 characters, non-printable bytes as `?`.
    static func shownValue(_ value: String?) -> String { shown(value) }

    /// Whether `path` has the shape `/service/method`, both parts non-empty: the server's per-call test, which needs
    /// no substrings.
    static func isServiceMethodPath(_ path: String) -> Bool {
        methodSlashOffset(path) != nil
    }

    /// Splits `/service/method` into its two non-empty parts; `nil` for any other shape.
    static func parsePath(_ path: String) -> (Substring, Substring)? {
        guard let offset = methodSlashOffset(path) else { return nil }
        let utf8 = path.utf8
        let slash = utf8.index(utf8.startIndex, offsetBy: offset)
        return (path[utf8.index(after: utf8.startIndex)..<slash], path[utf8.index(after: slash)...])
    }

    /// The byte offset of the `/` between service and method when `path` is `/service/method` with both parts
    /// non-empty, checked on its bytes; `nil` for any other shape.
    private static func methodSlashOffset(_ path: String) -> Int? {
        if let result = path.utf8.withContiguousStorageIfAvailable(methodSlashOffset) { return result }
        return Array(path.utf8).withUnsafeBufferPointer(methodSlashOffset)
    }

    private static func methodSlashOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard bytes.count >= 4, bytes[0] == UInt8(ascii: "/") else { return nil }
        var slash = 0
        for index in 1..<bytes.count where bytes[index] == UInt8(ascii: "/") {
            guard slash == 0 else { return nil }
            slash = index
        }
        return slash > 1 && slash < bytes.count - 1 ? slash : nil
    }

    /// A received value quoted for an error message: at most 64 characters, non-printable bytes as `?`.
    private static func shown(_ value: String?) -> String {
        guard let value else { return "(none)" }
        let printable = value.utf8.prefix(64).map { $0 >= 0x20 && $0 <= 0x7E ? $0 : UInt8(ascii: "?") }
        return "\"" + String(decoding: printable, as: UTF8.self) + (value.utf8.count > 64 ? "…\"" : "\"")
    }
}

/// What a server needs from a request's HEADERS, validated exactly as `GRPCRequestHead(parsing:)` validates them,
/// without the parts it does not use (the service and method names as separate strings, scheme, authority): the
/// transport's per-call path.
public struct GRPCServerRequestHead: Sendable {
    /// The `:path`, `/<service>/<method>` (validated), for looking up the handler.
    public var path: String
    /// The time the call may take (`grpc-timeout`); `nil` for none.
    public var timeout: Duration?
    /// The compression of the request messages (`grpc-encoding`).
    public var encoding: GRPCMessageCompression
    /// The encodings the client accepts for responses (`grpc-accept-encoding`).
    public var acceptEncodings: [GRPCMessageCompression]
    /// Custom metadata (every non-reserved field, `user-agent` included).
    public var metadata: Metadata

    /// Validates the fields `forEachField` passes (see `GRPCRequestHead(parsingFields:supportedEncodings:)`).
    public init(
        parsingFields forEachField: ((_ name: String, _ value: String) -> Void) -> Void,
        supportedEncodings: [GRPCMessageCompression] = GRPCMessageCompression.all
    ) throws(GRPCRequestHeadError) {
        let fields = try ValidatedRequestFields(forEachField, supportedEncodings: supportedEncodings)
        path = fields.path
        timeout = fields.timeout
        encoding = fields.encoding
        acceptEncodings = fields.acceptEncodings
        metadata = fields.metadata
    }
}

/// One pass over a request's HEADERS fields and their validation, shared by `GRPCRequestHead` and
/// `GRPCServerRequestHead` (see the order of checks on `GRPCRequestHead.init(parsing:supportedEncodings:)`).
struct ValidatedRequestFields {
    var scheme: String
    var path: String
    var authority: String?
    var contentType: String
    var timeout: Duration?
    var encoding: GRPCMessageCompression
    var acceptEncodings: [GRPCMessageCompression]
    var userAgent: String?
    var hasTETrailers: Bool
    var metadata: Metadata

    init(
        _ forEachField: ((_ name: String, _ value: String) -> Void) -> Void, supportedEncodings: [GRPCMessageCompression]
    ) throws(GRPCRequestHeadError) {
        var httpMethod: String?
        var scheme: String?
        var path: String?
        var authority: String?
        var contentType: String?
        var timeoutValue: String?
        var encodingName: String?
        var acceptValues: [String] = []
        var userAgent: String?
        var hasTETrailers = false
        // Custom metadata is collected in the same pass: fields the switch takes are reserved names (except
        // user-agent, which is also metadata); every other one goes through the metadata rules.
        var metadata = Metadata()
        forEachField { name, value in
            // Dispatch on the name's length first: a String comparison that fails is slow, and most would.
            switch (name.utf8.count, name) {
            case (7, ":method") where httpMethod == nil: httpMethod = value
            case (7, ":scheme") where scheme == nil: scheme = value
            case (5, ":path") where path == nil: path = value
            case (10, ":authority") where authority == nil: authority = value
            case (12, "content-type") where contentType == nil: contentType = value
            case (12, "grpc-timeout") where timeoutValue == nil: timeoutValue = value
            case (13, "grpc-encoding") where encodingName == nil: encodingName = value
            case (20, "grpc-accept-encoding"): acceptValues.append(value)
            case (10, "user-agent"):
                if userAgent == nil { userAgent = value }
                GRPCMetadataCoding.decode(name: name, value: value, into: &metadata)
            case (2, "te"): hasTETrailers = hasTETrailers || value == "trailers" || value.trimmingASCIIWhitespace() == "trailers"
            default: GRPCMetadataCoding.decode(name: name, value: value, into: &metadata)
            }
        }

        guard httpMethod == "POST" else {
            throw GRPCRequestHeadError(
                httpStatus: 405, code: .internal, message: "gRPC requires :method POST, not \(GRPCRequestHead.shownValue(httpMethod))"
            )
        }
        guard let scheme, scheme == "http" || scheme == "https" else {
            throw GRPCRequestHeadError(
                httpStatus: 400, code: .internal,
                message: "gRPC requires :scheme http or https, not \(GRPCRequestHead.shownValue(scheme))"
            )
        }
        guard let contentType, GRPCRequestHead.isGRPCContentType(contentType) else {
            throw GRPCRequestHeadError(
                httpStatus: 415, code: .internal,
                message: "content-type \(GRPCRequestHead.shownValue(contentType)) is not application/grpc"
            )
        }
        guard let path, GRPCRequestHead.isServiceMethodPath(path) else {
            throw GRPCRequestHeadError(
                code: .unimplemented, message: ":path \(GRPCRequestHead.shownValue(path)) is not of the form /service/method"
            )
        }
        var timeout: Duration?
        if let timeoutValue {
            guard let parsed = GRPCTimeout(parsing: timeoutValue) else {
                throw GRPCRequestHeadError(
                    httpStatus: 400, code: .internal, message: "malformed grpc-timeout \(GRPCRequestHead.shownValue(timeoutValue))"
                )
            }
            timeout = parsed.duration
        }
        var encoding = GRPCMessageCompression.identity
        if let encodingName {
            let known = encodingName.hasSurroundingASCIIWhitespace
                ? GRPCMessageCompression(name: encodingName.trimmingASCIIWhitespace()) : GRPCMessageCompression(name: encodingName)
            if let known, known == .identity || supportedEncodings.contains(known) {
                encoding = known
            } else {
                let supported = ([.identity] + supportedEncodings.filter { $0 != .identity }).map(\.name)
                throw GRPCRequestHeadError(
                    code: .unimplemented,
                    message: "grpc-encoding \(GRPCRequestHead.shownValue(encodingName)) is not supported (supported: "
                        + supported.joined(separator: ", ") + ")"
                )
            }
        }
        self.scheme = scheme
        self.path = path
        self.authority = authority
        self.contentType = contentType
        self.timeout = timeout
        self.encoding = encoding
        self.acceptEncodings = GRPCMessageCompression.parseAcceptEncoding(acceptValues)
        self.userAgent = userAgent
        self.hasTETrailers = hasTETrailers
        self.metadata = metadata
    }
}
