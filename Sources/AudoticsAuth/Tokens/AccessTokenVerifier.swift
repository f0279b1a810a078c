public import FoundationEssentials
internal import Synchronization

/// Verifies access tokens locally, in every service, against a set of trusted Ed25519 public keys.
///
/// A token is accepted only if it is a compact JWS whose header says `alg: EdDSA` (never `none`, never an HMAC or
/// other algorithm, whatever key the token claims), whose `kid` names a trusted key, whose signature verifies, and
/// whose claims have the right types, the expected `iss`, an `aud` that includes the expected audience, and times
/// that hold at `now` within `settings.clockSkewLeeway` (30 s by default): `now < exp + leeway`,
/// `nbf - leeway <= now`, `iat - leeway <= now`. Errors never quote the token.
///
/// A class so that all holders share one key set that `replaceKeys` can swap (after a JWKS refresh or rotation).
///
/// Checking an Ed25519 signature costs far more than the rest of a call, and a client presents the same token for
/// its whole lifetime, so tokens that verified are remembered (at most `verifiedCacheLimit`, forgotten all at once
/// when full, and whenever the key set changes); a remembered token still has its times checked on every use.
public final class AccessTokenVerifier: Sendable {
    /// Issuer, audience and leeway.
    public let settings: AccessTokenSettings
    private let keySet: Mutex<VerificationKeySet>
    /// Tokens whose signature, header and claim types were verified, with their claims.
    private let verified = Mutex<[String: AccessTokenClaims]>([:])
    /// The most tokens remembered as verified.
    public static let verifiedCacheLimit = 10_000

    /// Creates a verifier trusting `keys`.
    public init(keys: VerificationKeySet, settings: AccessTokenSettings) {
        self.settings = settings
        keySet = Mutex(keys)
    }

    /// The keys trusted now.
    public var keys: VerificationKeySet { keySet.withLock { $0 } }

    /// Trusts `keys` from now on (tokens signed by keys no longer in the set stop verifying).
    public func replaceKeys(_ keys: VerificationKeySet) {
        keySet.withLock { $0 = keys }
        verified.withLock { $0.removeAll() }
    }

    /// The token's claims if it is valid at `now`; otherwise an `AuthError` whose `rpcError` is UNAUTHENTICATED.
    public func verify(_ token: String, now: Date = Date()) throws(AuthError) -> AccessTokenClaims {
        guard !token.isEmpty else { throw AuthError(code: .missingToken, message: "no access token was presented") }
        if let claims = verified.withLock({ $0[token] }) {
            try checkClaims(claims, now: now)
            return claims
        }
        let jws = try CompactJWS(parsing: token)
        try checkHeader(jws.header)
        guard let keyID = jws.header.keyID, let key = keys.key(forID: keyID) else {
            throw AuthError(
                code: .unknownKey,
                message: "the access token names no known signing key (kid); sign in again if the key was retired")
        }
        guard key.isValidSignature(jws.signature, for: jws.signingInput) else {
            throw AuthError(code: .badSignature, message: "the access token's signature does not verify")
        }
        let claims: AccessTokenClaims
        do {
            claims = try JSONDecoder().decode(AccessTokenClaims.self, from: Data(jws.payload))
        } catch {
            throw AuthError(
                code: .malformedToken,
                message: "the access token is malformed: its claims need string sub, iss and jti, integer iat and exp "
                    + "(and nbf, when present), and a string or string-array aud")
        }
        try checkClaims(claims, now: now)
        verified.withLock { cache in
            if cache.count >= Self.verifiedCacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[token] = claims
        }
        return claims
    }

    private func checkHeader(_ header: JOSEHeader) throws(AuthError) {
        guard header.algorithm.lowercased() != "none" else {
            throw AuthError(code: .unsupportedAlgorithm, message: "unsigned access tokens (alg none) are not accepted")
        }
        guard header.algorithm == JOSEHeader.edDSA else {
            throw AuthError(code: .unsupportedAlgorithm, message: "the access token must be signed with EdDSA (Ed25519)")
        }
        if let type = header.type, !["jwt", "at+jwt"].contains(type.lowercased()) {
            throw AuthError(code: .malformedToken, message: "the access token is malformed: its typ header is not JWT")
        }
        guard !header.hasCriticalExtensions else {
            throw AuthError(code: .malformedToken, message: "the access token uses critical header extensions (crit)")
        }
    }

    private func checkClaims(_ claims: AccessTokenClaims, now: Date) throws(AuthError) {
        guard !claims.subject.isEmpty, !claims.tokenID.isEmpty else {
            throw AuthError(code: .malformedToken, message: "the access token is malformed: its sub or jti is empty")
        }
        guard claims.issuer == settings.issuer else {
            throw AuthError(code: .wrongIssuer, message: "the access token was issued by an untrusted issuer")
        }
        guard claims.audience.contains(settings.audience) else {
            throw AuthError(code: .wrongAudience, message: "the access token is meant for another audience")
        }
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
        let leeway = settings.clockSkewLeeway.components.seconds
        guard seconds < saturating(claims.expiresAt, plus: leeway) else {
            throw AuthError(code: .expired, message: "the access token has expired; refresh it and retry")
        }
        if let notBefore = claims.notBefore, saturating(notBefore, plus: -leeway) > seconds {
            throw AuthError(code: .notYetValid, message: "the access token is not valid yet (nbf is in the future)")
        }
        guard saturating(claims.issuedAt, plus: -leeway) <= seconds else {
            throw AuthError(code: .notYetValid, message: "the access token is not valid yet (iat is in the future)")
        }
    }

    /// `value + delta`, clamped to Int64's range (claims are attacker-chosen integers).
    private func saturating(_ value: Int64, plus delta: Int64) -> Int64 {
        let (sum, overflow) = value.addingReportingOverflow(delta)
        guard overflow else { return sum }
        return delta > 0 ? .max : .min
    }
}
