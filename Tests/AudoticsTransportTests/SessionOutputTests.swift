import AudoticsHTTP2
import AudoticsTransport
import NIOCore
import Testing

@Suite("session output")
struct SessionOutputTests {
    let allocator = ByteBufferAllocator()

    /// Where a buffer's bytes are.
    func address(_ buffer: ByteBuffer) -> UnsafeRawPointer? {
        buffer.withUnsafeReadableBytes { UnsafeRawPointer($0.baseAddress) }
    }

    @Test("a flush's frames come in one buffer; the next flush reuses its storage once the channel released it")
    func reuse() throws {
        let session = try HTTP2Session(role: .client)
        var output = SessionOutput()
        // The client preface and SETTINGS.
        let first = try #require(try output.take(from: session, allocator: allocator))
        #expect(first.readableBytesView.starts(with: Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)))
        let firstAddress = address(first)
        #expect(try output.take(from: session, allocator: allocator) == nil)  // nothing new
        try session.sendPing()
        let ping = try #require(try output.take(from: session, allocator: allocator))
        #expect(ping.readableBytes == 9 + 8)
        #expect(ping.getInteger(at: 3, as: UInt8.self) == 6)  // a PING frame
        // `first` is still held here, so the PING went into new storage and `first` is unchanged.
        #expect(address(ping) != firstAddress)
        #expect(first.readableBytesView.starts(with: Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)))
    }

    @Test("storage nobody holds any more is written again in place")
    func released() throws {
        let session = try HTTP2Session(role: .client)
        var output = SessionOutput()
        var address: UnsafeRawPointer?
        do {
            let first = try #require(try output.take(from: session, allocator: allocator))
            address = self.address(first)
        }
        try session.sendPing()
        let ping = try #require(try output.take(from: session, allocator: allocator))
        #expect(self.address(ping) == address)
        #expect(ping.getInteger(at: 3, as: UInt8.self) == 6)
    }
}
