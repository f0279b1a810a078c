import AudoticsRPC
import Testing

@Suite("GRPCResponseHead and GRPCTrailers")
struct GRPCResponseTests {
    @Test("response headers as the server sends them, parsed by the client")
    func responseHead() throws {
        let head = GRPCResponseHead(encoding: .gzip, acceptEncodings: GRPCMessageCompression.all, metadata: ["x-served-by": "music-1"])
        let fields = try head.headers()
        #expect(pairs(fields) == [
            ":status: 200", "content-type: application/grpc", "grpc-encoding: gzip",
            "grpc-accept-encoding: identity,deflate,gzip", "x-served-by: music-1",
        ])
        let parsed = try #require(try GRPCResponseHead.parse(fields))
        #expect(parsed == head)
        #expect(pairs(try GRPCResponseHead().headers()) == [":status: 200", "content-type: application/grpc"])
    }

    @Test("the spec's example response: headers, then trailers with binary metadata")
    func specResponse() throws {
        let head = try #require(try GRPCResponseHead.parse([
            (":status", "200"), ("grpc-encoding", "gzip"), ("content-type", "application/grpc+proto"),
        ]))
        #expect(head.encoding == .gzip && head.contentType == "application/grpc+proto")
        // The spec's sample value has 17 characters, which is not base64 of anything: it is dropped, and the
        // call still succeeds.
        let trailers = GRPCTrailers(parsing: [("grpc-status", "0"), ("trace-proto-bin", "jher831yy13JHy3hc")])
        #expect(trailers.status == .ok)
        #expect(try trailers.result.get()[binaryValues: "trace-proto-bin"].isEmpty)
        let valid = GRPCTrailers(parsing: [("grpc-status", "0"), ("trace-proto-bin", "jher831yy13JHy3hc0")])
        #expect(try valid.result.get()[binaryValues: "trace-proto-bin"].first?.count == 13)
    }

    @Test("1xx is skipped; missing or garbage :status is INTERNAL")
    func informationalAndMissing() throws {
        #expect(try GRPCResponseHead.parse([(":status", "100")]) == nil)
        for fields: [(name: String, value: String)] in [[], [(":status", "abc")], [(":status", "2000")], [(":status", "")]] {
            do {
                _ = try GRPCResponseHead.parse(fields + [("content-type", "application/grpc")])
                Issue.record("expected INTERNAL")
            } catch {
                #expect(error.code == .internal)
            }
        }
    }

    @Test("non-200 response headers map through the HTTP table", arguments: [
        (400, StatusCode.internal), (401, .unauthenticated), (403, .permissionDenied), (404, .unimplemented),
        (429, .unavailable), (431, .internal), (502, .unavailable), (503, .unavailable), (504, .unavailable),
        (500, .unknown), (301, .unknown), (418, .unknown),
    ])
    func httpStatus(status: Int, code: StatusCode) {
        do {
            _ = try GRPCResponseHead.parse([(":status", String(status)), ("content-type", "text/html")])
            Issue.record("expected an error")
        } catch {
            #expect(error.code == code)
        }
    }

    @Test("200 with a foreign content-type is UNKNOWN; an unknown grpc-encoding is INTERNAL")
    func foreignContentTypeAndEncoding() {
        #expect(throws: RPCError(code: .unknown, message: "unexpected content-type \"text/html\"")) {
            try GRPCResponseHead.parse([(":status", "200"), ("content-type", "text/html")])
        }
        #expect(throws: RPCError(code: .unknown, message: "unexpected content-type (none)")) {
            try GRPCResponseHead.parse([(":status", "200")])
        }
        do {
            _ = try GRPCResponseHead.parse([(":status", "200"), ("content-type", "application/grpc"), ("grpc-encoding", "br")])
            Issue.record("expected INTERNAL")
        } catch {
            #expect(error.code == .internal)
        }
    }

    @Test("trailers: status, percent-encoded message, details, metadata")
    func trailers() throws {
        var metadata: Metadata = ["x-retry-after": "5"]
        metadata.addBinary([9, 9], forKey: "x-cost-bin")
        let trailers = GRPCTrailers(status: .notFound, message: "track 42 not found: 100% sure ☺",
                                    statusDetails: [0x08, 0x05], metadata: metadata)
        let fields = trailers.headers()
        #expect(pairs(fields) == [
            "grpc-status: 5", "grpc-message: track 42 not found: 100%25 sure %E2%98%BA", "grpc-status-details-bin: CAU",
            "x-retry-after: 5", "x-cost-bin: CQk",
        ])
        let parsed = GRPCTrailers(parsing: fields)
        #expect(parsed == trailers)
        let error = try #require(Result { () throws(RPCError) in try parsed.result.get() }.failure)
        #expect(error.code == .notFound && error.message == "track 42 not found: 100% sure ☺")
        #expect(error.metadata[binaryValues: "grpc-status-details-bin"] == [[0x08, 0x05]])
        #expect(GRPCTrailers(error: error) == trailers)
    }

    @Test("OK trailers carry no message and yield the metadata")
    func okTrailers() throws {
        let fields = GRPCTrailers(metadata: ["x-a": "1"]).headers()
        #expect(pairs(fields) == ["grpc-status: 0", "x-a: 1"])
        #expect(try GRPCTrailers(parsing: fields).result.get() == ["x-a": "1"])
    }

    @Test("invalid trailing metadata still ends the call, with INTERNAL")
    func invalidTrailingMetadata() {
        let fields = GRPCTrailers(status: .ok, metadata: ["x": "bad\nvalue"]).headers()
        #expect(fields.first?.value == "13")
        #expect(!fields.contains { $0.name == "x" })
    }

    @Test("Trailers-Only: one block with :status, content-type and the status")
    func trailersOnly() {
        let error = RPCError(code: .unimplemented, message: "unknown method /a/b")
        let fields = GRPCTrailers(error: error).trailersOnlyHeaders()
        #expect(pairs(fields) == [
            ":status: 200", "content-type: application/grpc", "grpc-status: 12", "grpc-message: unknown method /a/b",
        ])
        let parsed = GRPCTrailers(parsingTrailersOnly: fields)
        #expect(parsed.status == .unimplemented && parsed.message == "unknown method /a/b")
    }

    @Test("missing or malformed grpc-status", arguments: [
        ([], StatusCode.unknown), ([("grpc-status", "abc")], .unknown), ([("grpc-status", "")], .unknown),
        ([("grpc-status", "17")], .unknown), ([("grpc-status", "-1")], .unknown), ([("grpc-status", "1 ")], .unknown),
        ([("grpc-status", "99999999999999999999")], .unknown), ([("grpc-status", "16")], .unauthenticated),
        ([("grpc-status", "14"), ("grpc-status", "0")], .unavailable),
    ] as [([(name: String, value: String)], StatusCode)])
    func statusParsing(fields: [(name: String, value: String)], code: StatusCode) {
        let trailers = GRPCTrailers(parsing: fields + [("grpc-message", "boom")])
        #expect(trailers.status == code)
        if fields.isEmpty { #expect(trailers.message.contains("no grpc-status")) }
        if code == .unknown && !fields.isEmpty { #expect(trailers.message.hasPrefix("boom")) }
    }

    @Test("a Trailers-Only response without grpc-status maps its HTTP status", arguments: [
        (503, StatusCode.unavailable), (404, .unimplemented), (401, .unauthenticated), (200, .unknown), (500, .unknown),
    ])
    func trailersOnlyFromHTTP(status: Int, code: StatusCode) {
        let parsed = GRPCTrailers(parsingTrailersOnly: [(":status", String(status)), ("content-type", "text/plain")])
        #expect(parsed.status == code)
        #expect(!parsed.message.isEmpty)
    }

    @Test("a present grpc-status wins over the HTTP status; no :status at all is INTERNAL")
    func trailersOnlyPrecedence() {
        let parsed = GRPCTrailers(parsingTrailersOnly: [(":status", "415"), ("content-type", "application/grpc"),
                                                        ("grpc-status", "13"), ("grpc-message", "bad content-type")])
        #expect(parsed.status == .internal && parsed.message == "bad content-type")
        #expect(GRPCTrailers(parsingTrailersOnly: [("content-type", "application/grpc")]).status == .internal)
        #expect(GRPCTrailers(parsingTrailersOnly: [(":status", "200"), ("content-type", "application/grpc")]).status == .unknown)
    }

    @Test("a malformed grpc-message or details never fails the status")
    func lenientParts() {
        let parsed = GRPCTrailers(parsing: [("grpc-status", "3"), ("grpc-message", "bad %ZZ %"), ("grpc-status-details-bin", "!!")])
        #expect(parsed.status == .invalidArgument && parsed.message == "bad %ZZ %" && parsed.statusDetails == nil)
    }
}

extension Result {
    /// The error of a failed result.
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
