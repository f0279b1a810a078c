import AudoticsHTTPServer
import Foundation
import Testing

/// HTTP/1.x on raw sockets: framing, keep-alive, pipelining, limits and timeouts.
@Suite("HTTP/1 server")
struct HTTP1Tests {
    typealias Raw = RawHTTPConnection

    @Test("keep-alive: two requests on one connection, bodies echoed, content-length set")
    func keepAlive() async throws {
        try await ServerFixture.withServer { port, _ in
            try await ServerFixture.blocking {
                let connection = try Raw(port: port)
                connection.send("POST /a?x=%20y HTTP/1.1\r\nHost: example.org\r\nContent-Length: 5\r\nX-One: 1\r\nX-One: 2\r\n\r\nhello")
                let first = try connection.readResponse()
                #expect(first.status == 200)
                #expect(first.text == "hello")
                #expect(first.header("content-length") == "5")
                #expect(first.header("x-target") == "/a?x=%20y")
                #expect(first.header("x-host") == "example.org")
                #expect(first.header("x-version") == "HTTP/1.1")
                #expect(first.header("x-remote")?.hasPrefix("127.0.0.1:") == true)
                #expect(first.header("x-secure") == "false")
                #expect(first.header("x-header-count") == "4")
                #expect(first.header("connection") == nil)
                connection.send("GET /b HTTP/1.1\r\nHost: x\r\n\r\n")
                let second = try connection.readResponse()
                #expect(second.header("x-target") == "/b")
                #expect(second.header("content-length") == "0")
            }
        }
    }

    @Test("pipelined requests are answered strictly in order, a slow one first")
    func pipelining() async throws {
        try await ServerFixture.withServer { port, _ in
            try await ServerFixture.blocking {
                let connection = try Raw(port: port)
                connection.send(
                    "GET /slow?ms=200 HTTP/1.1\r\nHost: x\r\n\r\n" + "POST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                        + "GET /three HTTP/1.1\r\nHost: x\r\n\r\n" + "HEAD /four HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "GET /five HTTP/1.1\r\nHost: x\r\n\r\n")
                var targets: [String] = []
                for index in 0..<5 {
                    let response = try connection.readResponse(head: index == 3)
                    targets.append(response.header("x-target") ?? "?")
                    if index == 1 { #expect(response.text == "abc") }
                }
                #expect(targets == ["/slow?ms=200", "/two", "/three", "/four", "/five"])
            }
        }
    }

    @Test("pipelined safe requests run at once and are answered in order, those done first waiting", arguments: [false, true])
    func pipelinedConcurrently(taskFree: Bool) async throws {
        let handler = EchoHandler(taskFree: taskFree)
        try await ServerFixture.withServer(handler: handler) { port, _ in
            try await ServerFixture.blocking {
                let connection = try Raw(port: port)
                // Each finishes before the one ahead of it.
                connection.send((0..<4).map { "GET /slow?ms=\(400 - 100 * $0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined() + "GET /five HTTP/1.1\r\nHost: x\r\n\r\n")
                var targets: [String] = []
                for _ in 0..<5 { targets.append(try connection.readResponse().header("x-target") ?? "?") }
                #expect(targets == ["/slow?ms=400", "/slow?ms=300", "/slow?ms=200", "/slow?ms=100", "/five"])
                connection.send("GET /again HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try connection.readResponse().header("x-target") == "/again")
            }
        }
        #expect(handler.mostRunning.load(ordering: .sequentiallyConsistent) == 4)
        #expect(handler.log.withLock { $0.filter { $0.hasPrefix("end") } }
            == ["end GET /slow?ms=100", "end GET /slow?ms=200", "end GET /slow?ms=300", "end GET /slow?ms=400"])
    }

    @Test("a pipelined unsafe request (or one with a body) waits for those before it and runs alone", arguments: [false, true], ["POST", "GET"])
    func pipelinedUnsafeRunsAlone(taskFree: Bool, method: String) async throws {
        let handler = EchoHandler(taskFree: taskFree)
        try await ServerFixture.withServer(handler: handler) { port, _ in
            try await ServerFixture.blocking {
                let connection = try Raw(port: port)
                connection.send(
                    "GET /slow?ms=200 HTTP/1.1\r\nHost: x\r\n\r\n" + "\(method) /slow?ms=50 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"
                        + "GET /slow?ms=100 HTTP/1.1\r\nHost: x\r\n\r\n" + "GET /slow?ms=10 HTTP/1.1\r\nHost: x\r\n\r\n")
                var methods: [String] = []
                for _ in 0..<4 { methods.append(try connection.readResponse().header("x-method") ?? "?") }
                #expect(methods == ["GET", method, "GET", "GET"])
            }
        }
        #expect(handler.log.withLock { $0 } == [
            "begin GET /slow?ms=200", "end GET /slow?ms=200", "begin \(method) /slow?ms=50", "end \(method) /slow?ms=50",
            "begin GET /slow?ms=100", "begin GET /slow?ms=10", "end GET /slow?ms=10", "end GET /slow?ms=100",
        ])
        #expect(handler.mostRunning.load(ordering: .sequentiallyConsistent) == 2)
    }

    @Test("no more pipelined requests run at once than the limit")
    func pipelinedLimit() async throws {
        let handler = EchoHandler(taskFree: true)
        try await ServerFixture.withServer(limits: ServerFixture.testLimits(maxPipelinedRequests: 2), handler: handler) { port, _ in
            try await ServerFixture.blocking {
                let connection = try Raw(port: port)
                connection.send((1...5).map { "GET /slow?ms=\(20 * $0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined())
                var targets: [String] = []
                for _ in 0..<5 { targets.append(try connection.readResponse().header("x-target") ?? "?") }
                #expect(targets == (1...5).map { "/slow?ms=\(20 * $0)" })
            }
        }
        #expect(handler.started.load(ordering: .sequentiallyConsistent) == 5)
        #expect(handler.mostRunning.load(ordering: .sequentiallyConsistent) == 2)
    }

    @Test("once every waiting request is under way the socket is read again, while they run")
    func pipelinedReadsResume() async throws {
        let handler = EchoHandler(taskFree: true)
        try await ServerFixture.withServer(limits: ServerFixture.testLimits(maxPipelinedRequests: 2), handler: handler) { port, _ in
            try await ServerFixture.blocking {
                let connection = try Raw(port: port)
                // The third waits for a place (reading stops); it starts when the first two are answered.
                connection.send(
                    "GET /slow?ms=200 HTTP/1.1\r\nHost: x\r\n\r\n" + "GET /slow?ms=10 HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "GET /slow?ms=1000 HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try connection.readResponse().header("x-target") == "/slow?ms=200")
                #expect(try connection.readResponse().header("x-target") == "/slow?ms=10")
                // While the third runs, a fourth is read and runs beside it.
                connection.send("GET /slow?ms=20 HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try connection.readResponse().header("x-target") == "/slow?ms=1000")
                #expect(try connection.readResponse().header("x-target") == "/slow?ms=20")
            }
        }
        let log = handler.log.withLock { $0 }
        #expect(log.firstIndex(of: "begin GET /slow?ms=20") ?? .max < log.firstIndex(of: "end GET /slow?ms=1000") ?? 0)
    }

    @Test("a pipelined response that closes the connection cancels the requests running after it", arguments: [false, true])
    func pipelinedCloseCancelsLater(taskFree: Bool) async throws {
        let handler = EchoHandler(taskFree: taskFree)
        try await ServerFixture.withServer(handler: handler) { port, _ in
            try await ServerFixture.blocking {
                let connection = try Raw(port: port)
                connection.send(
                    "GET /slow?ms=200 HTTP/1.1\r\nHost: x\r\n\r\n" + "GET /close HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "GET /slow?ms=10000 HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try connection.readResponse().header("x-target") == "/slow?ms=200")
                let closing = try connection.readResponse()
                #expect(closing.header("x-target") == "/close")
                #expect(closing.header("connection") == "close")
                #expect(try connection.readUntilClosed().isEmpty)
                let deadline = Date().addingTimeInterval(5)
                while handler.cancelled.load(ordering: .sequentiallyConsistent) == 0, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            }
        }
        #expect(handler.started.load(ordering: .sequentiallyConsistent) == 2)
        #expect(handler.cancelled.load(ordering: .sequentiallyConsistent) == 1)
    }

    @Test("a graceful stop answers the pipelined requests under way, the last one with Connection: close")
    func pipelinedGracefulStop() async throws {
        let handler = EchoHandler(taskFree: true)
        try await ServerFixture.withServer(handler: handler) { port, server in
            let connection = try await ServerFixture.blocking {
                let connection = try Raw(port: port)
                connection.send((1...3).map { "GET /slow?ms=\(400 - 100 * $0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined())
                let deadline = Date().addingTimeInterval(5)
                while handler.started.load(ordering: .sequentiallyConsistent) < 3, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
                return connection
            }
            #expect(handler.started.load(ordering: .sequentiallyConsistent) == 3)
            async let stopped: Void = server.stop(gracePeriod: .seconds(5))
            let responses = try await ServerFixture.blocking {
                let responses = try (0..<3).map { _ in try connection.readResponse() }
                #expect(try connection.readUntilClosed().isEmpty)
                return responses.map { "\($0.status) \($0.header("x-target") ?? "?") \($0.header("connection") ?? "-")" }
            }
            await stopped
            #expect(responses == ["200 /slow?ms=300 -", "200 /slow?ms=200 -", "200 /slow?ms=100 close"])
        }
        #expect(handler.cancelled.load(ordering: .sequentiallyConsistent) == 0)
    }

    @Test("Expect: 100-continue behind pipelined requests under way: the 100 comes after their responses")
    func pipelinedContinue() async throws {
        try await ServerFixture.withServer(handler: EchoHandler(taskFree: true)) { port, _ in
            try await ServerFixture.blocking {
                let connection = try Raw(port: port)
                connection.send(
                    "GET /slow?ms=200 HTTP/1.1\r\nHost: x\r\n\r\n" + "GET /slow?ms=100 HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
                #expect(try connection.readResponse().header("x-target") == "/slow?ms=200")
                #expect(try connection.readResponse().header("x-target") == "/slow?ms=100")
                #expect(try connection.readResponse().status == 100)
                connection.send("body")
                let final = try connection.readResponse()
                #expect(final.status == 200)
                #expect(final.text == "body")
            }
        }
    }

    @Test("a chunked request body is reassembled")
    func chunked() async throws {
        try await ServerFixture.withServer { port, _ in
            try await ServerFixture.blocking {
                let connection = try Raw(port: port)
                connection.send("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
                connection.send("6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n")
                let response = try connection.readResponse()
                #expect(response.text == "hello world")
                #expect(response.header("x-body-length") == "11")
            }
        }
    }

    @Test("Expect: 100-continue gets 100 before the body is sent; an oversized one gets 413 without it")
    func expectContinue() async throws {
        try await ServerFixture.withServer(limits: ServerFixture.testLimits(maxBodyBytes: 100)) { port, _ in
            try await ServerFixture.blocking {
                let connection = try Raw(port: port)
                connection.send("POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
                let interim = try connection.readResponse()
                #expect(interim.status == 100)
                connection.send("body")
                let final = try connection.readResponse()
                #expect(final.status == 200)
                #expect(final.text == "body")

                let refused = try Raw(port: port)
                refused.send("POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n")
                let response = try refused.readResponse()
                #expect(response.status == 413)
                _ = try refused.readUntilClosed()

                let unknown = try Raw(port: port)
                unknown.send("POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: something-else\r\n\r\n")
                #expect(try unknown.readResponse().status == 417)
            }
        }
    }

    @Test("a body above the limit: 413 with a google.rpc.Status body, then close (declared and chunked)")
    func bodyTooLarge() async throws {
        try await ServerFixture.withServer(limits: ServerFixture.testLimits(maxBodyBytes: 1 << 20)) { port, _ in
            try await ServerFixture.blocking {
                let declared = try Raw(port: port)
                declared.send("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 1048577\r\n\r\n")
                let response = try declared.readResponse()
                #expect(response.status == 413)
                #expect(response.header("content-type") == "application/json")
                #expect(response.header("connection") == "close")
                #expect(response.text == #"{"code":8,"message":"request body exceeds 1048576 bytes","details":[]}"#)
                _ = try declared.readUntilClosed()

                let chunked = try Raw(port: port)
                chunked.send("POST /big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
                let chunk = "80000\r\n" + String(repeating: "z", count: 0x80000) + "\r\n"
                chunked.send(chunk + chunk + chunk)
                #expect(try chunked.readResponse().status == 413)
                _ = try chunked.readUntilClosed()
            }
        }
    }

    @Test("a head above the limit: 431, then close")
    func headersTooLarge() async throws {
        try await ServerFixture.withServer(limits: ServerFixture.testLimits(maxHeaderBytes: 4096)) { port, _ in
            try await ServerFixture.blocking {
                let connection = try Raw(port: port)
                connection.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 5000))\r\n\r\n")
                let response = try connection.readResponse()
                #expect(response.status == 431)
                #expect(response.text.contains("\"code\":8"))
                _ = try connection.readUntilClosed()

                let many = try Raw(port: port)
                many.send("GET / HTTP/1.1\r\n" + String(repeating: "X-Field: 0123456789\r\n", count: 300) + "\r\n")
                #expect(try many.readResponse().status == 431)
            }
        }
    }

    @Test("slowloris: a head not complete within the header timeout gets 408 and a close; so does a slow body")
    func slowHeadAndBody() async throws {
        let limits = ServerFixture.testLimits(headerReadTimeout: .milliseconds(300), bodyReadTimeout: .milliseconds(300))
        try await ServerFixture.withServer(limits: limits) { port, _ in
            try await ServerFixture.blocking {
                let start = ContinuousClock.now
                let connection = try Raw(port: port)
                connection.send("GET / HTTP/1.1\r\nHost: x\r\n")
                Thread.sleep(forTimeInterval: 0.1)
                connection.send("X-Slow: 1\r\n")
                let response = try connection.readResponse()
                #expect(response.status == 408)
                _ = try connection.readUntilClosed()
                #expect(ContinuousClock.now - start < .seconds(2))

                let body = try Raw(port: port)
                body.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
                #expect(try body.readResponse().status == 408)
                _ = try body.readUntilClosed()

                // A connection that never sends a byte is closed silently.
                let silent = try Raw(port: port)
                #expect(try silent.readUntilClosed().isEmpty)
            }
        }
    }

    @Test("an idle keep-alive connection is closed silently after the idle timeout")
    func idleTimeout() async throws {
        try await ServerFixture.withServer(limits: ServerFixture.testLimits(idleTimeout: .milliseconds(300))) { port, _ in
            try await ServerFixture.blocking {
                let connection = try Raw(port: port)
                connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try connection.readResponse().status == 200)
                let start = ContinuousClock.now
                #expect(try connection.readUntilClosed().isEmpty)
                #expect(ContinuousClock.now - start < .seconds(2))
            }
        }
    }

    @Test("the last request a connection may make is answered with connection: close")
    func maxRequestsPerConnection() async throws {
        try await ServerFixture.withServer(limits: ServerFixture.testLimits(maxRequestsPerConnection: 2)) { port, _ in
            try await ServerFixture.blocking {
                let connection = try Raw(port: port)
                connection.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\nGET /3 HTTP/1.1\r\nHost: x\r\n\r\n")
                let first = try connection.readResponse()
                #expect(first.header("connection") == nil)
                let second = try connection.readResponse()
                #expect(second.header("x-target") == "/2")
                #expect(second.header("connection") == "close")
                #expect(try connection.readUntilClosed().isEmpty)
            }
        }
    }

    @Test("HEAD: the length of the body the GET would have, and no body")
    func head() async throws {
        try await ServerFixture.withServer { port, _ in
            try await ServerFixture.blocking {
                let connection = try Raw(port: port)
                connection.send("HEAD /big?bytes=1234 HTTP/1.1\r\nHost: x\r\n\r\n")
                let response = try connection.readResponse(head: true)
                #expect(response.header("content-length") == "1234")
                connection.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n")
                // Had the body been sent, this would read its bytes as a status line.
                #expect(try connection.readResponse().header("x-target") == "/after")
            }
        }
    }

    @Test("HTTP/1.0: closed after the response unless it asks for keep-alive")
    func http10() async throws {
        try await ServerFixture.withServer { port, _ in
            try await ServerFixture.blocking {
                let plain = try Raw(port: port)
                plain.send("GET /old HTTP/1.0\r\n\r\n")
                let response = try plain.readResponse()
                #expect(response.version == "HTTP/1.0")
                #expect(response.header("x-version") == "HTTP/1.0")
                #expect(response.header("connection") == "close")
                #expect(try plain.readUntilClosed().isEmpty)

                let kept = try Raw(port: port)
                kept.send("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                #expect(try kept.readResponse().header("connection") == "keep-alive")
                kept.send("GET /again HTTP/1.0\r\n\r\n")
                #expect(try kept.readResponse().header("x-target") == "/again")
            }
        }
    }

    @Test("Connection: close from the client or the handler closes after the response")
    func connectionClose() async throws {
        try await ServerFixture.withServer { port, _ in
            try await ServerFixture.blocking {
                let client = try Raw(port: port)
                client.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                #expect(try client.readResponse().header("connection") == "close")
                #expect(try client.readUntilClosed().isEmpty)

                let handler = try Raw(port: port)
                handler.send("GET /close HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try handler.readResponse().header("connection") == "close")
                #expect(try handler.readUntilClosed().isEmpty)
            }
        }
    }

    @Test("response fields that could split the response are dropped; the server owns content-length")
    func unsafeResponseFields() async throws {
        try await ServerFixture.withServer { port, _ in
            try await ServerFixture.blocking {
                let connection = try Raw(port: port)
                connection.send("GET /evil HTTP/1.1\r\nHost: x\r\n\r\n")
                let response = try connection.readResponse()
                #expect(response.header("x-evil") == nil)
                #expect(response.header("set-cookie") == nil)
                #expect(response.header("content-length") == "0")
                connection.send("GET /status/204 HTTP/1.1\r\nHost: x\r\n\r\n")
                let noContent = try connection.readResponse()
                #expect(noContent.status == 204)
                #expect(noContent.header("content-length") == nil)
                connection.send("GET /status/99 HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try connection.readResponse().status == 500)
            }
        }
    }

    static let malformed = [
        "GARBAGE\r\n\r\n",
        "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
        "GET / HTTP/1.1\r\nBad Header\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabc",
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nX: a\u{0}b\r\n\r\n",
        "\u{1}\u{2}\u{3}\u{4}\r\n\r\n",
    ]

    @Test("malformed requests: 400, then close", arguments: 0..<8)
    func malformedRequest(_ index: Int) async throws {
        try await ServerFixture.withServer { port, _ in
            try await ServerFixture.blocking {
                let connection = try Raw(port: port)
                connection.send(Self.malformed[index])
                let response = try connection.readResponse()
                #expect(response.status == 400, "\(Self.malformed[index])")
                #expect(response.text.contains("\"code\":3"))
                _ = try connection.readUntilClosed()
            }
        }
    }

    @Test("a malformed request after a good one: the good one is answered first")
    func malformedAfterGood() async throws {
        try await ServerFixture.withServer { port, _ in
            try await ServerFixture.blocking {
                let connection = try Raw(port: port)
                connection.send("GET /slow?ms=100 HTTP/1.1\r\nHost: x\r\n\r\nBROKEN\r\n\r\n")
                #expect(try connection.readResponse().status == 200)
                #expect(try connection.readResponse().status == 400)
                _ = try connection.readUntilClosed()
            }
        }
    }

    @Test("connections above the limit are closed at once; the others are served")
    func maxConnections() async throws {
        try await ServerFixture.withServer(limits: ServerFixture.testLimits(maxConnections: 2)) { port, server in
            try await ServerFixture.blocking {
                let first = try Raw(port: port)
                let second = try Raw(port: port)
                first.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try first.readResponse().status == 200)
                second.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try second.readResponse().status == 200)
                let third = try Raw(port: port)
                third.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try third.readUntilClosed().isEmpty)
                first.close()
                Thread.sleep(forTimeInterval: 0.2)
                let fourth = try Raw(port: port)
                fourth.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try fourth.readResponse().status == 200)
            }
            #expect(server.connectionCount <= 2)
        }
    }
}
