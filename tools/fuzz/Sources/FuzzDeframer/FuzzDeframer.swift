import AudoticsRPC

/// libFuzzer's entry point: one input through `GRPCMessageDeframer`, as a server stream would see it.
///
/// Input layout: byte 0 picks the chunk sizes the rest is fed in (DATA frame boundaries have no relation
/// to message boundaries), byte 1 the receive limit and the `grpc-encoding`; the rest is the stream's
/// bytes. Every completed message goes through `payload(of:limit:)` (gzip/deflate with a limit), and the
/// outcome must not depend on the chunking: the same bytes fed in one piece give the same messages and
/// the same error, else the target traps (a finding).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDeframer(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let input = UnsafeBufferPointer(start: data, count: size)
    guard input.count >= 2 else { return 0 }
    let chunking = input[0]
    let limits: [Int] = [0, 1, 16, 1024, 64 * 1024]
    let limit = limits[Int(input[1] & 0x7) % limits.count]
    let encodings: [GRPCMessageCompression] = [.identity, .gzip, .deflate]
    let encoding = encodings[Int(input[1] >> 3) % encodings.count]
    let stream = UnsafeBufferPointer(rebasing: input[2...])

    let chunked = deframe(stream, limit: limit, encoding: encoding) { offset, remaining in
        // 0: one byte at a time; otherwise sizes cycling through a small pattern set by the first byte.
        let step = chunking == 0 ? 1 : (Int(chunking) * (offset + 1)) % 257 + 1
        return min(step, remaining)
    }
    let whole = deframe(stream, limit: limit, encoding: encoding) { _, remaining in remaining }
    precondition(chunked == whole, "the chunking changed what the deframer produced")
    return 0
}

/// What a stream produced: its payloads, then the error that ended it (if any).
struct Outcome: Equatable {
    var payloads: [[UInt8]] = []
    var error: RPCError?
}

/// Feeds `stream` in chunks of `chunkSize(offset, remaining)` bytes, draining after each, then ends it.
func deframe(
    _ stream: UnsafeBufferPointer<UInt8>, limit: Int, encoding: GRPCMessageCompression,
    chunkSize: (Int, Int) -> Int
) -> Outcome {
    var deframer = GRPCMessageDeframer(maxMessageBytes: limit)
    var outcome = Outcome()
    var offset = 0
    func drain() -> Bool {
        do {
            while let message = try deframer.next() {
                precondition(message.bytes.count <= limit, "a message above the limit came out")
                do {
                    let payload = try encoding.payload(of: message, limit: limit)
                    precondition(payload.count <= limit, "a payload above the limit came out")
                    outcome.payloads.append(payload)
                } catch {
                    outcome.payloads.append([0xFF, UInt8(truncatingIfNeeded: error.code.rawValue)])
                }
            }
            return true
        } catch {
            outcome.error = error
            // Once failed, a deframer stays failed.
            do {
                _ = try deframer.next()
                preconditionFailure("the deframer recovered after an error")
            } catch {
                precondition(error == outcome.error, "the deframer changed its error")
            }
            return false
        }
    }
    while offset < stream.count {
        let count = max(1, chunkSize(offset, stream.count - offset))
        deframer.append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: stream[offset..<(offset + count)])))
        offset += count
        guard drain() else { return outcome }
    }
    deframer.finish()
    _ = drain()
    return outcome
}
