import AudoticsRPC
import AudoticsTLS
import AudoticsTransport
import Synchronization

/// The RPC benchmark's echo service on our fabric (`GRPCServer` from AudoticsTransport), raw bytes,
/// no protobuf: `bench.Echo/Unary` answers each request message with itself; `bench.Echo/Stream`
/// answers each request message (8 bytes: count and size, little-endian `UInt32`s) with `count`
/// messages of `size` bytes. The same service is in GRPCSwiftEchoServer, on grpc-swift 2.
public enum AudoticsEchoServer {
    /// Calls that ended normally (status OK), and messages written by `Stream`.
    public static let calls = Atomic<Int>(0)
    public static let streamedMessages = Atomic<Int>(0)

    /// Serves until the process ends; `onListening` gets the bound port.
    public static func serve(
        host: String, port: Int, threads: Int, tlsCert: String?, tlsKey: String?,
        onListening: @Sendable (Int) -> Void
    ) async throws {
        var router = RPCRouter()
        router.registerUnary(MethodDescriptor(service: "bench.Echo", method: "Unary", kind: .unary)) { request, _ in
            calls.add(1, ordering: .relaxed)
            return request
        }
        router.register(MethodDescriptor(service: "bench.Echo", method: "Stream", kind: .serverStreaming)) { requests, responses, _ in
            for try await request in requests {
                let (count, size) = try StreamRequest.decode(request)
                let payload = [UInt8](repeating: 0x61, count: size)
                for _ in 0..<count { try await responses.write(payload) }
                streamedMessages.add(count, ordering: .relaxed)
            }
            calls.add(1, ordering: .relaxed)
        }
        var configuration = GRPCServerConfiguration(host: host, port: port, threads: threads)
        if let tlsCert, let tlsKey {
            configuration.tls = try ReloadableTLSContext(
                configuration: .server(certificateChainFile: tlsCert, privateKeyFile: tlsKey))
        }
        let server = try await GRPCServer(configuration: configuration, router: router).start()
        onListening(server.port)
        try await server.waitUntilClosed()
    }
}

/// The `Stream` request: 8 bytes, message count and message size as little-endian `UInt32`s.
enum StreamRequest {
    struct Malformed: Error {}

    static func decode(_ bytes: [UInt8]) throws -> (count: Int, size: Int) {
        guard bytes.count == 8 else { throw Malformed() }
        func word(_ at: Int) -> Int { (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
        return (word(0), word(4))
    }
}
