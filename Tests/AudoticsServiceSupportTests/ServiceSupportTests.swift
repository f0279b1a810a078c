import AudoticsRPC
import AudoticsServiceSupport
import AudoticsWellKnownTypes
import Testing

@Suite("Service support: field violations, rich errors, page tokens")
struct ServiceSupportTests {
    @Test("every violation is listed in the message and in a google.rpc.BadRequest detail")
    func badRequest() throws {
        var violations = FieldViolations()
        violations.checkID("", "track_id")
        violations.checkID(String(repeating: "x", count: 65), "album_id")
        violations.checkText("", "name", length: 1...100)
        violations.checkText("ok", "description", length: 0...300)
        violations.check(false, "page_size", .outOfRange, "must be between 0 and 200")
        let error = try #require(throws: RPCError.self) { try violations.throwIfAny() }
        #expect(error.code == .invalidArgument)
        #expect(error.message.contains("track_id is required") && error.message.contains("page_size must be between"))
        let bytes = try #require(error.metadata[binaryValues: GRPCTrailers.statusDetailsKey].first)
        let status = try Status(serializedBytes: bytes)
        #expect(status.code == 3 && status.message == error.message)
        #expect(status.details.first?.typeURL == "type.googleapis.com/google.rpc.BadRequest")
        let badRequest = try BadRequest(serializedBytes: try #require(status.details.first).value)
        #expect(badRequest.fieldViolations.map(\.field) == ["track_id", "album_id", "name", "page_size"])
        #expect(badRequest.fieldViolations.map(\.reason) == ["REQUIRED", "TOO_LONG", "REQUIRED", "OUT_OF_RANGE"])
        var none = FieldViolations()
        none.checkID("tr_1", "track_id")
        try none.throwIfAny()
    }

    @Test("retryLater carries RESOURCE_EXHAUSTED and a RetryInfo delay")
    func retryInfo() throws {
        let error = RPCError.retryLater(after: .milliseconds(1500), message: "too many attempts")
        #expect(error.code == .resourceExhausted)
        let status = try Status(serializedBytes: try #require(error.metadata[binaryValues: GRPCTrailers.statusDetailsKey].first))
        let info = try RetryInfo(serializedBytes: try #require(status.details.first).value)
        #expect(info.retryDelay?.seconds == 1 && info.retryDelay?.nanos == 500_000_000)
    }

    struct Cursor: Codable, Sendable, Equatable {
        var offset: Int
        var lastID: String
    }

    @Test("page tokens round-trip, refuse another query's token and garbage")
    func pageTokens() throws {
        let token = PageToken(cursor: Cursor(offset: 40, lastID: "tr_9"), scope: "query=rock|genre=")
        #expect(try PageToken<Cursor>.decode(token.encoded, scope: "query=rock|genre=") == Cursor(offset: 40, lastID: "tr_9"))
        #expect(try PageToken<Cursor>.decode("", scope: "anything") == nil)
        let other = try #require(throws: RPCError.self) { _ = try PageToken<Cursor>.decode(token.encoded, scope: "query=pop|genre=") }
        #expect(other.code == .invalidArgument && other.message.contains("page_token"))
        for garbage in ["!!!", "e30", String(repeating: "A", count: 2000)] {
            #expect(throws: RPCError.self) { _ = try PageToken<Cursor>.decode(garbage, scope: "query=rock|genre=") }
        }
    }
}
