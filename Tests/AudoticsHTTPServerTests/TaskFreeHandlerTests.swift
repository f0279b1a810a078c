import AudoticsHTTPServer
import AudoticsTestSupport
import Foundation
import Testing

/// Handlers that take requests with `start` (no task): answers given at once, later from the loop, or from
/// another thread, in order on HTTP/1.1, and cancellation when the client goes away (for tasks too).
@Suite("Task-free handlers")
struct TaskFreeHandlerTests {
    typealias Raw = RawHTTPConnection

    @Test("answers given at once, from a timer and from another thread go out in request order")
    func pipelinedInOrder() async throws {
        try await ServerFixture.withServer(handler: EchoHandler(taskFree: true)) { port, _ in
            try await ServerFixture.blocking {
                let connection = try Raw(port: port)
                connection.send(
                    "GET /slow?ms=200 HTTP/1.1\r\nHost: x\r\n\r\n" + "POST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                        + "GET /later?ms=100 HTTP/1.1\r\nHost: x\r\n\r\n" + "HEAD /four HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "GET /status/404 HTTP/1.1\r\nHost: x\r\n\r\n" + "GET /six HTTP/1.1\r\nHost: x\r\n\r\n")
                var targets: [String] = []
                var statuses: [Int] = []
                for index in 0..<6 {
                    let response = try connection.readResponse(head: index == 3)
                    targets.append(response.header("x-target") ?? "?")
                    statuses.append(response.status)
                    if index == 1 { #expect(response.text == "abc") }
                    if index == 3 { #expect(response.body.isEmpty) }
                }
                #expect(targets == ["/slow?ms=200", "/two", "/later?ms=100", "/four", "/status/404", "/six"])
                #expect(statuses == [200, 200, 200, 200, 404, 200])
                // The connection stays usable.
                connection.send("GET /again HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try connection.readResponse().header("x-target") == "/again")
            }
        }
    }

    @Test("the server's own framing applies to task-free answers: Connection: close, HTTP/1.0")
    func framing() async throws {
        try await ServerFixture.withServer(handler: EchoHandler(taskFree: true)) { port, _ in
            try await ServerFixture.blocking {
                let closing = try Raw(port: port)
                closing.send("GET /close HTTP/1.1\r\nHost: x\r\n\r\n")
                let response = try closing.readResponse()
                #expect(response.header("connection") == "close")
                #expect(try closing.readUntilClosed().isEmpty)
                let old = try Raw(port: port)
                old.send("GET /later?ms=50 HTTP/1.0\r\n\r\n")
                #expect(try old.readResponse().version == "HTTP/1.0")
                #expect(try old.readUntilClosed().isEmpty)
            }
        }
    }

    @Test("a client that goes away cancels the request's work", arguments: [false, true])
    func cancelledOnClose(taskFree: Bool) async throws {
        let handler = EchoHandler(taskFree: taskFree)
        try await ServerFixture.withServer(handler: handler) { port, _ in
            try await ServerFixture.blocking {
                let connection = try Raw(port: port)
                connection.send("GET /slow?ms=10000 HTTP/1.1\r\nHost: x\r\n\r\n")
                let deadline = Date().addingTimeInterval(5)
                while handler.started.load(ordering: .sequentiallyConsistent) == 0, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
                connection.close()
                while handler.cancelled.load(ordering: .sequentiallyConsistent) == 0, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            }
            #expect(handler.started.load(ordering: .sequentiallyConsistent) == 1)
            #expect(handler.cancelled.load(ordering: .sequentiallyConsistent) == 1)
            // The server goes on serving.
            try await ServerFixture.blocking {
                let connection = try Raw(port: port)
                connection.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try connection.readResponse().status == 200)
            }
        }
    }
}
