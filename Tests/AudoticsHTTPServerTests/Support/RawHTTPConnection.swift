import Glibc

/// A blocking TCP connection to a test server that writes hand-made HTTP/1 bytes and reads responses back.
///
/// `@unchecked Sendable`: a test creates it and uses it from one blocking thread at a time, never concurrently.
final class RawHTTPConnection: @unchecked Sendable {
    /// A response as read from the wire.
    struct Response {
        var version: String
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    private let fd: Int32
    private var inbound: [UInt8] = []
    private(set) var isClosed = false

    /// Connects to 127.0.0.1:`port`; reads give up after `timeout` seconds.
    init(port: Int, timeout: Int = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket() failed") }
        var interval = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else {
            Glibc.close(fd)
            throw Failure("connect() failed: errno \(errno)")
        }
    }

    deinit { close() }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(fd)
    }

    /// Sends `text` as UTF-8.
    func send(_ text: String) {
        send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return }
            offset += sent
        }
    }

    /// Reads more bytes; false at end of stream (or a reset).
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { throw Failure("timed out waiting for the server") }
        guard count > 0 else { return false }
        inbound.append(contentsOf: chunk[0..<count])
        return true
    }

    /// Reads one response; `head` when it answers a HEAD request (no body whatever the length says).
    func readResponse(head: Bool = false) throws -> Response {
        var headEnd: Int?
        while true {
            if let end = Self.find([13, 10, 13, 10], in: inbound) {
                headEnd = end
                break
            }
            guard try fill() else { throw Failure("closed before a response head: \(String(decoding: inbound, as: UTF8.self))") }
        }
        let headText = String(decoding: inbound[..<headEnd!], as: UTF8.self)
        inbound.removeFirst(headEnd! + 4)
        var lines = headText.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2)
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Failure("bad status line in \(headText)") }
        let headers = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), String(line[line.index(after: colon)...].drop { $0 == " " }))
        }
        var response = Response(version: String(statusLine[0]), status: status, headers: headers, body: [])
        let length = head || status == 100 || status == 204 || status == 304 ? 0 : (response.header("content-length").flatMap { Int($0) } ?? 0)
        while inbound.count < length {
            guard try fill() else { throw Failure("closed inside a body") }
        }
        response.body = Array(inbound[..<length])
        inbound.removeFirst(length)
        return response
    }

    /// Reads until the server closes; returns the bytes that came meanwhile.
    func readUntilClosed() throws -> [UInt8] {
        while try fill() {}
        defer { inbound.removeAll() }
        return inbound
    }

    /// Bytes received but not yet parsed.
    var unread: [UInt8] { inbound }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for index in 0...(haystack.count - needle.count) where haystack[index..<(index + needle.count)].elementsEqual(needle) {
            return index
        }
        return nil
    }
}
