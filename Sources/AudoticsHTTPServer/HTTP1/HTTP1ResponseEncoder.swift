import NIOCore
import NIOHTTP1

/// Writes a complete HTTP/1 response (status line, fields, `content-length`, body) into one buffer.
enum HTTP1ResponseEncoder {
    /// `HTTP/1.1 100 Continue`, sent before reading a body the client holds back for it.
    static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Whether the handler asked to close the connection with `connection: close`.
    static func asksToClose(_ response: HTTPServerResponse) -> Bool {
        for field in response.headers where HTTPServerRequest.equalsIgnoringASCIICase(field.name, "connection") {
            for token in field.value.split(separator: ",") {
                let trimmed = token.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }
                if String(trimmed.reversed()).lowercased() == "close" { return true }
            }
        }
        return false
    }

    /// Room for the whole encoded response, so that encoding never grows the buffer: the status line,
    /// `content-length` and `connection` fit in the fixed part; each field takes its name, value, `: ` and CRLF.
    static func capacity(for response: HTTPServerResponse) -> Int {
        var size = 128 + response.body.count
        for (name, value) in response.headers { size += name.utf8.count + value.utf8.count + 4 }
        return size
    }

    /// Encodes `response` to a request of `version` (HEAD: `isHead`); `keepAlive` chooses the `connection` field.
    static func encode(
        _ response: HTTPServerResponse, version: HTTPVersion, isHead: Bool, keepAlive: Bool, into buffer: inout ByteBuffer
    ) {
        let status = ResponseFields.finalStatus(response.status)
        buffer.writeStaticString(version == .http1_0 ? "HTTP/1.0 " : "HTTP/1.1 ")
        if status == 200 {
            buffer.writeStaticString("200 OK\r\n")
        } else {
            buffer.writeUTF8(String(status))
            buffer.writeInteger(UInt8(ascii: " "))
            buffer.writeUTF8(HTTPResponseStatus(statusCode: status).reasonPhrase)
            buffer.writeStaticString("\r\n")
        }
        for (name, value) in response.headers
        where !ResponseFields.isFramingField(name) && !ResponseFields.isConnectionField(name) && ResponseFields.isSafe(name: name, value: value) {
            buffer.writeUTF8(name)
            buffer.writeStaticString(": ")
            buffer.writeUTF8(value)
            buffer.writeStaticString("\r\n")
        }
        if ResponseFields.hasContentLength(status: status) {
            buffer.writeStaticString("content-length: ")
            buffer.writeUTF8(String(response.body.count))
            buffer.writeStaticString("\r\n")
        }
        if !keepAlive {
            buffer.writeStaticString("connection: close\r\n")
        } else if version == .http1_0 {
            buffer.writeStaticString("connection: keep-alive\r\n")
        }
        buffer.writeStaticString("\r\n")
        if !isHead && ResponseFields.hasBody(status: status) {
            buffer.writeBytes(response.body)
        }
    }
}

extension ByteBuffer {
    /// Writes the UTF-8 of `text` in one copy, a small string's too (NIO's `writeString` copies those byte by
    /// byte).
    @inline(__always)
    mutating func writeUTF8(_ text: String) {
        var text = text
        text.withUTF8 { _ = writeBytes($0) }
    }
}
