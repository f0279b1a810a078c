internal import CNghttp2

/// A header list converted once into nghttp2's name/value form, for fields sent again and again (a server's
/// usual response headers, the OK trailers): sending it skips the per-call conversion of Strings into C memory.
///
/// Build it once and share it. nghttp2 copies the fields when a frame is submitted, so the list only has to live
/// for the duration of the call that sends it.
public final class PreparedHeaders: Sendable {
    /// The fields as given.
    public let headers: [HPACKHeader]
    // The name/value pairs and the bytes they point into, allocated in `init` and never written again (only
    // read by nghttp2 during a submit call), freed in `deinit`: immutable after initialisation, hence Sendable.
    nonisolated(unsafe) private let pairs: UnsafeMutableBufferPointer<nghttp2_nv>
    nonisolated(unsafe) private let bytes: UnsafeMutableBufferPointer<UInt8>

    /// Prepares `headers` (names lower-case, as HTTP/2 requires).
    public init(_ headers: [HPACKHeader]) {
        self.headers = headers
        let total = headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count }
        bytes = .allocate(capacity: max(total, 1))
        pairs = .allocate(capacity: max(headers.count, 1))
        fillNameValuePairs(headers, bytes: bytes.baseAddress!, pairs: pairs.baseAddress!)
    }

    deinit {
        bytes.deallocate()
        pairs.deallocate()
    }

    /// Calls `body` with the pairs.
    func withNameValuePairs<Result>(_ body: (UnsafeMutablePointer<nghttp2_nv>?, Int) -> Result) -> Result {
        body(pairs.baseAddress, headers.count)
    }
}
