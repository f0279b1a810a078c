import AudoticsHTTPServer
import AudoticsTLS
import Foundation

/// Starts a server with an `EchoHandler` for one test and stops it afterwards.
enum ServerFixture {
    /// Limits small enough for tests to reach quickly.
    static func testLimits(
        maxBodyBytes: Int = 1 << 20, maxHeaderBytes: Int = 16 << 10, maxConnections: Int = 100,
        headerReadTimeout: Duration = .seconds(5), bodyReadTimeout: Duration = .seconds(5), idleTimeout: Duration = .seconds(5),
        maxRequestsPerConnection: Int? = 1000, maxPipelinedRequests: Int = 16
    ) -> HTTPServerConfiguration.Limits {
        HTTPServerConfiguration.Limits(
            maxBodyBytes: maxBodyBytes, maxHeaderBytes: maxHeaderBytes, maxConnections: maxConnections,
            headerReadTimeout: headerReadTimeout, bodyReadTimeout: bodyReadTimeout, idleTimeout: idleTimeout,
            maxRequestsPerConnection: maxRequestsPerConnection, maxPipelinedRequests: maxPipelinedRequests)
    }

    static func withServer<Value: Sendable>(
        limits: HTTPServerConfiguration.Limits = testLimits(), tls: ReloadableTLSContext? = nil, handler: EchoHandler = EchoHandler(),
        _ body: (_ port: Int, _ server: HTTPServer) async throws -> Value
    ) async throws -> Value {
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(port: 0, tls: tls, threads: 1, limits: limits), handler: handler)
        let port = try await server.start()
        do {
            let result = try await body(port, server)
            await server.stop(gracePeriod: .seconds(2))
            return result
        } catch {
            await server.stop(gracePeriod: .seconds(2))
            throw error
        }
    }

    /// Runs blocking socket code off the cooperative pool.
    static func blocking<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }
}
