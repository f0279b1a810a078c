import AudoticsConformanceAPI
import AudoticsJSON
import AudoticsProtobuf
import AudoticsWellKnownTypes
import Testing

@Suite("proto3 JSON: malformed and hostile input")
struct MalformedJSONTests {
    @Test("malformed JSON is rejected with malformedJSON, never a crash")
    func malformed() throws {
        let inputs = [
            "", " ", "{", "}", "[]", "null", "1", #""x""#, #"{"int32Value"}"#, #"{"int32Value":}"#, #"{"int32Value": 1,}"#,
            #"{'int32Value': 1}"#, #"{int32Value: 1}"#, #"{"int32Value": 01}"#, #"{"int32Value": +1}"#, #"{"int32Value": 1.}"#,
            #"{"int32Value": .5}"#, #"{"int32Value": 1e}"#, #"{"int32Value": 1} x"#, #"{"int32Value": 1}}"#, #"{"stringValue": "a}"#,
            #"{"stringValue": "\x"}"#, #"{"stringValue": "\u12"}"#, #"{"stringValue": "\ud800"}"#, #"{"stringValue": "\udc00\ud800"}"#,
            "{\"stringValue\": \"a\u{1}b\"}", #"{"boolValue": tru}"#, #"{"boolValue": True}"#, #"{"stringValue": "a" "b"}"#,
            #"{"int32Value": 1 "int64Value": 2}"#, #"{"int32Value": 1, "int32Value": 2}"#, "\u{FEFF}{}",
        ]
        for input in inputs {
            let error = JSONTest.error(input, as: Scalars.self)
            #expect(error != nil, "\(input)")
            if let error, input != "[]", input != "null", input != "1", input != #""x""#, input != #"{"boolValue": True}"# {
                #expect(error.code == .malformedJSON, "\(input): \(error)")
            }
        }
        // Invalid UTF-8: a lone continuation byte, an overlong form, an encoded surrogate.
        for bytes: [UInt8] in [[0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]] {
            let json = Array(#"{"stringValue": ""#.utf8) + bytes + Array(#""}"#.utf8)
            #expect(throws: JSONMappingError.self) { try ProtoJSON.decode(json: json, descriptor: Scalars._protobufCDescriptor) }
        }
    }

    @Test("nesting deeper than the limit is refused, also inside values that are skipped")
    func depth() throws {
        let deep = String(repeating: "[", count: 100_000)
        #expect(JSONTest.error(#"{"int32Values": \#(deep)"#, as: PackedRepeated.self) != nil)
        let deepAny = #"{"details": [{"x": \#(String(repeating: "[", count: 100_000))"#
        #expect(JSONTest.error(deepAny, as: Status.self)?.code == .depthLimitExceeded)
        let limited = JSONDecodingOptions(maxDepth: 2)
        let json = Array(#"{"middle": {"inner": {}}}"#.utf8)
        #expect(throws: JSONMappingError.self) { try ProtoJSON.decode(json: json, descriptor: Nesting._protobufCDescriptor, options: limited) }
        #expect(throws: Never.self) { try ProtoJSON.decode(json: json, descriptor: Nesting._protobufCDescriptor, options: JSONDecodingOptions(maxDepth: 3)) }
    }

    @Test("random mutations of valid JSON fail cleanly or decode")
    func mutations() throws {
        let valid = Array(try JSONTest.json(Everything.with {
            $0.scalars = .with { $0.int64Value = 5; $0.stringValue = "é"; $0.bytesValue = [1, 2, 3] }
            $0.maps = .with { $0.int32ToItem = [1: .with { $0.name = "a" }] }
            $0.times = .with { $0.at = .with { $0.seconds = 5 } }
            $0.choice = .with { $0.value = .text("t") }
        }).utf8)
        var state: UInt64 = 0x1234_5678
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let alphabet = Array(#"{}[],:"\ 0123456789.eE-+truefalsnul"#.utf8) + [0x80, 0xFF, 0x00]
        for _ in 0..<3_000 {
            var mutated = valid
            for _ in 0..<Int(next() % 3 + 1) {
                let index = Int(next() % UInt64(mutated.count))
                switch next() % 3 {
                case 0: mutated[index] = alphabet[Int(next() % UInt64(alphabet.count))]
                case 1: mutated.remove(at: index)
                default: mutated.insert(alphabet[Int(next() % UInt64(alphabet.count))], at: index)
                }
            }
            _ = try? ProtoJSON.decode(json: mutated, descriptor: Everything._protobufCDescriptor)
        }
        for length in 0..<valid.count {
            #expect(throws: JSONMappingError.self) { try ProtoJSON.decode(json: Array(valid.prefix(length)), descriptor: Everything._protobufCDescriptor) }
        }
    }
}
