/// The end of a gRPC response: `grpc-status`, `grpc-message`, `grpc-status-details-bin` and trailing metadata.
///
/// PROTOCOL-HTTP2: `Trailers → Status [Status-Message] *Custom-Metadata`, sent even for OK ("Status must be sent in
/// Trailers even if the status code is OK"), and `Trailers-Only → HTTP-Status Content-Type Trailers` in a single
/// HEADERS frame for a call that fails before any response. The server builds the fields with `headers()` or
/// `trailersOnlyHeaders(...)`; the client parses them with `init(parsing:)` or `init(parsingTrailersOnly:)`, which
/// never fail: a missing or malformed status is synthesised, as the spec requires ("Implementations must synthesize
/// a Status & Status-Message to propagate to the application layer when this occurs").
public struct GRPCTrailers: Hashable, Sendable {
    /// The metadata key that carries a serialized `google.rpc.Status` with error details.
    public static let statusDetailsKey = "grpc-status-details-bin"

    /// The call's status.
    public var status: StatusCode
    /// The status message (plain text here; percent-encoded on the wire). Empty for none.
    public var message: String
    /// A serialized `google.rpc.Status` (`grpc-status-details-bin`), if any.
    public var statusDetails: [UInt8]?
    /// Trailing custom metadata.
    public var metadata: Metadata

    /// Creates trailers.
    public init(
        status: StatusCode = .ok, message: String = "", statusDetails: [UInt8]? = nil, metadata: Metadata = [:]
    ) {
        self.status = status
        self.message = message
        self.statusDetails = statusDetails
        self.metadata = metadata
    }

    /// The trailers that report `error`; a `grpc-status-details-bin` value in its metadata becomes `statusDetails`.
    public init(error: RPCError) {
        var metadata = error.metadata
        let details = metadata[binaryValues: Self.statusDetailsKey].first
        metadata.removeAll(forKey: Self.statusDetailsKey)
        self.init(status: error.code, message: error.message, statusDetails: details, metadata: metadata)
    }

    /// The outcome for the application: the trailing metadata when the status is OK, otherwise the error (with
    /// `statusDetails` in its metadata under `grpc-status-details-bin`).
    public var result: Result<Metadata, RPCError> {
        guard status != .ok else { return .success(metadata) }
        var errorMetadata = metadata
        if let statusDetails { errorMetadata.addBinary(statusDetails, forKey: Self.statusDetailsKey) }
        return .failure(RPCError(code: status, message: message, metadata: errorMetadata))
    }

    /// The trailing HEADERS fields. Never fails: if the custom metadata is invalid, the fields report INTERNAL
    /// with the reason instead (the call must still end with a status).
    public func headers() -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        appendFields(to: &fields)
        return fields
    }

    /// A Trailers-Only response: `:status`, `content-type`, optionally `grpc-accept-encoding`, then the trailers,
    /// all in one HEADERS frame with END_STREAM. `httpStatus` is 200 except for errors the server answers at the
    /// HTTP level (415 for a wrong content-type).
    public func trailersOnlyHeaders(
        httpStatus: Int = 200,
        contentType: String = GRPCRequestHead.defaultContentType,
        acceptEncodings: [GRPCMessageCompression] = []
    ) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = [(":status", String(httpStatus)), ("content-type", contentType)]
        if !acceptEncodings.isEmpty {
            fields.append(("grpc-accept-encoding", GRPCMessageCompression.acceptEncodingValue(acceptEncodings)))
        }
        appendFields(to: &fields)
        return fields
    }

    /// Parses the trailing HEADERS of a response whose headers arrived earlier. A missing `grpc-status` is
    /// UNKNOWN (the mapping of HTTP 200 in `doc/http-grpc-status-mapping.md`); a malformed one is UNKNOWN too.
    public init(parsing fields: [(name: String, value: String)]) {
        self.init(status: .unknown, message: "")
        if !parseStatus(fields) {
            status = .unknown
            message = "the response trailers carry no grpc-status"
        }
    }

    /// Parses a Trailers-Only response (the first HEADERS frame carries END_STREAM).
    ///
    /// A present `grpc-status` is used ("If grpc-status was provided, it must be used"). Without one the status
    /// comes from the HTTP status through `GRPCStatusMapping` (a proxy's 503 becomes UNAVAILABLE); a missing or
    /// malformed `:status` is INTERNAL.
    public init(parsingTrailersOnly fields: [(name: String, value: String)]) {
        self.init(status: .unknown, message: "")
        if parseStatus(fields) { return }
        guard let value = fields.first(where: { $0.name == ":status" })?.value, let httpStatus = Int(value) else {
            status = .internal
            message = "the response has no valid :status"
            return
        }
        status = GRPCStatusMapping.statusCode(forHTTPStatus: httpStatus)
        let contentType = fields.first(where: { $0.name == "content-type" })?.value
        if httpStatus == 200, let contentType, GRPCRequestHead.isGRPCContentType(contentType) {
            message = "the response carries no grpc-status"
        } else {
            message = "unexpected HTTP status \(httpStatus) without grpc-status"
            if let contentType { message += " (content-type \(contentType))" }
        }
    }

    /// Reads `grpc-status`, `grpc-message`, `grpc-status-details-bin` and the metadata; false if there is no
    /// `grpc-status`.
    private mutating func parseStatus(_ fields: [(name: String, value: String)]) -> Bool {
        metadata = GRPCMetadataCoding.decode(fields)
        var statusValue: String?
        for (name, value) in fields {
            switch name {
            case "grpc-status" where statusValue == nil: statusValue = value
            case "grpc-message" where message.isEmpty: message = GRPCStatusMessage.decode(value)
            case Self.statusDetailsKey where statusDetails == nil:
                statusDetails = Base64.decode(value.trimmingASCIIWhitespace())
            default: break
            }
        }
        guard let statusValue else { return false }
        // Status → 1*DIGIT, and peers map codes they do not know to UNKNOWN.
        let isDigits = statusValue.utf8.count <= 3 && statusValue.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        if isDigits, let code = Int(statusValue), (0...16).contains(code) {
            status = StatusCode(rawValue: code)
        } else {
            status = .unknown
            let shown = String(statusValue.prefix(16))
            let note = "invalid grpc-status \"\(shown)\""
            message = message.isEmpty ? note : "\(message) (\(note))"
        }
        return true
    }

    /// Appends `grpc-status`, `grpc-message`, `grpc-status-details-bin` and the custom metadata.
    private func appendFields(to fields: inout [(name: String, value: String)]) {
        var custom: [(name: String, value: String)] = []
        var status = self.status
        var message = self.message
        do {
            try GRPCMetadataCoding.encode(metadata, into: &custom)
        } catch {
            status = .internal
            message = "invalid trailing metadata: \(error.message)"
            custom = []
        }
        fields.append(("grpc-status", String(status.rawValue)))
        if !message.isEmpty { fields.append(("grpc-message", GRPCStatusMessage.encode(message))) }
        if let statusDetails { fields.append((Self.statusDetailsKey, Base64.encode(statusDetails))) }
        fields.append(contentsOf: custom)
    }
}
