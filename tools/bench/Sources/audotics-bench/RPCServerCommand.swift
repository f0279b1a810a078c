import ArgumentParser
import AudoticsEchoServer
import Synchronization
import GRPCSwiftEchoServer

#if canImport(Glibc)
import Glibc
#endif

/// `audotics-bench rpc-server`: the RPC benchmark's echo server, on our fabric or on grpc-swift 2.
/// `tools/bench/rpc-bench` starts it pinned to one core and loads it with h2load.
struct RPCServerCommand: AsyncParsableCommand {
    enum Implementation: String, ExpressibleByArgument, CaseIterable {
        case audotics
        case grpcSwift = "grpc-swift"
    }

    static let configuration = CommandConfiguration(
        commandName: "rpc-server",
        abstract: "Serve the benchmark's echo service (bench.Echo/Unary, bench.Echo/Stream) until SIGINT or SIGTERM.",
        discussion: """
            Unary answers each message with itself; Stream takes 8 bytes (count, size: little-endian UInt32s) \
            and answers with count messages of size bytes. Raw bytes, no protobuf. Prints "listening on PORT" \
            once bound, and on SIGINT/SIGTERM the number of calls that ended with status OK.
            """
    )

    @Option(name: .long, help: "Which server: \(Implementation.allCases.map(\.rawValue).joined(separator: ", ")).")
    var impl: Implementation

    @Option(name: .long, help: "TCP port to listen on (0 picks a free one).")
    var port: Int

    @Option(name: .long, help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Event-loop threads.")
    var threads = 1

    @Option(name: .long, help: "PEM certificate chain file (enables TLS).")
    var tlsCert: String?

    @Option(name: .long, help: "PEM private key file of the certificate.")
    var tlsKey: String?

    func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
    }

    func run() async throws {
        let impl = self.impl
        // Report the calls served when the driver stops the server.
        servingImplementation.store(impl == .audotics ? 1 : 2, ordering: .relaxed)
        signal(SIGINT, reportAndExit)
        signal(SIGTERM, reportAndExit)
        let security = tlsCert == nil ? "h2c" : "TLS"
        let onListening: @Sendable (Int) -> Void = { port in
            print("\(impl.rawValue) listening on \(port) (\(security))")
            fflush(nil)
        }
        switch impl {
        case .audotics:
            try await AudoticsEchoServer.serve(
                host: host, port: port, threads: threads, tlsCert: tlsCert, tlsKey: tlsKey, onListening: onListening)
        case .grpcSwift:
            try await GRPCSwiftEchoServer.serve(
                host: host, port: port, threads: threads, tlsCert: tlsCert, tlsKey: tlsKey, onListening: onListening)
        }
    }
}

/// Which server this process runs (1: audotics, 2: grpc-swift), for the signal handler.
private let servingImplementation = Atomic<Int>(0)

/// SIGINT/SIGTERM: print the calls that ended with status OK and exit.
private func reportAndExit(_: Int32) {
    let (calls, streamed) = servingImplementation.load(ordering: .relaxed) == 1
        ? (AudoticsEchoServer.calls.load(ordering: .relaxed), AudoticsEchoServer.streamedMessages.load(ordering: .relaxed))
        : (GRPCSwiftEchoServer.calls.load(ordering: .relaxed), GRPCSwiftEchoServer.streamedMessages.load(ordering: .relaxed))
    print("calls ok: \(calls), streamed messages: \(streamed)")
    fflush(nil)
    _exit(0)
}
