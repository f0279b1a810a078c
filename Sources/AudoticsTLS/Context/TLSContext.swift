internal import CAudoticsShims
internal import COpenSSL

/// An OpenSSL `SSL_CTX` built from a `TLSConfiguration`: versions, certificates, trust and ALPN.
///
/// The context is the single owner of its `SSL_CTX`. Connections made from it (`TLSEngine`) keep the
/// context alive, since the ALPN callback reads this object.
///
/// `@unchecked Sendable` is safe: after `init` the `SSL_CTX` is never reconfigured, OpenSSL allows
/// concurrent `SSL_new` from one `SSL_CTX`, and the ALPN callback only reads immutable state.
public final class TLSContext: @unchecked Sendable {
    /// The configuration the context was built from.
    public let configuration: TLSConfiguration
    /// OpenSSL's context; owned by this object and freed in `deinit`.
    let context: OpaquePointer
    /// The ALPN list in wire format (length-prefixed names), read by the server's selection callback.
    private let alpnWireFormat: [UInt8]
    /// A C copy of `alpnWireFormat`: the name the ALPN callback selects must stay valid after the callback
    /// returns, so it points into this buffer, which the context owns and frees after the `SSL_CTX`.
    private let alpnStorage: UnsafeMutableBufferPointer<UInt8>

    /// Builds the context, loading and checking every file the configuration names.
    public init(configuration: TLSConfiguration) throws(TLSError) {
        let wire = try Self.alpnWireFormat(configuration.applicationProtocols)
        let method = configuration.role == .server ? TLS_server_method() : TLS_client_method()
        guard let context = SSL_CTX_new(method) else { throw OpenSSLErrorQueue.error(.cryptoFailure, "SSL_CTX_new failed") }
        self.context = context
        self.configuration = configuration
        self.alpnWireFormat = wire
        self.alpnStorage = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(wire.count, 1))
        _ = alpnStorage.initialize(from: wire)
        // From here on deinit frees the context if a later step throws.
        try configure()
    }

    deinit {
        SSL_CTX_free(context)
        alpnStorage.deallocate()
    }

    private func configure() throws(TLSError) {
        guard audotics_SSL_CTX_set_min_proto_version(context, configuration.minimumVersion.openSSLVersion) == 1 else {
            throw OpenSSLErrorQueue.error(.cryptoFailure, "cannot set the minimum TLS version")
        }
        if let maximum = configuration.maximumVersion {
            guard maximum >= configuration.minimumVersion else {
                throw TLSError(code: .invalidArgument, message: "the maximum TLS version is below the minimum")
            }
            guard audotics_SSL_CTX_set_max_proto_version(context, maximum.openSSLVersion) == 1 else {
                throw OpenSSLErrorQueue.error(.cryptoFailure, "cannot set the maximum TLS version")
            }
        }
        SSL_CTX_set_default_passwd_cb(context, noPasswordCallback)
        try loadIdentity()
        try loadTrust()
        if !alpnWireFormat.isEmpty {
            switch configuration.role {
            case .client:
                // Unlike most OpenSSL calls, SSL_CTX_set_alpn_protos returns 0 on success.
                guard SSL_CTX_set_alpn_protos(context, alpnWireFormat, UInt32(alpnWireFormat.count)) == 0 else {
                    throw OpenSSLErrorQueue.error(.cryptoFailure, "cannot set the ALPN protocols")
                }
            case .server:
                SSL_CTX_set_alpn_select_cb(context, selectApplicationProtocol, Unmanaged.passUnretained(self).toOpaque())
                if configuration.requiresApplicationProtocol {
                    // The selection callback only runs for clients that offer ALPN; this one refuses the rest.
                    SSL_CTX_set_client_hello_cb(context, requireApplicationProtocolOffer, nil)
                }
            }
        }
    }

    private func loadIdentity() throws(TLSError) {
        switch (configuration.certificateChainFile, configuration.privateKeyFile) {
        case (let chain?, let key?):
            guard SSL_CTX_use_certificate_chain_file(context, chain) == 1 else {
                throw OpenSSLErrorQueue.error(.certificateLoadFailed, "cannot load the certificate chain from \(chain)")
            }
            guard SSL_CTX_use_PrivateKey_file(context, key, SSL_FILETYPE_PEM) == 1 else {
                throw OpenSSLErrorQueue.error(.privateKeyLoadFailed, "cannot load an unencrypted PEM private key from \(key)")
            }
            guard SSL_CTX_check_private_key(context) == 1 else {
                throw OpenSSLErrorQueue.error(.privateKeyLoadFailed, "the private key in \(key) does not match the certificate in \(chain)")
            }
        case (nil, nil) where configuration.role == .client:
            return
        default:
            throw TLSError(code: .invalidArgument, message: "a server needs both a certificate chain file and a private key file; a client needs both or neither")
        }
    }

    private func loadTrust() throws(TLSError) {
        if let roots = configuration.trustRootsFile {
            guard SSL_CTX_load_verify_locations(context, roots, nil) == 1 else {
                throw OpenSSLErrorQueue.error(.trustRootsLoadFailed, "cannot load trust roots from \(roots)")
            }
        } else if configuration.role == .client && configuration.verifiesPeer {
            guard SSL_CTX_set_default_verify_paths(context) == 1 else {
                throw OpenSSLErrorQueue.error(.trustRootsLoadFailed, "cannot load the system trust roots")
            }
        }
        if configuration.verifiesPeer {
            let failIfNoCertificate = configuration.role == .server ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER | failIfNoCertificate, nil)
        } else {
            SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        }
    }

    /// Encodes ALPN names as OpenSSL wants them: each name prefixed by its one-byte length.
    static func alpnWireFormat(_ protocols: [String]) throws(TLSError) -> [UInt8] {
        var wire: [UInt8] = []
        for name in protocols {
            let bytes = Array(name.utf8)
            guard (1...255).contains(bytes.count) else {
                throw TLSError(code: .invalidArgument, message: "an ALPN protocol name must be 1...255 bytes")
            }
            wire.append(UInt8(bytes.count))
            wire.append(contentsOf: bytes)
        }
        return wire
    }

    /// The server's ALPN choice: our first preference that the client offered, or nil when there is none.
    func selectProtocol(offered: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        var offeredNames: [ArraySlice<UInt8>] = []
        var index = 0
        while index < offered.count {
            let length = Int(offered[index])
            guard length > 0, index + 1 + length <= offered.count else { return nil }  // malformed list
            offeredNames.append(ArraySlice(offered[(index + 1)..<(index + 1 + length)]))
            index += 1 + length
        }
        var ours = 0
        while ours < alpnWireFormat.count {
            let length = Int(alpnWireFormat[ours])
            let name = alpnWireFormat[(ours + 1)..<(ours + 1 + length)]
            if offeredNames.contains(where: { $0.elementsEqual(name) }) { return (ours + 1)..<(ours + 1 + length) }
            ours += 1 + length
        }
        return nil
    }

    /// The selected name as a pointer into `alpnStorage` (valid as long as this context) and its length.
    fileprivate func selectedProtocol(offered: UnsafeBufferPointer<UInt8>) -> (UnsafePointer<UInt8>, UInt8)? {
        guard let range = selectProtocol(offered: offered) else { return nil }
        return (UnsafePointer(alpnStorage.baseAddress! + range.lowerBound), UInt8(range.count))
    }
}

/// OpenSSL's ALPN selection callback. Recovers the context from `arg`, never lets a Swift error cross
/// into C, and answers with a fatal `no_application_protocol` alert when nothing matches (or, when ALPN is
/// optional, goes on without a negotiated protocol).
///
/// The selected pointer must outlive the callback: it points into the context's `alpnStorage`.
private func selectApplicationProtocol(
    _ ssl: OpaquePointer?,
    _ out: UnsafeMutablePointer<UnsafePointer<UInt8>?>?,
    _ outLength: UnsafeMutablePointer<UInt8>?,
    _ offered: UnsafePointer<UInt8>?,
    _ offeredLength: UInt32,
    _ arg: UnsafeMutableRawPointer?
) -> Int32 {
    guard let arg, let out, let outLength, let offered else { return SSL_TLSEXT_ERR_ALERT_FATAL }
    let context = Unmanaged<TLSContext>.fromOpaque(arg).takeUnretainedValue()
    guard let (name, length) = context.selectedProtocol(offered: UnsafeBufferPointer(start: offered, count: Int(offeredLength))) else {
        return context.configuration.requiresApplicationProtocol ? SSL_TLSEXT_ERR_ALERT_FATAL : SSL_TLSEXT_ERR_NOACK
    }
    out.pointee = name
    outLength.pointee = length
    return SSL_TLSEXT_ERR_OK
}

/// OpenSSL's ClientHello callback on servers with a non-empty ALPN list: a client that offers no ALPN
/// extension at all gets a fatal `no_application_protocol` alert, as one offering only other names does.
private func requireApplicationProtocolOffer(_ ssl: OpaquePointer?, _ alert: UnsafeMutablePointer<Int32>?, _ arg: UnsafeMutableRawPointer?) -> Int32 {
    var extensionData: UnsafePointer<UInt8>?
    var extensionLength = 0
    guard let ssl,
          SSL_client_hello_get0_ext(ssl, UInt32(TLSEXT_TYPE_application_layer_protocol_negotiation), &extensionData, &extensionLength) == 1
    else {
        alert?.pointee = SSL_AD_NO_APPLICATION_PROTOCOL
        return SSL_CLIENT_HELLO_ERROR
    }
    return SSL_CLIENT_HELLO_SUCCESS
}

extension TLSVersion {
    /// OpenSSL's number for the version (`TLS1_2_VERSION`, `TLS1_3_VERSION`).
    var openSSLVersion: Int32 { self == .tls12 ? TLS1_2_VERSION : TLS1_3_VERSION }

    /// The version for OpenSSL's number, or nil for anything else (an SSL that has not negotiated yet).
    init?(openSSLVersion: Int32) {
        switch openSSLVersion {
        case TLS1_2_VERSION: self = .tls12
        case TLS1_3_VERSION: self = .tls13
        default: return nil
        }
    }
}
