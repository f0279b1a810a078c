import AudoticsRedis

#if canImport(Glibc)
import Glibc
#endif

/// Reads the test environment that `tools/test` sets up.
enum TestEnvironment {
    static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}

/// A minimal blocking TCP client for live tests (the production client runs on NIO; see issue 4).
final class BlockingSocket {
    private let descriptor: Int32

    /// Connects to `redis://host:port` (no authentication or database selection: the test server has none).
    init(url: String) throws {
        guard url.hasPrefix("redis://") else { throw RedisError(code: .connectionFailed, message: "expected a redis:// URL") }
        let authority = url.dropFirst("redis://".count).prefix { $0 != "/" }
        let hostPort = authority.split(separator: "@").last.map(String.init) ?? ""
        let parts = hostPort.split(separator: ":", maxSplits: 1)
        let host = parts.first.map(String.init) ?? "127.0.0.1"
        let port = parts.count > 1 ? String(parts[1]) : "6379"
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, port, &hints, &results) == 0, let first = results else {
            throw RedisError(code: .connectionFailed, message: "cannot resolve \(host):\(port)")
        }
        defer { freeaddrinfo(results) }
        let descriptor = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard descriptor >= 0 else { throw RedisError(code: .connectionFailed, message: "socket() failed: errno \(errno)") }
        guard Glibc.connect(descriptor, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            close(descriptor)
            throw RedisError(code: .connectionFailed, message: "cannot connect to \(host):\(port): errno \(errno)")
        }
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let result = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard result > 0 else { throw RedisError(code: .connectionFailed, message: "send failed: errno \(errno)") }
            sent += result
        }
    }

    func receive() throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        let result = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        guard result > 0 else { throw RedisError(code: .connectionFailed, message: "receive failed or connection closed") }
        return Array(buffer.prefix(result))
    }
}
