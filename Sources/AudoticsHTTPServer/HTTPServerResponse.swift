/// A complete response for the server to send: status, header fields and the whole body.
///
/// The server owns the framing: it sets `content-length` itself (a handler's own `content-length` and
/// `transfer-encoding` are dropped), decides `connection` for HTTP/1 (a handler's `connection: close` is
/// honoured), drops connection-specific fields on HTTP/2, drops fields whose name or value could split the
/// response (CR, LF, NUL, or an invalid name), and sends no body for HEAD, 1xx, 204 and 304.
public struct HTTPServerResponse: Sendable {
    /// The status code, 200...999 (anything else, including 1xx, is sent as 500).
    public var status: Int
    /// Header fields in order; names are sent lower-cased on HTTP/2 and as given on HTTP/1.
    public var headers: [(name: String, value: String)]
    /// The whole body.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
