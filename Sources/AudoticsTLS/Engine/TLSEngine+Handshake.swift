internal import COpenSSL

extension TLSEngine {
    /// Runs OpenSSL's handshake as far as the received bytes allow, finishing it when it completes.
    func advanceHandshake() throws(TLSError) {
        OpenSSLErrorQueue.clearBeforeIO()
        let result = SSL_do_handshake(ssl)
        if result == 1 { return try finishHandshake() }
        let reason = SSL_get_error(ssl, result)
        if reason == SSL_ERROR_WANT_READ || reason == SSL_ERROR_WANT_WRITE { return }
        throw fail(failure(reason: reason))
    }

    /// Records what was negotiated, applies our checks, then sends what waited for the handshake.
    private func finishHandshake() throws(TLSError) {
        negotiatedVersion = TLSVersion(openSSLVersion: SSL_version(ssl))
        var selected: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &selected, &length)
        if let selected, length > 0 {
            negotiatedALPN = String(decoding: UnsafeBufferPointer(start: selected, count: Int(length)), as: UTF8.self)
        }
        let offered = context.configuration.applicationProtocols
        guard offered.isEmpty || negotiatedALPN != nil || !context.configuration.requiresApplicationProtocol else {
            // The server callbacks refuse such clients during the handshake; a client can only notice here.
            throw fail(TLSError(
                code: .noApplicationProtocol,
                message: "the peer negotiated no ALPN protocol, but one of \(offered.joined(separator: ", ")) is required"
            ))
        }
        phase = .established
        if !plaintextBeforeHandshake.isEmpty {
            let waiting = plaintextBeforeHandshake
            plaintextBeforeHandshake = []
            try waiting.withUnsafeBytes { bytes in Result { () throws(TLSError) in try encrypt(bytes) } }.get()
        }
        if closeRequested { try sendCloseNotify() }
    }

    /// Moves the engine to the failed phase and returns `error` for the caller to throw.
    func fail(_ error: TLSError) -> TLSError {
        phase = .failed(error)
        return error
    }

    /// The `TLSError` for a failed OpenSSL call, given `SSL_get_error`'s answer, with the queue drained.
    func failure(reason: Int32) -> TLSError {
        let entries = OpenSSLErrorQueue.drainEntries()
        let texts = entries.map(\.text)
        let handshaking = !isHandshakeComplete
        guard reason == SSL_ERROR_SSL || !entries.isEmpty else {
            let what = reason == SSL_ERROR_ZERO_RETURN ? "the peer closed the connection" : "OpenSSL failed without a reason (SSL_get_error \(reason))"
            return handshaking
                ? TLSError(code: .handshakeFailed, message: "\(what) during the handshake", openSSLErrors: texts)
                : TLSError(code: .protocolFailure, message: what, openSSLErrors: texts)
        }
        let reasons = Set(entries.map { ERR_GET_REASON($0.code) })
        if !reasons.isDisjoint(with: Self.noApplicationProtocolReasons) {
            let names = context.configuration.applicationProtocols.joined(separator: ", ")
            return TLSError(code: .noApplicationProtocol, message: "the peers share no ALPN protocol (we offer \(names))", openSSLErrors: texts)
        }
        if reasons.contains(SSL_R_CALLBACK_FAILED), role == .server, !context.configuration.applicationProtocols.isEmpty {
            // The only ClientHello callback we install is the one refusing clients that offer no ALPN.
            let names = context.configuration.applicationProtocols.joined(separator: ", ")
            return TLSError(code: .noApplicationProtocol, message: "the client offered no ALPN protocol (we require one of \(names))", openSSLErrors: texts)
        }
        if reasons.contains(SSL_R_CERTIFICATE_VERIFY_FAILED) {
            let detail = String(cString: X509_verify_cert_error_string(SSL_get_verify_result(ssl)))
            return TLSError(code: .certificateVerificationFailed, message: "the peer's certificate did not verify: \(detail)", openSSLErrors: texts)
        }
        if reasons.contains(SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE) {
            return TLSError(code: .certificateVerificationFailed, message: "the peer presented no certificate, but one is required", openSSLErrors: texts)
        }
        if !reasons.isDisjoint(with: Self.certificateRejectedReasons) {
            return TLSError(code: .certificateVerificationFailed, message: "the peer rejected our certificate (or its absence)", openSSLErrors: texts)
        }
        return handshaking
            ? TLSError(code: .handshakeFailed, message: "the TLS handshake failed", openSSLErrors: texts)
            : TLSError(code: .protocolFailure, message: "the peer sent records that could not be processed", openSSLErrors: texts)
    }

    /// OpenSSL reasons for an ALPN mismatch: refused by us, or an alert from the peer refusing us.
    private static let noApplicationProtocolReasons: Set<Int32> = [
        SSL_R_NO_APPLICATION_PROTOCOL, SSL_R_TLSV1_ALERT_NO_APPLICATION_PROTOCOL,
    ]

    /// OpenSSL reasons for alerts by which the peer refuses our certificate.
    private static let certificateRejectedReasons: Set<Int32> = [
        SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED, SSL_R_SSLV3_ALERT_BAD_CERTIFICATE,
        SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN, SSL_R_SSLV3_ALERT_CERTIFICATE_EXPIRED,
        SSL_R_SSLV3_ALERT_CERTIFICATE_REVOKED, SSL_R_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE,
        SSL_R_TLSV1_ALERT_UNKNOWN_CA,
    ]
}
