import AudoticsRPC
import Testing

/// Header pairs compared by value (tuples are not Equatable inside arrays).
func pairs(_ fields: [(name: String, value: String)]) -> [String] { fields.map { "\($0.name): \($0.value)" } }

@Suite("GRPCMetadataCoding")
struct GRPCMetadataCodingTests {
    @Test("text and binary values encode in order; binary as unpadded base64")
    func encode() throws {
        var metadata: Metadata = ["x-user": "alice", "x-trace": "a b c"]
        metadata.addBinary([0xFF, 0x00, 0x10], forKey: "trace-proto-bin")
        metadata.addBinary([1], forKey: "one-bin")
        metadata.addBinary([1, 2], forKey: "two-bin")
        metadata.addBinary([], forKey: "empty-bin")
        metadata.addString("bob", forKey: "x-user")
        #expect(pairs(try GRPCMetadataCoding.encode(metadata)) == [
            "x-user: alice", "x-trace: a b c", "trace-proto-bin: /wAQ", "one-bin: AQ", "two-bin: AQI", "empty-bin: ",
            "x-user: bob",
        ])
    }

    @Test("base64 of every length 0...64 round-trips")
    func base64Lengths() throws {
        for length in 0...64 {
            var metadata = Metadata()
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            metadata.addBinary(bytes, forKey: "blob-bin")
            let fields = try GRPCMetadataCoding.encode(metadata)
            #expect(!fields[0].value.contains("="))
            #expect(GRPCMetadataCoding.decode(fields)[binaryValues: "blob-bin"] == [bytes])
        }
    }

    @Test("received -bin values: padded, unpadded, comma-separated, with spaces")
    func decodeBinary() {
        let metadata = GRPCMetadataCoding.decode([
            ("a-bin", "AQI="), ("a-bin", "AQI"), ("b-bin", "AQ==,AQI, AQID ,AQIDBA"), ("c-bin", ""),
        ])
        #expect(metadata[binaryValues: "a-bin"] == [[1, 2], [1, 2]])
        #expect(metadata[binaryValues: "b-bin"] == [[1], [1, 2], [1, 2, 3], [1, 2, 3, 4]])
        #expect(metadata[binaryValues: "c-bin"] == [[]])
    }

    @Test("malformed base64 is dropped, other values survive", arguments: ["A", "AQ=", "AQ===", "A=Q", "AQ*", "AQ==AQ", "====", "-_8"])
    func malformedBase64(value: String) {
        let metadata = GRPCMetadataCoding.decode([("x-bin", value), ("x-bin", "AQ"), ("y", "ok")])
        #expect(metadata[binaryValues: "x-bin"] == [[1]])
        #expect(metadata.first("y") == "ok")
    }

    @Test("reserved and pseudo headers are not metadata; user-agent and authorization are")
    func decodeSkipsReserved() {
        let metadata = GRPCMetadataCoding.decode([
            (":method", "POST"), (":path", "/a/b"), ("content-type", "application/grpc"), ("te", "trailers"),
            ("grpc-timeout", "1S"), ("grpc-encoding", "gzip"), ("grpc-accept-encoding", "gzip"),
            ("grpc-status", "0"), ("grpc-message", "x"), ("grpc-future-thing", "x"), ("connection", "close"),
            ("user-agent", "grpc-go/1.60"), ("authorization", "Bearer y235.wef315yfh138vh31hv93hv8h3v"),
        ])
        #expect(metadata.map(\.key) == ["user-agent", "authorization"])
    }

    @Test("received text values are trimmed; values with non-printable bytes and invalid keys are dropped")
    func decodeLenient() {
        let metadata = GRPCMetadataCoding.decode([
            ("x-a", "  padded\t"), ("x-b", "tab\tinside"), ("x-c", "caf\u{E9}"), ("X-Upper", "v"), ("bad key", "v"),
            ("", "v"), ("x-d", ""), ("x-e", "ok"),
        ])
        #expect(metadata.first("x-a") == "padded")
        #expect(metadata.first("x-b") == nil)
        #expect(metadata.first("x-c") == nil)
        #expect(metadata.first("x-upper") == nil)
        #expect(metadata.first("x-d") == "")
        #expect(metadata.first("x-e") == "ok")
        #expect(metadata.count == 3)
    }

    @Test("received metadata can be echoed back without error")
    func echo() throws {
        let received = GRPCMetadataCoding.decode([
            ("x-a", " v "), ("x-b", "caf\u{E9}"), ("user-agent", "grpcio/1.6"), ("k-bin", "AQ"), ("k-bin", "!!"),
        ])
        let sent = try GRPCMetadataCoding.encode(received)
        #expect(pairs(sent) == ["x-a: v", "user-agent: grpcio/1.6", "k-bin: AQ"])
    }

    @Test("reserved keys in application metadata are skipped on send")
    func encodeSkipsReserved() throws {
        let metadata: Metadata = [
            "grpc-status": "0", "grpc-timeout": "1S", "content-type": "text/plain", "te": "gzip", "x-ok": "1",
            "transfer-encoding": "chunked",
        ]
        #expect(pairs(try GRPCMetadataCoding.encode(metadata)) == ["x-ok: 1"])
    }

    @Test("invalid keys fail with INTERNAL naming the key", arguments: ["bad key", "x/y", "émoji", ":path", "", "a\nb"])
    func invalidKey(key: String) {
        var metadata = Metadata()
        metadata.addString("v", forKey: key)
        do {
            _ = try GRPCMetadataCoding.encode(metadata)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .internal)
            #expect(error.message.contains("metadata key"))
            #expect(!error.message.contains("\n"))
        }
    }

    @Test("invalid text values fail with INTERNAL and never echo the value", arguments: ["line\nbreak", "tab\t", "café", "\u{7F}", "secret\u{0}"])
    func invalidValue(value: String) {
        let metadata: Metadata = ["authorization": .string(value)]
        do {
            _ = try GRPCMetadataCoding.encode(metadata)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .internal)
            #expect(error.message.contains("authorization"))
            #expect(!error.message.contains(value))
        }
    }

    @Test("a binary value under a key without -bin fails; a text value under -bin is sent as its UTF-8 bytes")
    func kindMismatch() throws {
        let wrong: Metadata = ["plain": .binary([1])]
        #expect(throws: RPCError.self) { try GRPCMetadataCoding.encode(wrong) }
        let text: Metadata = ["t-bin": "hi"]
        #expect(pairs(try GRPCMetadataCoding.encode(text)) == ["t-bin: aGk"])
    }

    @Test("key validity and reserved names")
    func predicates() {
        #expect(GRPCMetadataCoding.isValidKey("a-b_c.d-0-9"))
        #expect(!GRPCMetadataCoding.isValidKey("A"))
        #expect(!GRPCMetadataCoding.isValidKey(""))
        #expect(GRPCMetadataCoding.isReserved(":status"))
        #expect(GRPCMetadataCoding.isReserved("grpc-anything"))
        #expect(!GRPCMetadataCoding.isReserved("grpcx"))
        #expect(!GRPCMetadataCoding.isReserved("user-agent"))
        for name in ["content-type", "te", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"] {
            #expect(GRPCMetadataCoding.isReserved(name), "\(name)")
            // Same length, one byte off: custom metadata.
            #expect(!GRPCMetadataCoding.isReserved(String(name.dropLast()) + "x"), "\(name)")
        }
        #expect(!GRPCMetadataCoding.isReserved("content-typ"))
        #expect(!GRPCMetadataCoding.isReserved("tee"))
    }

    @Test("random header pairs never trap")
    func fuzz() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ab-_.:A=+/,% \t\u{0}é".unicodeScalars)
        func randomText() -> String {
            String(String.UnicodeScalarView((0..<Int.random(in: 0..<12, using: &generator)).map { _ in
                alphabet.randomElement(using: &generator)!
            }))
        }
        for _ in 0..<500 {
            let name = randomText() + (Bool.random(using: &generator) ? "-bin" : "")
            let metadata = GRPCMetadataCoding.decode([(name, randomText())])
            // Whatever is accepted can be sent back.
            #expect(throws: Never.self) { try GRPCMetadataCoding.encode(metadata) }
        }
    }
}
