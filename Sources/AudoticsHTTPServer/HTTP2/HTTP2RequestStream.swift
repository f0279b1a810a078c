import AudoticsHTTP2
import NIOCore

/// One HTTP/2 request stream on the server: its head, its body as it arrives, and the handler's work.
final class HTTP2RequestStream {
    let streamID: Int32
    let method: String
    let target: String
    let headers: [(name: String, value: String)]
    /// The body so far.
    var body: [UInt8] = []
    /// The declared `content-length`, if any (nghttp2 checks that the DATA received matches it).
    let declaredLength: Int?
    /// The handler's work once under way (a task that suspended, or a request `start` took); nil before it
    /// starts and after it finished inline.
    var work: HTTPServerWork?
    /// Whether the handler started (the request is complete).
    var started = false
    /// The body timeout, armed while the body is coming.
    var bodyTimer: Scheduled<Void>?

    init(streamID: Int32, method: String, target: String, headers: [(name: String, value: String)], declaredLength: Int?) {
        self.streamID = streamID
        self.method = method
        self.target = target
        self.headers = headers
        self.declaredLength = declaredLength
    }

    /// Parses a request's header block: pseudo-header fields out, `:authority` as `host`, cookies joined
    /// (RFC 9113 §8.3.1 and §8.2.3). nghttp2 already rejected blocks with missing or repeated pseudo-header
    /// fields, upper-case names or connection-specific fields.
    static func parse(streamID: Int32, _ fields: [HPACKHeader]) -> HTTP2RequestStream? {
        var method: String?
        var path: String?
        var authority: String?
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(fields.count)
        var cookies: [String] = []
        var declaredLength: Int?
        for field in fields {
            if field.name.utf8.first == UInt8(ascii: ":") {
                switch field.name {
                case ":method": method = field.value
                case ":path": path = field.value
                case ":authority": authority = field.value
                default: break
                }
            } else if field.name == "cookie" {
                cookies.append(field.value)
            } else if field.name == "host", authority != nil || fields.contains(where: { $0.name == ":authority" }) {
                continue
            } else {
                if field.name == "content-length" { declaredLength = Int(field.value) }
                headers.append((field.name, field.value))
            }
        }
        guard let method, let path else { return nil }
        if let authority { headers.insert(("host", authority), at: 0) }
        if !cookies.isEmpty { headers.append(("cookie", cookies.joined(separator: "; "))) }
        return HTTP2RequestStream(streamID: streamID, method: method, target: path, headers: headers, declaredLength: declaredLength)
    }
}

/// Confined to its connection's event loop.
@available(*, unavailable)
extension HTTP2RequestStream: Sendable {}
