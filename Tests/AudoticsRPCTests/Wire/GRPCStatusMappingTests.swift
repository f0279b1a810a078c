import AudoticsRPC
import Testing

@Suite("GRPCStatusMapping")
struct GRPCStatusMappingTests {
    @Test("the table of doc/http-grpc-status-mapping.md, and UNKNOWN for everything else")
    func httpTable() {
        let table: [Int: StatusCode] = [
            400: .internal, 401: .unauthenticated, 403: .permissionDenied, 404: .unimplemented, 429: .unavailable,
            431: .internal, 502: .unavailable, 503: .unavailable, 504: .unavailable,
        ]
        for status in 0...999 {
            #expect(GRPCStatusMapping.statusCode(forHTTPStatus: status) == table[status] ?? .unknown, "HTTP \(status)")
        }
        #expect(GRPCStatusMapping.statusCode(forHTTPStatus: 200) == .unknown)
    }

    @Test("RST_STREAM error codes map as PROTOCOL-HTTP2 lists them")
    func rstStream() {
        let expected: [UInt32: StatusCode?] = [
            0: .internal, 1: .internal, 2: .internal, 3: .internal, 4: .internal, 5: nil, 6: .internal, 7: .unavailable,
            8: .cancelled, 9: .internal, 10: .internal, 11: .resourceExhausted, 12: .permissionDenied, 13: .internal,
            0xFFFF_FFFF: .internal,
        ]
        for (code, status) in expected {
            #expect(GRPCStatusMapping.statusCode(forHTTP2ErrorCode: code) == status, "error code \(code)")
        }
    }
}
