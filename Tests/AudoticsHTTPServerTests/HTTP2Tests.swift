import AudoticsHTTPServer
import AudoticsTestSupport
import Foundation
import Testing

/// HTTP/2 as a frame-level peer (Python h2) sees it: limits and timeouts on real sockets.
@Suite("HTTP/2 server limits (Python h2 peer)", .serialized)
struct HTTP2Tests {
    /// With `taskFree`, the handler takes each request with `start`: `/slow` answers from a timer on the loop.
    @Test(
        "concurrent streams, 413 declared and streamed, 408 for a stalled body, GOAWAY after the request limit and when idle",
        arguments: [false, true])
    func limits(taskFree: Bool) async throws {
        let limits = ServerFixture.testLimits(
            maxBodyBytes: 1000, bodyReadTimeout: .seconds(1), idleTimeout: .seconds(2), maxRequestsPerConnection: 6)
        let output = try await ServerFixture.withServer(limits: limits, handler: EchoHandler(taskFree: taskFree)) { port, _ in
            try await ServerFixture.blocking {
                try PythonPeer.run([
                    "http2_server_client.py", "--port", String(port), "--max-body", "1000", "--body-timeout", "1",
                    "--idle-timeout", "2", "--max-requests", "6",
                ])
            }
        }
        #expect(output.status == 0, "\(output.text)")
        #expect(output.text.contains(" passed, 0 failed"), "\(output.text)")
    }
}
