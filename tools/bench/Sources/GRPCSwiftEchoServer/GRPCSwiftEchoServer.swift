import GRPCCore
import GRPCNIOTransportHTTP2
import NIOPosix
import Synchronization

/// The RPC benchmark's baseline: the same echo service as AudoticsEchoServer, on grpc-swift 2
/// (`GRPCServer` with `HTTP2ServerTransport.Posix`), written the way its code generator writes a
/// service (a `RegistrableRPCService`; unary through `ServerRequest(stream:)` and
/// `StreamingServerResponse(single:)`), with a raw-bytes serializer instead of protobuf.
public enum GRPCSwiftEchoServer {
    /// Calls that ended normally (status OK), and messages written by `Stream`.
    public static let calls = Atomic<Int>(0)
    public static let streamedMessages = Atomic<Int>(0)

    /// Serves until the process ends; `onListening` gets the bound port.
    public static func serve(
        host: String, port: Int, threads: Int, tlsCert: String?, tlsKey: String?,
        onListening: @escaping @Sendable (Int) -> Void
    ) async throws {
        let security: HTTP2ServerTransport.Posix.TransportSecurity
        if let tlsCert, let tlsKey {
            security = .tls(
                certificateChain: [.file(path: tlsCert, format: .pem)],
                privateKey: .file(path: tlsKey, format: .pem))
        } else {
            security = .plaintext
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
        let transport = HTTP2ServerTransport.Posix(
            address: .ipv4(host: host, port: port), transportSecurity: security, eventLoopGroup: group)
        let server = GRPCServer(transport: transport, services: [EchoService()])
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask { try await server.serve() }
            if let address = try await transport.listeningAddress.ipv4 {
                onListening(address.port)
            }
        }
    }
}

struct EchoService: RegistrableRPCService {
    static let unary = MethodDescriptor(fullyQualifiedService: "bench.Echo", method: "Unary")
    static let stream = MethodDescriptor(fullyQualifiedService: "bench.Echo", method: "Stream")

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        router.registerHandler(forMethod: Self.unary, deserializer: RawBytes(), serializer: RawBytes()) { request, context in
            let single = try await ServerRequest(stream: request)
            let response = ServerResponse(message: single.message)
            GRPCSwiftEchoServer.calls.add(1, ordering: .relaxed)
            return StreamingServerResponse(single: response)
        }
        router.registerHandler(forMethod: Self.stream, deserializer: RawBytes(), serializer: RawBytes()) { request, context in
            let single = try await ServerRequest(stream: request)
            let (count, size) = try StreamRequest.decode(single.message)
            return StreamingServerResponse { writer in
                let payload = [UInt8](repeating: 0x61, count: size)
                for _ in 0..<count { try await writer.write(payload) }
                GRPCSwiftEchoServer.streamedMessages.add(count, ordering: .relaxed)
                GRPCSwiftEchoServer.calls.add(1, ordering: .relaxed)
                return [:]
            }
        }
    }
}

/// Messages as they are on the wire: no protobuf.
struct RawBytes: MessageSerializer, MessageDeserializer {
    typealias Message = [UInt8]

    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }

    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> [UInt8] {
        serializedMessageBytes.withUnsafeBytes { Array($0) }
    }
}

/// The `Stream` request: 8 bytes, message count and message size as little-endian `UInt32`s.
enum StreamRequest {
    static func decode(_ bytes: [UInt8]) throws -> (count: Int, size: Int) {
        guard bytes.count == 8 else { throw RPCError(code: .invalidArgument, message: "expected 8 bytes") }
        func word(_ at: Int) -> Int { (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
        return (word(0), word(4))
    }
}
