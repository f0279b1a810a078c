import AudoticsAPI
import AudoticsConformanceAPI
import AudoticsJSON
import AudoticsProtobuf
import AudoticsWellKnownTypes
import Testing

@Suite("ProtoJSONRequest: body, path and query parameters")
struct ProtoJSONRequestTests {
    private func build<M: ProtobufMessage>(_ type: M.Type, _ steps: (ProtoJSONRequest) throws -> Void) throws -> M {
        let request = ProtoJSONRequest(descriptor: M._protobufCDescriptor)
        try steps(request)
        return try M(serializedBytes: request.serialized())
    }

    private func failure<M: ProtobufMessage>(_ type: M.Type, _ steps: (ProtoJSONRequest) throws -> Void) -> JSONMappingError? {
        let request = ProtoJSONRequest(descriptor: M._protobufCDescriptor)
        do {
            try steps(request)
            return nil
        } catch {
            return error as? JSONMappingError
        }
    }

    @Test("a body merged with path and query parameters, as the gateway transcodes PATCH /v1/playlists/{playlist_id}")
    func gatewayShape() throws {
        let request = try build(UpdatePlaylistRequest.self) {
            try $0.merge(json: Array(#"{"name": "Road trip", "visibility": "PLAYLIST_VISIBILITY_PUBLIC"}"#.utf8), intoField: ["playlist"])
            try $0.set(path: ["playlist_id"], text: "pl_1")
            try $0.set(path: ["updateMask"], text: "name,visibility")
            try $0.set(path: ["playlist", "collaborative"], text: "true")
            try $0.set(path: ["expected_snapshot_id"], text: "é/ü")
        }
        #expect(request == UpdatePlaylistRequest.with {
            $0.playlistID = "pl_1"
            $0.playlist = .with { $0.name = "Road trip"; $0.visibility = .public; $0.collaborative = true }
            $0.updateMask = .with { $0.paths = ["name", "visibility"] }
            $0.expectedSnapshotID = "é/ü"
        })
    }

    @Test("every scalar type from text; repeated fields append; merging appends lists")
    func scalarsFromText() throws {
        let scalars = try build(Scalars.self) {
            try $0.set(path: ["int32Value"], text: "-7")
            try $0.set(path: ["int64_value"], text: "-9223372036854775808")
            try $0.set(path: ["uint32Value"], text: "4294967295")
            try $0.set(path: ["uint64Value"], text: "18446744073709551615")
            try $0.set(path: ["sint32Value"], text: "1e3")
            try $0.set(path: ["fixed64Value"], text: "12")
            try $0.set(path: ["floatValue"], text: "-Infinity")
            try $0.set(path: ["doubleValue"], text: "2.5")
            try $0.set(path: ["boolValue"], text: "1")
            try $0.set(path: ["stringValue"], text: "a b&c")
            try $0.set(path: ["bytesValue"], text: "AQID")
        }
        #expect(scalars == Scalars.with {
            $0.int32Value = -7
            $0.int64Value = .min
            $0.uint32Value = .max
            $0.uint64Value = .max
            $0.sint32Value = 1000
            $0.fixed64Value = 12
            $0.floatValue = -.infinity
            $0.doubleValue = 2.5
            $0.boolValue = true
            $0.stringValue = "a b&c"
            $0.bytesValue = [1, 2, 3]
        })
        let lists = try build(PackedRepeated.self) {
            try $0.merge(json: Array(#"{"int32Values": [1, 2], "colorValues": ["COLOR_RED"]}"#.utf8))
            try $0.set(path: ["int32Values"], text: "3")
            try $0.set(path: ["color_values"], text: "COLOR_BLUE")
            try $0.set(path: ["colorValues"], text: "-1")
            try $0.merge(json: Array(#"{"int32Values": [4]}"#.utf8))
            try $0.set(path: ["stringValues"], text: "x")
        }
        #expect(lists == PackedRepeated.with {
            $0.int32Values = [1, 2, 3, 4]
            $0.colorValues = [.red, .blue, .infrared]
            $0.stringValues = ["x"]
        })
    }

    @Test("well-known types from text: Timestamp, Duration, wrappers; proto3 optional gets presence")
    func wellKnownFromText() throws {
        let history = try build(ListHistoryRequest.self) {
            try $0.set(path: ["startTime"], text: "2026-01-01T00:00:00Z")
            try $0.set(path: ["page_size"], text: "50")
        }
        #expect(history == ListHistoryRequest.with { $0.startTime = .with { $0.seconds = 1_767_225_600 }; $0.pageSize = 50 })
        let times = try build(Times.self) {
            try $0.set(path: ["took"], text: "-1.5s")
            try $0.set(path: ["history"], text: "1970-01-01T00:00:01Z")
            try $0.set(path: ["history"], text: "1970-01-01T00:00:02Z")
        }
        #expect(times == Times.with {
            $0.took = .with { $0.seconds = -1; $0.nanos = -500_000_000 }
            $0.history = [.with { $0.seconds = 1 }, .with { $0.seconds = 2 }]
        })
        let wrappers = try build(Wrappers.self) {
            try $0.set(path: ["int64Value"], text: "0")
            try $0.set(path: ["boolValue"], text: "false")
        }
        #expect(wrappers == Wrappers.with { $0.int64Value = Int64Value(); $0.boolValue = BoolValue() })
        let add = try build(AddTracksRequest.self) {
            try $0.set(path: ["position"], text: "0")
            try $0.set(path: ["trackIds"], text: "trk_1")
        }
        #expect(add == AddTracksRequest.with { $0.position = 0; $0.trackIDs = ["trk_1"] })
    }

    @Test("nested paths create messages; paths may mix both name styles")
    func nestedPaths() throws {
        let event = try build(Event.self) {
            try $0.set(path: ["context", "source_id"], text: "pl_9")
            try $0.set(path: ["context", "deviceType"], text: "1")
        }
        #expect(event.context?.sourceID == "pl_9")
        #expect(event.context?.deviceType.rawValue == 1)
        let nesting = try build(Nesting.self) { try $0.set(path: ["middle", "inner", "note"], text: "n") }
        #expect(nesting == Nesting.with { $0.middle = .with { $0.inner = .with { $0.note = "n" } } })
    }

    @Test("errors name the path and the problem; bad text leaves an unset message unset")
    func errors() throws {
        let error1 = try #require(failure(ListPlaylistsRequest.self) { try $0.set(path: ["pageSize"], text: "abc") })
        #expect(error1.message == #"field "pageSize": expected an integer, got "abc""#)
        #expect(error1.code == .invalidValue)
        let error2 = try #require(failure(CreatePlaylistRequest.self) { try $0.set(path: ["fooBar"], text: "1") })
        #expect(error2.message == #"unknown field "fooBar" in audotics.v1.CreatePlaylistRequest"#)
        #expect(error2.code == .unknownField)
        let error3 = try #require(failure(UpdatePlaylistRequest.self) { try $0.set(path: ["playlist", "nope"], text: "1") })
        #expect(error3.message == #"unknown field "nope" in audotics.v1.Playlist (at "playlist")"#)
        let error4 = try #require(failure(UpdatePlaylistRequest.self) { try $0.set(path: ["playlist"], text: "x") })
        #expect(error4.message == #"field "playlist": a audotics.v1.Playlist cannot be set from text"#)
        let error5 = try #require(failure(CreatePlaylistRequest.self) { try $0.set(path: ["visibility"], text: "LOUD") })
        #expect(error5.message == #"field "visibility": "LOUD" is not a value of audotics.v1.PlaylistVisibility"#)
        let error6 = try #require(failure(Maps.self) { try $0.set(path: ["stringToString"], text: "x") })
        #expect(error6.code == .invalidValue)
        let error7 = try #require(failure(PackedRepeated.self) { try $0.set(path: ["int32Values", "x"], text: "1") })
        #expect(error7.code == .invalidValue)
        let error8 = try #require(failure(UpdatePlaylistRequest.self) { try $0.merge(json: Array(#"{"name": 5}"#.utf8), intoField: ["playlist"]) })
        #expect(error8.message == #"field "playlist.name": expected a string, got a number"#)
        #expect(failure(Scalars.self) { try $0.set(path: [], text: "1") }?.code == .unknownField)
        #expect(failure(Scalars.self) { try $0.set(path: ["boolValue"], text: "yes") }?.code == .invalidValue)
        #expect(failure(Scalars.self) { try $0.set(path: ["bytesValue"], text: "!!") }?.code == .invalidValue)

        let request = ProtoJSONRequest(descriptor: ListHistoryRequest._protobufCDescriptor)
        #expect(throws: JSONMappingError.self) { try request.set(path: ["startTime"], text: "yesterday") }
        #expect(try ListHistoryRequest(serializedBytes: request.serialized()).startTime == nil)
    }

    @Test("merging into a scalar or list field with body: \"field\"")
    func mergeIntoField() throws {
        let request = try build(CreatePlaylistRequest.self) {
            try $0.merge(json: Array(#"["a", "b"]"#.utf8), intoField: ["trackIds"])
            try $0.merge(json: Array(#""Mix""#.utf8), intoField: ["name"])
        }
        #expect(request == CreatePlaylistRequest.with { $0.trackIDs = ["a", "b"]; $0.name = "Mix" })
    }

    @Test("a request can be serialized at any point and reused for further merges")
    func serializeTwice() throws {
        let request = ProtoJSONRequest(descriptor: CreatePlaylistRequest._protobufCDescriptor)
        try request.set(path: ["name"], text: "a")
        #expect(try CreatePlaylistRequest(serializedBytes: request.serialized()).name == "a")
        try request.set(path: ["name"], text: "b")
        #expect(try CreatePlaylistRequest(serializedBytes: request.serialized()).name == "b")
        #expect(try CreatePlaylistRequest(serializedBytes: ProtoJSONRequest(descriptor: CreatePlaylistRequest._protobufCDescriptor).serialized()) == CreatePlaylistRequest())
    }

    @Test("large inputs grow the arena: 20,000 list elements and a 1 MiB string")
    func largeInputs() throws {
        let numbers = (0..<20_000).map(String.init).joined(separator: ",")
        let big = String(repeating: "x", count: 1 << 20)
        let message: PackedRepeated = try JSONTest.decode(#"{"int64Values": [\#(numbers)], "stringValues": ["\#(big)"]}"#)
        #expect(message.int64Values == (0..<20_000).map(Int64.init))
        #expect(message.stringValues == [big])
    }
}
