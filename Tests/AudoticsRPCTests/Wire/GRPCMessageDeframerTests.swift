import AudoticsRPC
import Testing

/// Frames messages the way the spec lays them out, independently of `GRPCMessageFramer`.
private func frame(_ payload: [UInt8], flag: UInt8 = 0) -> [UInt8] {
    let length = UInt32(payload.count)
    return [flag, UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
        + payload
}

/// Feeds `bytes` in chunks of the given sizes (cycled) and collects every message, then finishes the stream.
private func deframe(
    _ bytes: [UInt8], chunkSizes: [Int], max: Int = GRPCMessageDeframer.defaultMaxMessageBytes
) throws(RPCError) -> [GRPCMessageDeframer.Message] {
    var deframer = GRPCMessageDeframer(maxMessageBytes: max)
    var messages: [GRPCMessageDeframer.Message] = []
    var offset = 0
    var turn = 0
    while offset < bytes.count {
        let size = Swift.max(1, chunkSizes[turn % chunkSizes.count])
        let end = Swift.min(bytes.count, offset + size)
        deframer.append(contentsOf: bytes[offset..<end])
        offset = end
        turn += 1
        while let message = try deframer.next() { messages.append(message) }
    }
    deframer.finish()
    while let message = try deframer.next() { messages.append(message) }
    return messages
}

@Suite("GRPCMessageDeframer")
struct GRPCMessageDeframerTests {
    static let payloads: [[UInt8]] = [
        [], [0x2A], Array(0..<200).map { UInt8($0) }, [UInt8](repeating: 7, count: 70_000), [1, 2, 3, 4, 5],
    ]
    static var stream: [UInt8] { payloads.enumerated().flatMap { frame($1, flag: UInt8($0 % 2)) } }
    static var expected: [GRPCMessageDeframer.Message] {
        payloads.enumerated().map { .init(compressed: $0 % 2 == 1, bytes: $1) }
    }

    @Test("many messages in one chunk")
    func oneChunk() throws {
        #expect(try deframe(Self.stream, chunkSizes: [Self.stream.count]) == Self.expected)
    }

    @Test("one byte at a time")
    func oneByteChunks() throws {
        #expect(try deframe(Self.stream, chunkSizes: [1]) == Self.expected)
    }

    @Test("every chunk size from 2 to 13, and irregular sizes", arguments: Array(2...13) + [4096, 16_384, 65_535])
    func chunkSizes(size: Int) throws {
        #expect(try deframe(Self.stream, chunkSizes: [size]) == Self.expected)
        #expect(try deframe(Self.stream, chunkSizes: [size, 1, 3 * size, 2]) == Self.expected)
    }

    @Test("every two-way split of a small stream")
    func everySplitPoint() throws {
        let small = frame([9, 8, 7]) + frame([]) + frame([1], flag: 1) + frame(Array(repeating: 0xEE, count: 17))
        let expected: [GRPCMessageDeframer.Message] = [
            .init(compressed: false, bytes: [9, 8, 7]), .init(compressed: false, bytes: []),
            .init(compressed: true, bytes: [1]), .init(compressed: false, bytes: Array(repeating: 0xEE, count: 17)),
        ]
        for split in 0...small.count {
            var deframer = GRPCMessageDeframer()
            var messages: [GRPCMessageDeframer.Message] = []
            deframer.append(contentsOf: small[..<split])
            while let message = try deframer.next() { messages.append(message) }
            deframer.append(contentsOf: small[split...])
            deframer.finish()
            while let message = try deframer.next() { messages.append(message) }
            #expect(messages == expected, "split at \(split)")
        }
    }

    @Test("the raw-pointer entry point and a non-contiguous sequence give the same result")
    func otherEntryPoints() throws {
        var deframer = GRPCMessageDeframer()
        Self.stream.withUnsafeBytes { deframer.append($0) }
        var viaPointer: [GRPCMessageDeframer.Message] = []
        while let message = try deframer.next() { viaPointer.append(message) }
        #expect(viaPointer == Self.expected)

        var lazy = GRPCMessageDeframer()
        lazy.append(contentsOf: Self.stream.lazy.map { $0 })
        var viaSequence: [GRPCMessageDeframer.Message] = []
        while let message = try lazy.next() { viaSequence.append(message) }
        #expect(viaSequence == Self.expected)
        lazy.append(UnsafeRawBufferPointer(start: nil, count: 0))
        #expect(try lazy.next() == nil)
    }

    @Test("a message of exactly the limit passes; one byte more is RESOURCE_EXHAUSTED")
    func limitBoundary() throws {
        #expect(try deframe(frame(Array(repeating: 1, count: 100)), chunkSizes: [7], max: 100).count == 1)
        #expect(throws: RPCError.self) { try deframe(frame(Array(repeating: 1, count: 101)), chunkSizes: [7], max: 100) }
        do {
            _ = try deframe(frame(Array(repeating: 1, count: 101)), chunkSizes: [7], max: 100)
        } catch {
            #expect(error.code == .resourceExhausted)
        }
    }

    @Test("an oversize length fails as soon as the prefix is read, before any body byte")
    func oversizeFailsAtPrefix() throws {
        var deframer = GRPCMessageDeframer()
        deframer.append(contentsOf: [0, 0xFF, 0xFF, 0xFF])
        #expect(try deframer.next() == nil)
        #expect(deframer.hasPartialMessage)
        deframer.append(contentsOf: [0xFF])  // the fifth prefix byte: 4 GiB - 1 declared, nothing sent
        do {
            _ = try deframer.next()
            Issue.record("expected RESOURCE_EXHAUSTED")
        } catch {
            #expect(error.code == .resourceExhausted)
        }
        // The fault is sticky and later bytes are ignored.
        deframer.append(contentsOf: frame([1]))
        #expect(throws: RPCError.self) { try deframer.next() }
    }

    @Test("messages before a fault are still delivered, in order")
    func messagesBeforeFault() throws {
        var deframer = GRPCMessageDeframer(maxMessageBytes: 10)
        deframer.append(contentsOf: frame([1]) + frame([2, 2]) + frame(Array(repeating: 0, count: 11)))
        #expect(try deframer.next()?.bytes == [1])
        #expect(try deframer.next()?.bytes == [2, 2])
        #expect(throws: RPCError.self) { try deframer.next() }
    }

    @Test("a Compressed-Flag other than 0 or 1 is INTERNAL", arguments: [UInt8(2), 3, 0x80, 0xFF])
    func badFlag(flag: UInt8) {
        var deframer = GRPCMessageDeframer()
        deframer.append(contentsOf: frame([1, 2], flag: flag))
        do {
            _ = try deframer.next()
            Issue.record("expected INTERNAL")
        } catch {
            #expect(error.code == .internal)
        }
    }

    @Test("END_STREAM inside a prefix or a body is INTERNAL")
    func truncated() throws {
        let whole = frame([1, 2, 3, 4])
        for cut in 1..<whole.count {
            var deframer = GRPCMessageDeframer()
            deframer.append(contentsOf: whole[..<cut])
            #expect(try deframer.next() == nil)
            deframer.finish()
            do {
                _ = try deframer.next()
                Issue.record("expected INTERNAL for a cut at \(cut)")
            } catch {
                #expect(error.code == .internal)
            }
        }
    }

    @Test("a clean end of stream returns nil, also with no data at all")
    func cleanEnd() throws {
        var empty = GRPCMessageDeframer()
        empty.finish()
        #expect(try empty.next() == nil)
        var one = GRPCMessageDeframer()
        one.append(contentsOf: frame([5]))
        one.finish()
        #expect(try one.next()?.bytes == [5])
        #expect(try one.next() == nil)
        #expect(!one.hasPartialMessage)
    }

    @Test("a zero limit still accepts empty messages")
    func zeroLimit() throws {
        #expect(try deframe(frame([]) + frame([]), chunkSizes: [3], max: 0).count == 2)
    }

    @Test("random bytes in random chunks never trap")
    func fuzz() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let count = Int.random(in: 0..<64, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Bias towards plausible prefixes so bodies get exercised too.
            if bytes.count > 5, Bool.random(using: &generator) { bytes[0] = 0; bytes[1] = 0; bytes[2] = 0 }
            var deframer = GRPCMessageDeframer(maxMessageBytes: 1_000_000)
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + Int.random(in: 1...9, using: &generator))
                deframer.append(contentsOf: bytes[offset..<end])
                offset = end
                while (try? deframer.next()) != nil {}
            }
            deframer.finish()
            while (try? deframer.next()) != nil {}
        }
    }
}
