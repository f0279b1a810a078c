internal import CHiredis

/// An incremental RESP2 parser over hiredis's `redisReader`: feed it bytes as they arrive, in any
/// fragments, and take complete replies out.
///
/// After any error the reader stays failed (the byte stream can no longer be trusted); close the
/// connection. Arrays nested deeper than 7 levels are a protocol error (a hiredis limit). Call `next()`
/// until it returns nil after each `feed(_:)`, so the buffer holds only incomplete replies.
/// Not `Sendable`: it belongs to one connection.
public final class RESPReader {
    /// The bounds this reader enforces.
    public let limits: RESPReaderLimits
    /// hiredis's reader; owned by this object and freed in `deinit`.
    private let reader: UnsafeMutablePointer<redisReader>
    /// The object functions the reader calls; hiredis keeps the pointer, so it lives as long as the reader.
    private let functions: UnsafeMutablePointer<redisReplyObjectFunctions>
    /// The first failure; every later call rethrows it.
    private var failure: RedisError?
    /// Set by the array trampoline when a reply breaks a limit, to tell that apart from hiredis's out-of-memory.
    fileprivate var limitViolation: String?

    /// Creates a reader that enforces `limits`.
    public init(limits: RESPReaderLimits = .default) throws(RedisError) {
        let functions = UnsafeMutablePointer<redisReplyObjectFunctions>.allocate(capacity: 1)
        functions.initialize(to: redisReplyObjectFunctions(
            createString: respCreateString, createArray: respCreateArray, createInteger: respCreateInteger,
            createNil: respCreateNil, freeObject: respFreeObject
        ))
        guard let reader = redisReaderCreateWithFunctions(functions) else {
            functions.deallocate()
            throw RedisError(code: .outOfMemory, message: "redisReaderCreateWithFunctions failed")
        }
        self.limits = limits
        self.reader = reader
        self.functions = functions
        // Unretained: the reader never outlives self, and callbacks only run inside self's own methods.
        reader.pointee.privdata = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        redisReaderFree(reader)  // frees a half-built reply through respFreeObject
        functions.deallocate()
    }

    /// The number of received bytes not yet consumed by a complete reply.
    public var bufferedByteCount: Int { reader.pointee.len - reader.pointee.pos }

    /// Appends received bytes; throws `limitExceeded` if the unparsed bytes would pass `maximumBufferedBytes`.
    public func feed(_ bytes: [UInt8]) throws(RedisError) {
        let outcome = bytes.withUnsafeBytes { raw in Result { () throws(RedisError) in try feed(raw) } }
        try outcome.get()
    }

    /// Appends received bytes without copying them into an array first (hiredis copies them into its buffer).
    public func feed(_ bytes: UnsafeRawBufferPointer) throws(RedisError) {
        if let failure { throw failure }
        guard bufferedByteCount + bytes.count <= limits.maximumBufferedBytes else {
            throw fail(RedisError(
                code: .limitExceeded,
                message: "more than \(limits.maximumBufferedBytes) unparsed bytes buffered (a reply is too large)"
            ))
        }
        guard bytes.count > 0, let base = bytes.baseAddress else { return }
        let status = redisReaderFeed(reader, base.assumingMemoryBound(to: CChar.self), bytes.count)
        guard status == REDIS_OK else { throw fail(currentError()) }
    }

    /// The next complete reply, or nil if the buffered bytes do not yet hold one.
    public func next() throws(RedisError) -> RedisReply? {
        if let failure { throw failure }
        var object: UnsafeMutableRawPointer?
        guard redisReaderGetReply(reader, &object) == REDIS_OK else { throw fail(currentError()) }
        guard let object else { return nil }
        return Unmanaged<ReplyNode>.fromOpaque(object).takeRetainedValue().reply
    }

    private func fail(_ error: RedisError) -> RedisError {
        failure = error
        return error
    }

    private func currentError() -> RedisError {
        if let limitViolation { return RedisError(code: .limitExceeded, message: limitViolation) }
        let text = withUnsafeBytes(of: &reader.pointee.errstr) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        switch reader.pointee.err {
        case REDIS_ERR_OOM: return RedisError(code: .outOfMemory, message: "hiredis reader: \(text)")
        default: return RedisError(code: .protocolError, message: "hiredis reader: \(text)")
        }
    }

    /// Called by the array trampoline: whether an array of `count` elements is within the limits.
    fileprivate func admitArray(of count: Int) -> Bool {
        guard count <= limits.maximumArrayElements else {
            limitViolation = "an array reply declares \(count) elements, above the limit of \(limits.maximumArrayElements)"
            return false
        }
        return true
    }
}

/// The reader's buffer and partial reply are unsynchronised mutable state tied to one connection.
@available(*, unavailable)
extension RESPReader: Sendable {}

// MARK: - hiredis object-function trampolines
//
// hiredis builds each reply top-down: an array object is created before its elements, and each element
// is created with its parent task. The root object is owned by hiredis (retained here, released by
// respFreeObject or taken by `next()`); elements are owned by their parent node (returned unretained).
// Returning NULL makes hiredis fail with out-of-memory, which `currentError()` reports as a limit when
// the array trampoline refused. No Swift error crosses into C.

private func attach(_ node: ReplyNode, to task: UnsafePointer<redisReadTask>?) -> UnsafeMutableRawPointer? {
    guard let task else { return nil }
    if let parent = task.pointee.parent, let parentObject = parent.pointee.obj {
        let parentNode = Unmanaged<ReplyNode>.fromOpaque(parentObject).takeUnretainedValue()
        parentNode.children[Int(task.pointee.idx)] = node
        return Unmanaged.passUnretained(node).toOpaque()
    }
    return Unmanaged.passRetained(node).toOpaque()
}

private func respCreateString(
    _ task: UnsafePointer<redisReadTask>?, _ bytes: UnsafeMutablePointer<CChar>?, _ length: Int
) -> UnsafeMutableRawPointer? {
    guard let task else { return nil }
    let raw = UnsafeRawBufferPointer(start: bytes, count: bytes == nil ? 0 : length)
    let reply: RedisReply
    switch task.pointee.type {
    case REDIS_REPLY_STATUS: reply = .status(String(decoding: raw, as: UTF8.self))
    case REDIS_REPLY_ERROR: reply = .error(String(decoding: raw, as: UTF8.self))
    default: reply = .bulkString(Array(raw))
    }
    return attach(ReplyNode(reply), to: task)
}

private func respCreateArray(_ task: UnsafePointer<redisReadTask>?, _ count: Int32) -> UnsafeMutableRawPointer? {
    guard let task, let owner = task.pointee.privdata else { return nil }
    let reader = Unmanaged<RESPReader>.fromOpaque(owner).takeUnretainedValue()
    guard count >= 0, reader.admitArray(of: Int(count)) else { return nil }
    return attach(ReplyNode(arrayOf: Int(count)), to: task)
}

private func respCreateInteger(_ task: UnsafePointer<redisReadTask>?, _ value: Int64) -> UnsafeMutableRawPointer? {
    attach(ReplyNode(.integer(value)), to: task)
}

private func respCreateNil(_ task: UnsafePointer<redisReadTask>?) -> UnsafeMutableRawPointer? {
    attach(ReplyNode(.null), to: task)
}

private func respFreeObject(_ object: UnsafeMutableRawPointer?) {
    guard let object else { return }
    Unmanaged<ReplyNode>.fromOpaque(object).release()
}
