/// The first HEADERS frame of a gRPC response that carries messages (Response-Headers in PROTOCOL-HTTP2).
///
/// `Response-Headers → HTTP-Status [Message-Encoding] [Message-Accept-Encoding] Content-Type *Custom-Metadata`.
/// The server builds the fields with `headers()`; the client checks them with `parse(_:)`. A response that ends
/// in its first HEADERS frame is Trailers-Only instead: see `GRPCTrailers(parsingTrailersOnly:)`.
public struct GRPCResponseHead: Hashable, Sendable {
    /// The `content-type`, `application/grpc` or a `+subtype` of it.
    public var contentType: String
    /// The compression of the response messages (`grpc-encoding`); `identity` sends no header.
    public var encoding: GRPCMessageCompression
    /// The encodings the sender accepts (`grpc-accept-encoding`); empty sends no header.
    public var acceptEncodings: [GRPCMessageCompression]
    /// Custom response metadata.
    public var metadata: Metadata

    /// Creates a response head.
    public init(
        contentType: String = GRPCRequestHead.defaultContentType,
        encoding: GRPCMessageCompression = .identity,
        acceptEncodings: [GRPCMessageCompression] = [],
        metadata: Metadata = [:]
    ) {
        self.contentType = contentType
        self.encoding = encoding
        self.acceptEncodings = acceptEncodings
        self.metadata = metadata
    }

    /// The HEADERS fields: `:status 200`, `content-type`, `grpc-encoding`, `grpc-accept-encoding`, metadata.
    /// Fails with INTERNAL for invalid custom metadata (see `GRPCMetadataCoding`).
    public func headers() throws(RPCError) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = [(":status", "200"), ("content-type", contentType)]
        if encoding.isCompressing { fields.append(("grpc-encoding", encoding.name)) }
        if !acceptEncodings.isEmpty {
            fields.append(("grpc-accept-encoding", GRPCMessageCompression.acceptEncodingValue(acceptEncodings)))
        }
        try GRPCMetadataCoding.encode(metadata, into: &fields)
        return fields
    }

    /// Checks a response's first HEADERS frame (without END_STREAM); `nil` for an informational 1xx response,
    /// whose fields are to be skipped while waiting for the real ones (RFC 9113 §8.1).
    ///
    /// Fails with the error the call ends with: INTERNAL for a missing `:status` or an unsupported `grpc-encoding`
    /// ("Data sent from a server compressed with an algorithm not supported by the client WILL result in an INTERNAL
    /// error"); for a status other than 200 or a content-type other than gRPC's, the code mapped from the HTTP
    /// status by `GRPCStatusMapping` (200 with a foreign content-type is UNKNOWN).
    public static func parse(_ fields: [(name: String, value: String)]) throws(RPCError) -> GRPCResponseHead? {
        var httpStatus: Int?
        var contentType: String?
        var encodingName: String?
        // Services send one grpc-accept-encoding field: no array for it.
        var firstAccept: String?
        var moreAccepts: [String] = []
        for (name, value) in fields {
            switch name {
            case ":status" where httpStatus == nil: httpStatus = Int(value) ?? -1
            case "content-type" where contentType == nil: contentType = value
            case "grpc-encoding" where encodingName == nil: encodingName = value
            case "grpc-accept-encoding":
                if firstAccept == nil { firstAccept = value } else { moreAccepts.append(value) }
            default: break
            }
        }
        guard let httpStatus, (100...599).contains(httpStatus) else {
            throw RPCError(code: .internal, message: "the response has no valid :status")
        }
        if httpStatus < 200 { return nil }
        guard httpStatus == 200 else {
            throw RPCError(
                code: GRPCStatusMapping.statusCode(forHTTPStatus: httpStatus),
                message: "unexpected HTTP status \(httpStatus)"
            )
        }
        guard let contentType, GRPCRequestHead.isGRPCContentType(contentType) else {
            throw RPCError(
                code: GRPCStatusMapping.statusCode(forHTTPStatus: httpStatus),
                message: "unexpected content-type \(contentType.map { "\"\($0.prefix(64))\"" } ?? "(none)")"
            )
        }
        var encoding = GRPCMessageCompression.identity
        if let encodingName {
            guard let known = GRPCMessageCompression(name: encodingName.trimmingASCIIWhitespace()) else {
                throw RPCError(
                    code: .internal,
                    message: "the response grpc-encoding \"\(encodingName.prefix(32))\" is not supported (supported: "
                        + GRPCMessageCompression.acceptEncodingValue(GRPCMessageCompression.all) + ")"
                )
            }
            encoding = known
        }
        return GRPCResponseHead(
            contentType: contentType,
            encoding: encoding,
            acceptEncodings: firstAccept.map { first in
                moreAccepts.isEmpty
                    ? GRPCMessageCompression.parseAcceptEncoding(first) : GRPCMessageCompression.parseAcceptEncoding([first] + moreAccepts)
            } ?? [],
            metadata: GRPCMetadataCoding.decode(fields)
        )
    }
}
