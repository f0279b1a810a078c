@testable import AudoticsCodeGen
import Testing

@Suite("names: protoc-c's C identifiers and idiomatic Swift")
struct NamingTests {
    @Test("C names follow protoc-c 1.4's c_helpers rules", arguments: [
        ("audotics.v1.Track", "Audotics__V1__Track", "audotics__v1__track"),
        ("audotics.demo_pkg.v1.OuterMsg.InnerThing", "Audotics__DemoPkg__V1__OuterMsg__InnerThing", "audotics__demo_pkg__v1__outer_msg__inner_thing"),
        ("grpc.health.v1.HealthCheckRequest", "Grpc__Health__V1__HealthCheckRequest", "grpc__health__v1__health_check_request"),
        ("grpc.testing.RPCStats", "Grpc__Testing__RPCStats", "grpc__testing__rpcstats"),
    ])
    func cNames(fullName: String, typeName: String, lowerName: String) {
        #expect(ProtobufCNaming.typeName(fullName) == typeName)
        #expect(ProtobufCNaming.lowerName(fullName) == lowerName)
    }

    @Test("C field names are lower-cased and keywords get a trailing underscore")
    func cFields() {
        #expect(ProtobufCNaming.fieldName("track_id") == "track_id")
        #expect(ProtobufCNaming.fieldName("default") == "default_")
        #expect(ProtobufCNaming.fieldName("RPCStats") == "rpcstats")
        #expect(ProtobufCNaming.oneofCaseName("_position") == "_position_case")
    }

    @Test("Swift property names are lowerCamelCase with ID and URL in capitals")
    func properties() {
        #expect(SwiftNaming.propertyName("track_id") == "trackID")
        #expect(SwiftNaming.propertyName("seed_track_ids") == "seedTrackIDs")
        #expect(SwiftNaming.propertyName("id") == "id")
        #expect(SwiftNaming.propertyName("image_url") == "imageURL")
        #expect(SwiftNaming.propertyName("next_page_token") == "nextPageToken")
        #expect(SwiftNaming.propertyName("default") == "`default`")
        #expect(SwiftNaming.propertyName("protocol") == "`protocol`")
    }

    @Test("enum cases drop the enum's prefix but never start with a digit")
    func enumCases() {
        #expect(SwiftNaming.enumCaseName("EVENT_TYPE_PLAY_START", enumName: "EventType") == "playStart")
        #expect(SwiftNaming.enumCaseName("NOT_SERVING", enumName: "ServingStatus") == "notServing")
        #expect(SwiftNaming.enumCaseName("QUALITY_320K", enumName: "Quality") == "quality320k")
        #expect(SwiftNaming.enumCaseName("SIZE_1X", enumName: "Size") == "size1x")
        #expect(SwiftNaming.enumCaseName("DEFAULT", enumName: "Mode") == "`default`")
    }

    @Test("method names are lowerCamelCase, leading acronyms included")
    func methods() {
        #expect(SwiftNaming.methodName("GetTrack") == "getTrack")
        #expect(SwiftNaming.methodName("RPCStats") == "rpcStats")
        #expect(SwiftNaming.methodName("Check") == "check")
    }

    @Test("message names that Swift reserves get a Proto prefix")
    func typeNames() {
        #expect(SwiftNaming.typeName("Any") == "ProtoAny")
        #expect(SwiftNaming.typeName("Track") == "Track")
    }
}
