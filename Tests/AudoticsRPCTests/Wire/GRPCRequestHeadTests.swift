import AudoticsRPC
import Testing

@Suite("GRPCRequestHead")
struct GRPCRequestHeadTests {
    /// The request of PROTOCOL-HTTP2's example, plus `te`.
    static let specExample: [(name: String, value: String)] = [
        (":method", "POST"), (":scheme", "http"), (":path", "/google.pubsub.v2.PublisherService/CreateTopic"),
        (":authority", "pubsub.googleapis.com"), ("grpc-timeout", "1S"), ("content-type", "application/grpc+proto"),
        ("grpc-encoding", "gzip"), ("authorization", "Bearer y235.wef315yfh138vh31hv93hv8h3v"), ("te", "trailers"),
    ]

    static func parse(
        _ fields: [(name: String, value: String)], supported: [GRPCMessageCompression] = GRPCMessageCompression.all
    ) -> Result<GRPCRequestHead, GRPCRequestHeadError> {
        Result { () throws(GRPCRequestHeadError) in try GRPCRequestHead(parsing: fields, supportedEncodings: supported) }
    }

    static func replacing(_ name: String, with value: String?) -> [(name: String, value: String)] {
        var fields = specExample.filter { $0.name != name }
        if let value { fields.insert((name, value), at: 0) }
        return fields
    }

    static func failure(_ result: Result<GRPCRequestHead, GRPCRequestHeadError>) -> GRPCRequestHeadError? {
        if case .failure(let error) = result { return error }
        return nil
    }

    @Test("the spec's example request parses")
    func specRequest() throws {
        let head = try GRPCRequestHead(parsing: Self.specExample)
        #expect(head.service == "google.pubsub.v2.PublisherService")
        #expect(head.method == "CreateTopic")
        #expect(head.path == "/google.pubsub.v2.PublisherService/CreateTopic")
        #expect(head.scheme == "http")
        #expect(head.authority == "pubsub.googleapis.com")
        #expect(head.timeout == .seconds(1))
        #expect(head.contentType == "application/grpc+proto")
        #expect(head.encoding == .gzip)
        #expect(head.hasTETrailers)
        #expect(head.metadata == ["authorization": "Bearer y235.wef315yfh138vh31hv93hv8h3v"])
    }

    @Test("client headers come out in spec order and parse back to the same head")
    func buildAndParse() throws {
        var metadata: Metadata = ["x-user": "alice", "user-agent": "ignored"]
        metadata.addBinary([0, 1, 254, 255], forKey: "trace-bin")
        let head = GRPCRequestHead(
            service: "audotics.v1.MusicService", method: "GetTrack", authority: "music:8443", timeout: .milliseconds(250),
            encoding: .deflate, metadata: metadata
        )
        let fields = try head.headers()
        #expect(pairs(fields) == [
            ":method: POST", ":scheme: https", ":path: /audotics.v1.MusicService/GetTrack", ":authority: music:8443",
            "grpc-timeout: 250000u", "te: trailers", "content-type: application/grpc", "grpc-encoding: deflate",
            "grpc-accept-encoding: identity,deflate,gzip", "user-agent: audotics-swift/0.1.0", "x-user: alice",
            "trace-bin: AAH+/w",
        ])
        let parsed = try GRPCRequestHead(parsing: fields)
        #expect(parsed.service == head.service && parsed.method == head.method)
        #expect(parsed.timeout == .milliseconds(250))
        #expect(parsed.encoding == .deflate)
        #expect(parsed.acceptEncodings == GRPCMessageCompression.all)
        #expect(parsed.userAgent == "audotics-swift/0.1.0")
        var expected: Metadata = ["user-agent": "audotics-swift/0.1.0", "x-user": "alice"]
        expected.addBinary([0, 1, 254, 255], forKey: "trace-bin")
        #expect(parsed.metadata == expected)
    }

    @Test("a descriptor-based head has its path and no optional fields it was not given")
    func descriptorHead() throws {
        let descriptor = MethodDescriptor(service: "grpc.health.v1.Health", method: "Check", kind: .unary)
        let fields = try GRPCRequestHead(descriptor: descriptor, scheme: "http").headers()
        #expect(fields.first { $0.name == ":path" }?.value == descriptor.path)
        #expect(!fields.contains { $0.name == "grpc-timeout" || $0.name == "grpc-encoding" || $0.name == ":authority" })
        #expect(fields.contains { $0.name == "te" && $0.value == "trailers" })
    }

    @Test("invalid client metadata fails before anything is sent")
    func badClientMetadata() {
        let head = GRPCRequestHead(service: "s", method: "m", metadata: ["x": "line\nbreak"])
        #expect(throws: RPCError.self) { try head.headers() }
    }

    @Test(":method other than POST is 405", arguments: ["GET", "post", "PUT", ""])
    func method(value: String) throws {
        let error = try #require(Self.failure(Self.parse(Self.replacing(":method", with: value))))
        #expect(error.httpStatus == 405 && error.error.code == .internal)
        #expect(Self.failure(Self.parse(Self.replacing(":method", with: nil)))?.httpStatus == 405)
    }

    @Test(":scheme must be http or https", arguments: ["ftp", "HTTPS", ""])
    func scheme(value: String) throws {
        let error = try #require(Self.failure(Self.parse(Self.replacing(":scheme", with: value))))
        #expect(error.httpStatus == 400)
        #expect(Self.failure(Self.parse(Self.replacing(":scheme", with: nil)))?.httpStatus == 400)
        #expect((try? GRPCRequestHead(parsing: Self.replacing(":scheme", with: "https")))?.scheme == "https")
    }

    @Test("gRPC content-types are accepted", arguments: [
        "application/grpc", "application/grpc+proto", "application/grpc+json", "application/grpc;charset=utf-8",
        "Application/GRPC+proto",
    ])
    func goodContentType(value: String) throws {
        #expect(try GRPCRequestHead(parsing: Self.replacing("content-type", with: value)).contentType == value)
    }

    @Test("other content-types are 415", arguments: [
        "application/json", "application/grpc-web", "application/grpc-web+proto", "application/grpcx", "text/html",
        "application/grp", "", " application/grpc",
    ])
    func badContentType(value: String) throws {
        let error = try #require(Self.failure(Self.parse(Self.replacing("content-type", with: value))))
        #expect(error.httpStatus == 415)
        #expect(Self.failure(Self.parse(Self.replacing("content-type", with: nil)))?.httpStatus == 415)
        let answer = error.responseHeaders()
        #expect(answer.first?.name == ":status" && answer.first?.value == "415")
        #expect(answer.contains { $0.name == "grpc-status" })
    }

    @Test("malformed paths are UNIMPLEMENTED", arguments: [
        "", "/", "//", "///", "/svc", "/svc/", "//m", "svc/m", "/a/b/c", "/a/b/", "/a//b", "/a//", "x/a/b", " /a/b",
    ])
    func badPath(value: String) throws {
        let error = try #require(Self.failure(Self.parse(Self.replacing(":path", with: value))))
        #expect(error.httpStatus == 200 && error.error.code == .unimplemented)
        #expect(Self.failure(Self.parse(Self.replacing(":path", with: nil)))?.error.code == .unimplemented)
    }

    @Test("well-formed paths parse, whatever their bytes", arguments: ["/a/b", "/svc.v1.S/M", "/é/ü", "/ /x", "/a.b-c_d/%2F"])
    func goodPath(value: String) throws {
        let fields = Self.replacing(":path", with: value)
        let head = try Self.parse(fields).get()
        #expect(head.path == value)
        let serverHead = try GRPCServerRequestHead(parsingFields: { body in for (name, value) in fields { body(name, value) } })
        #expect(serverHead.path == value)
    }

    @Test("a grpc-timeout that does not parse is 400 INTERNAL; a missing one is no deadline")
    func timeout() throws {
        for bad in ["", "1", "S", "123456789n", "1.5S", "-1S", "1 S"] {
            let error = try #require(Self.failure(Self.parse(Self.replacing("grpc-timeout", with: bad))))
            #expect(error.httpStatus == 400 && error.error.code == .internal)
        }
        #expect(try GRPCRequestHead(parsing: Self.replacing("grpc-timeout", with: nil)).timeout == nil)
        #expect(try GRPCRequestHead(parsing: Self.replacing("grpc-timeout", with: "0n")).timeout == .zero)
        #expect(try GRPCRequestHead(parsing: Self.replacing("grpc-timeout", with: "2H")).timeout == .seconds(7200))
    }

    @Test("an unknown grpc-encoding is UNIMPLEMENTED and the answer lists grpc-accept-encoding")
    func unknownEncoding() throws {
        let error = try #require(Self.failure(Self.parse(Self.replacing("grpc-encoding", with: "snappy"))))
        #expect(error.httpStatus == 200 && error.error.code == .unimplemented)
        #expect(error.error.message.contains("snappy") && error.error.message.contains("gzip"))
        let answer = error.responseHeaders()
        #expect(pairs(answer).prefix(4) == [
            ":status: 200", "content-type: application/grpc", "grpc-accept-encoding: identity,deflate,gzip",
            "grpc-status: 12",
        ])
    }

    @Test("an encoding the server turned off is refused; identity and no header are always fine")
    func disabledEncoding() throws {
        let onlyGzip: [GRPCMessageCompression] = [.gzip]
        #expect(Self.failure(Self.parse(Self.replacing("grpc-encoding", with: "deflate"), supported: onlyGzip))?.error.code
            == .unimplemented)
        #expect(try GRPCRequestHead(parsing: Self.replacing("grpc-encoding", with: "identity"), supportedEncodings: [])
            .encoding == .identity)
        #expect(try GRPCRequestHead(parsing: Self.replacing("grpc-encoding", with: nil), supportedEncodings: [])
            .encoding == .identity)
    }

    @Test("te: trailers is recorded, not required")
    func te() throws {
        #expect(try !GRPCRequestHead(parsing: Self.replacing("te", with: nil)).hasTETrailers)
        #expect(try !GRPCRequestHead(parsing: Self.replacing("te", with: "gzip")).hasTETrailers)
        #expect(try GRPCRequestHead(parsing: Self.replacing("te", with: "trailers")).hasTETrailers)
    }

    @Test("grpc-accept-encoding from several fields, unknown names dropped")
    func acceptEncoding() throws {
        var fields = Self.specExample
        fields.append(("grpc-accept-encoding", "snappy, gzip"))
        fields.append(("grpc-accept-encoding", "identity"))
        #expect(try GRPCRequestHead(parsing: fields).acceptEncodings == [.gzip, .identity])
    }

    @Test("random header lists never trap")
    func fuzz() {
        var generator = SystemRandomNumberGenerator()
        let names = [":method", ":scheme", ":path", ":authority", "content-type", "grpc-timeout", "grpc-encoding",
                     "grpc-accept-encoding", "te", "user-agent", "x-bin", "x"]
        let values = ["POST", "http", "/a/b", "application/grpc", "1S", "gzip", "trailers", "", "%", "/", "AQ", "\u{0}é", "99999999H"]
        for _ in 0..<2000 {
            let fields = (0..<Int.random(in: 0..<10, using: &generator)).map { _ in
                (name: names.randomElement(using: &generator)!, value: values.randomElement(using: &generator)!)
            }
            if case .success(let head) = Self.parse(fields) {
                #expect(head.method.isEmpty == false)
            }
        }
    }
}
