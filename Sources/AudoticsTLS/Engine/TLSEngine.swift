internal import CAudoticsShims
internal import COpenSSL

/// One TLS connection as a byte-in, byte-out protocol engine: OpenSSL over two memory BIOs, no I/O.
///
/// The transport feeds network bytes with `receive(_:)`, takes decrypted bytes with `readPlaintext(into:)`,
/// hands plaintext to `write(plaintext:)` and sends whatever `drainCiphertext(into:)` returns (handshake
/// records, application records, alerts). The handshake advances by itself inside `receive` and
/// `readPlaintext`; a client queues its ClientHello when it is created. After every call that can produce
/// records (all of the above plus `shutdown()`), drain the ciphertext: TLS 1.3 may answer a `KeyUpdate`
/// inside a read, and a failed handshake leaves the fatal alert to send.
///
/// Once any call throws, the engine is failed: later calls rethrow the same `TLSError`; drain and send
/// the pending ciphertext (the alert), then close the transport.
///
/// Two memory BIOs (`BIO_s_mem`) rather than a `BIO_new_bio_pair`: a pair has fixed-size buffers, so
/// `receive` would have to accept short writes and interleave reads to make room. Memory BIOs take any
/// amount; each byte is copied once in (`BIO_write`) and once out (`BIO_read` straight into the caller's
/// buffer, or `SSL_read` straight into it for plaintext), and memory stays bounded where back-pressure
/// belongs: the transport stops reading its socket while the application is not reading plaintext.
///
/// Not `Sendable`: an OpenSSL `SSL` is single-threaded. Confine each engine to its connection's event loop.
public final class TLSEngine {
    /// Where the connection is: handshaking, established, or failed for good.
    enum Phase {
        case handshaking
        case established
        case failed(TLSError)
    }

    /// The context this connection was made from; kept alive because OpenSSL's callbacks read it.
    public let context: TLSContext
    /// OpenSSL's connection; owned by this engine and freed in `deinit` (which also frees both BIOs).
    let ssl: OpaquePointer
    /// The memory BIO OpenSSL reads network bytes from. Owned by `ssl` (`SSL_set_bio`), never freed here.
    let networkInput: OpaquePointer
    /// The memory BIO OpenSSL writes records to. Owned by `ssl` (`SSL_set_bio`), never freed here.
    let networkOutput: OpaquePointer
    /// Where the connection is; `.failed` is final.
    var phase: Phase = .handshaking
    /// Whether `shutdown()` was called; close_notify goes out once the handshake is done.
    var closeRequested = false
    /// Plaintext written before the handshake completed, encrypted as soon as it does.
    var plaintextBeforeHandshake: [UInt8] = []
    /// A record-sized buffer for `readPlaintext(into: inout [UInt8])`, allocated on first use.
    var scratch: UnsafeMutableRawBufferPointer?

    /// The ALPN protocol both peers agreed on (for example `h2`), or nil before the handshake or without ALPN.
    public internal(set) var negotiatedALPN: String?
    /// The TLS version of the connection, or nil before the handshake completes.
    public internal(set) var negotiatedVersion: TLSVersion?

    /// Makes a connection from `context` in the context's role.
    ///
    /// A client names the server with `serverHostname`: it is sent as SNI (unless it is an IP address, which
    /// SNI forbids) and, when the context verifies peers, the server's certificate must match it. Without a
    /// host name a verifying client checks the certificate chain only.
    public init(context: TLSContext, serverHostname: String? = nil) throws(TLSError) {
        guard serverHostname == nil || context.configuration.role == .client else {
            throw TLSError(code: .invalidArgument, message: "only a client names the server host")
        }
        guard let ssl = SSL_new(context.context) else { throw OpenSSLErrorQueue.error(.cryptoFailure, "SSL_new failed") }
        guard let input = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw OpenSSLErrorQueue.error(.cryptoFailure, "BIO_new failed")
        }
        guard let output = BIO_new(BIO_s_mem()) else {
            BIO_free(input)
            SSL_free(ssl)
            throw OpenSSLErrorQueue.error(.cryptoFailure, "BIO_new failed")
        }
        SSL_set_bio(ssl, input, output)  // the SSL now owns both BIOs
        self.context = context
        self.ssl = ssl
        self.networkInput = input
        self.networkOutput = output
        // From here on deinit frees the SSL (and both BIOs) if a later step throws.
        audotics_SSL_disable_renegotiation(ssl)
        switch context.configuration.role {
        case .server:
            SSL_set_accept_state(ssl)
        case .client:
            SSL_set_connect_state(ssl)
            if let serverHostname { try name(server: serverHostname) }
            try advanceHandshake()  // queues the ClientHello
        }
    }

    deinit {
        SSL_free(ssl)
        scratch?.deallocate()
    }

    /// Which side of the handshake this engine plays.
    public var role: TLSConfiguration.Role { context.configuration.role }

    /// Whether the handshake finished and passed our own checks (ALPN); application data can flow.
    public var isHandshakeComplete: Bool {
        if case .established = phase { return true }
        return false
    }

    /// The error that failed this engine, if one did.
    public var failure: TLSError? {
        if case .failed(let error) = phase { return error }
        return nil
    }

    /// The peer certificate's subject in RFC 2253 form (for example `CN=client,O=Audotics`), or nil when the
    /// peer presented none. Verified when the configuration verifies peers (clients; servers doing mTLS).
    public var peerCertificateSubject: String? {
        guard let certificate = SSL_get1_peer_certificate(ssl) else { return nil }
        defer { X509_free(certificate) }
        return X509Name.rfc2253(X509_get_subject_name(certificate))
    }

    /// Sets SNI and the name the server's certificate must match.
    private func name(server hostname: String) throws(TLSError) {
        let isAddress = Self.isIPAddress(hostname)
        if !isAddress {
            guard audotics_SSL_set_tlsext_host_name(ssl, hostname) == 1 else {
                throw OpenSSLErrorQueue.error(.invalidArgument, "cannot send \(hostname) as the server name (SNI)")
            }
        }
        guard context.configuration.verifiesPeer else { return }
        let accepted = isAddress
            ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), hostname) == 1
            : SSL_set1_host(ssl, hostname) == 1
        guard accepted else { throw OpenSSLErrorQueue.error(.invalidArgument, "cannot verify the server against \(hostname)") }
    }

    /// Whether `name` is an IPv4 or IPv6 literal rather than a DNS name (DNS names have no colons and
    /// never end in a numeric label).
    static func isIPAddress(_ name: String) -> Bool {
        if name.contains(":") { return true }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count == 4 && labels.allSatisfy { label in
            !label.isEmpty && label.count <= 3 && label.allSatisfy(\.isASCII) && label.allSatisfy(\.isNumber) && Int(label)! <= 255
        }
    }
}

/// Engines are confined to one thread (an event loop); an OpenSSL `SSL` must not be used concurrently.
@available(*, unavailable)
extension TLSEngine: Sendable {}
