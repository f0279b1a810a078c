public import AudoticsAPI
public import AudoticsAuth
public import AudoticsRPC
public import AudoticsRedisClient
import AudoticsProtobuf
import AudoticsServiceSupport
import AudoticsTLS
import AudoticsWellKnownTypes
import Foundation

/// `audotics.v1.UserService`: accounts, sign-in with rotating refresh tokens, and the public keys that verify
/// access tokens.
///
/// - Passwords are hashed with argon2id (`PasswordHasher.standard`: 64 MiB, 1 pass, 1 lane, ~70 ms here) on the
///   hashing pool's own threads; a login for an unknown email costs the same time as a wrong password, and both
///   answer with the same message.
/// - Access tokens: EdDSA JWTs valid for 15 minutes. Refresh tokens: 256 random bits, valid 30 days, single use;
///   reusing one revokes its family.
/// - Rate limits (`LoginProtection`): 10 registrations per hour and 30 logins and 60 refreshes per minute per
///   address, and 5 failed logins per account per 15 minutes; limited calls fail with RESOURCE_EXHAUSTED and a
///   `google.rpc.RetryInfo`.
public struct UserService: UserServiceProtocol {
    let store: any AccountStore
    let issuer: AccessTokenIssuer
    let passwords: PasswordHashingPool
    let protection: any LoginProtection
    let refreshLifetime: Swift.Duration
    /// GetMe's profiles (never password hashes), invalidated by UpdateMe; `nil` reads the store every time.
    let profiles: RedisCache?
    /// Peers (addresses without port) whose `x-forwarded-for` is believed: the gateways in front of this service.
    let trustedProxies: Set<String>
    static let profileTTL: Swift.Duration = .seconds(300)

    /// Creates the service. `trustedProxies`: the addresses of the gateways in front of it; for their calls the
    /// per-address limits count the client address the gateway appended to `x-forwarded-for`, not the gateway's.
    public init(
        store: any AccountStore, issuer: AccessTokenIssuer, passwords: PasswordHashingPool, protection: any LoginProtection,
        refreshLifetime: Swift.Duration = .seconds(30 * 24 * 3600), profiles: RedisCache? = nil, trustedProxies: Set<String> = []
    ) {
        self.profiles = profiles
        self.trustedProxies = trustedProxies
        self.store = store
        self.issuer = issuer
        self.passwords = passwords
        self.protection = protection
        self.refreshLifetime = refreshLifetime
    }

    // MARK: RPCs

    public func register(request: RegisterRequest, context: ServerContext) async throws -> RegisterResponse {
        var violations = FieldViolations()
        var email: EmailAddress?
        do {
            email = try EmailAddress(request.email)
        } catch {
            violations.add("email", .invalidFormat, error.message)
        }
        if let email {
            do {
                try PasswordPolicy.standard.check(request.password, email: email)
            } catch {
                violations.add("password", .invalidValue, error.message)
            }
        }
        let displayName = request.displayName.trimmingCharacters(in: .whitespaces)
        if !displayName.isEmpty { violations.checkText(displayName, "display_name", length: 1...50) }
        try violations.throwIfAny()
        guard let email else { throw violations.error }
        try await limit(.registerPerAddress, key: clientAddress(context), what: "registrations from this address")

        let passwordHash = try await run { try await passwords.hash(request.password) }
        let name = displayName.isEmpty ? String(email.localPart.prefix(50)) : displayName
        let accountID = try Self.newID("us")
        let refresh = try run { try RefreshToken.generate() }
        let refreshExpiry = Self.now + refreshLifetime.microseconds
        let account: AccountRecord
        do {
            account = try await store.createAccount(
                NewAccount(id: accountID, email: email.normalized, passwordHash: passwordHash, displayName: name),
                firstSession: NewSession(id: try Self.newID("se"), accountID: accountID, tokenHash: refresh.hash, expiresAt: refreshExpiry),
                deadline: context.deadline)
        } catch AccountStoreError.emailTaken {
            throw RPCError(code: .alreadyExists, message: "an account with this email exists")
        }
        return try .with {
            $0.user = Self.user(account)
            $0.tokens = try tokens(for: account, refresh: refresh, refreshExpiresAt: refreshExpiry)
        }
    }

    public func login(request: LoginRequest, context: ServerContext) async throws -> LoginResponse {
        var violations = FieldViolations()
        violations.check(!request.email.isEmpty, "email", .required, "is required")
        violations.check(request.email.utf8.count <= 254, "email", .tooLong, "must have at most 254 characters")
        violations.check(!request.password.isEmpty, "password", .required, "is required")
        violations.check(request.password.count <= 128, "password", .tooLong, "must have at most 128 characters")
        try violations.throwIfAny()
        try await limit(.loginPerAddress, key: clientAddress(context), what: "login attempts from this address")
        let email = (try? EmailAddress(request.email))?.normalized ?? request.email.lowercased()
        if let wait = await protection.lockout(account: email) {
            throw RPCError.retryLater(after: wait, message: "too many failed logins for this account; try again later")
        }
        let account = try await store.account(email: email, deadline: context.deadline)
        let valid: Bool
        if let account {
            valid = try await run { try await passwords.verify(request.password, against: account.passwordHash) }
        } else {
            _ = try await run { try await passwords.verifyWithoutAccount(request.password) }
            valid = false
        }
        guard valid, let account else {
            await protection.recordFailure(account: email)
            throw RPCError(code: .unauthenticated, message: "the email or the password is wrong")
        }
        await protection.clearFailures(account: email)
        let refresh = try run { try RefreshToken.generate() }
        let refreshExpiry = Self.now + refreshLifetime.microseconds
        try await store.startSession(
            NewSession(id: try Self.newID("se"), accountID: account.id, tokenHash: refresh.hash, expiresAt: refreshExpiry),
            deadline: context.deadline)
        return try .with {
            $0.user = Self.user(account)
            $0.tokens = try tokens(for: account, refresh: refresh, refreshExpiresAt: refreshExpiry)
        }
    }

    public func refresh(request: RefreshRequest, context: ServerContext) async throws -> RefreshResponse {
        let presented = try Self.presentedHash(request.refreshToken)
        try await limit(.refreshPerAddress, key: clientAddress(context), what: "refreshes from this address")
        let replacement = try run { try RefreshToken.generate() }
        let expiry = Self.now + refreshLifetime.microseconds
        switch try await store.rotate(
            presentedHash: presented, replacementHash: replacement.hash, replacementExpiresAt: expiry, now: Self.now,
            deadline: context.deadline)
        {
        case .rotated(let accountID, _):
            // The account as it is now, so that a new token carries the current display name.
            guard let account = try await store.account(id: accountID, deadline: context.deadline) else {
                throw RPCError(code: .unauthenticated, message: "the account of this refresh token no longer exists")
            }
            return try .with { $0.tokens = try tokens(for: account, refresh: replacement, refreshExpiresAt: expiry) }
        case .reused:
            throw RPCError(
                code: .unauthenticated,
                message: "this refresh token was already used; its session is revoked (sign in again)")
        case .invalid:
            throw RPCError(code: .unauthenticated, message: "the refresh token is unknown, expired or revoked")
        }
    }

    public func logout(request: LogoutRequest, context: ServerContext) async throws -> LogoutResponse {
        let presented = try Self.presentedHash(request.refreshToken)
        let count = try await store.revoke(presentedHash: presented, allSessions: request.allSessions, deadline: context.deadline)
        return .with { $0.revokedSessionCount = Int32(clamping: count) }
    }

    public func getMe(request: GetMeRequest, context: ServerContext) async throws -> User {
        let principal = try Principal.required()
        if let bytes = await profiles?.get(principal.userID), let user = try? User(serializedBytes: bytes) { return user }
        guard let account = try await store.account(id: principal.userID, deadline: context.deadline) else {
            throw RPCError(code: .notFound, message: "the account no longer exists")
        }
        let user = Self.user(account)
        _ = await profiles?.set(principal.userID, to: user.serializedBytes(), ttl: Self.profileTTL)
        return user
    }

    public func updateMe(request: UpdateMeRequest, context: ServerContext) async throws -> User {
        let principal = try Principal.required()
        let user = request.user ?? User()
        var paths = request.updateMask?.paths ?? []
        var violations = FieldViolations()
        if paths.isEmpty {
            if !user.displayName.isEmpty { paths.append("display_name") }
            if !user.country.isEmpty { paths.append("country") }
            violations.check(!paths.isEmpty, "update_mask", .required, "names no field to change, and user sets none")
        }
        var displayName: String?
        var country: String?
        for (index, path) in paths.enumerated() {
            switch path {
            case "display_name", "displayName":
                let name = user.displayName.trimmingCharacters(in: .whitespaces)
                violations.checkText(name, "user.display_name", length: 1...50)
                displayName = name
            case "country":
                let code = user.country.uppercased()
                violations.check(
                    code.isEmpty || (code.utf8.count == 2 && code.utf8.allSatisfy { $0 >= 0x41 && $0 <= 0x5A }),
                    "user.country", .invalidFormat, "must be an ISO 3166-1 alpha-2 code like DE, or empty")
                country = code
            default:
                violations.add("update_mask.paths[\(index)]", .invalidValue, "\"\(path.prefix(40))\" cannot be updated (display_name, country)")
            }
        }
        try violations.throwIfAny()
        guard let account = try await store.updateProfile(
            id: principal.userID, displayName: displayName, country: country, deadline: context.deadline)
        else {
            throw RPCError(code: .notFound, message: "the account no longer exists")
        }
        _ = await profiles?.invalidate(principal.userID)
        return Self.user(account)
    }

    public func getJwks(request: GetJwksRequest, context: ServerContext) async throws -> JsonWebKeySet {
        .with { set in
            set.keys = issuer.keys.jwks.keys.prefix(10).map { key in
                .with {
                    $0.kty = key.keyType
                    $0.crv = key.curve
                    $0.x = key.x
                    $0.kid = key.keyID
                    $0.use = key.use ?? "sig"
                    $0.alg = key.algorithm ?? "EdDSA"
                }
            }
        }
    }

    // MARK: Helpers

    private func tokens(for account: AccountRecord, refresh: RefreshToken, refreshExpiresAt: Int64) throws(RPCError) -> AuthTokens {
        let access = try run { try issuer.issue(subject: account.id, name: account.displayName) }
        return .with {
            $0.accessToken = access.token
            $0.tokenType = "Bearer"
            $0.expiresIn = Int32(clamping: access.expiresIn)
            $0.accessTokenExpiresAt = Timestamp.with { $0.seconds = access.claims.expiresAt }
            $0.refreshToken = refresh.token
            $0.refreshTokenExpiresAt = Timestamp(unixMicroseconds: refreshExpiresAt)
        }
    }

    private func limit(_ kind: AttemptKind, key: String, what: String) async throws(RPCError) {
        if let wait = await protection.acquire(kind, key: key) {
            throw RPCError.retryLater(after: wait, message: "too many \(what); try again later")
        }
    }

    /// The storage hash of a presented refresh token; INVALID_ARGUMENT for an empty one, UNAUTHENTICATED for one
    /// that cannot be a token.
    static func presentedHash(_ token: String) throws(RPCError) -> [UInt8] {
        var violations = FieldViolations()
        violations.check(!token.isEmpty, "refresh_token", .required, "is required")
        try violations.throwIfAny()
        do {
            return try RefreshToken.hash(of: token)
        } catch {
            throw RPCError(code: .unauthenticated, message: "the refresh token is unknown, expired or revoked")
        }
    }

    /// The address per-address limits count: the peer's, or for a trusted proxy the last entry of its
    /// `x-forwarded-for` (the one the proxy appended itself; entries before it came from the client and may lie).
    func clientAddress(_ context: ServerContext) -> String { Self.clientAddress(context, trusting: trustedProxies) }

    static func clientAddress(_ context: ServerContext, trusting trustedProxies: Set<String>) -> String {
        let peer = address(of: context)
        guard trustedProxies.contains(peer), let forwarded = context.metadata[stringValues: "x-forwarded-for"].last,
            let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty, last.utf8.count <= 64
        else { return peer }
        return last
    }

    /// The caller's address without the port, for per-address limits (`ipv4:1.2.3.4:5678` → `1.2.3.4`).
    static func address(of context: ServerContext) -> String {
        var peer = Substring(context.peer)
        if let colon = peer.firstIndex(of: ":"), peer[..<colon].hasPrefix("ipv") { peer = peer[peer.index(after: colon)...] }
        if peer.hasPrefix("["), let end = peer.firstIndex(of: "]") { return String(peer[peer.index(after: peer.startIndex)..<end]) }
        if let colon = peer.lastIndex(of: ":"), peer.firstIndex(of: ":") == colon { return String(peer[..<colon]) }
        return String(peer)
    }

    static func user(_ account: AccountRecord) -> User {
        .with {
            $0.id = account.id
            $0.email = account.email
            $0.displayName = account.displayName
            $0.country = account.country
            $0.createdAt = Timestamp(unixMicroseconds: account.createdAt)
            $0.updatedAt = Timestamp(unixMicroseconds: account.updatedAt)
        }
    }

    static var now: Int64 { Int64(Date().timeIntervalSince1970 * 1_000_000) }

    /// A random ID: the prefix and 20 base-32 characters (100 bits).
    static func newID(_ prefix: String) throws(RPCError) -> String {
        let bytes = try run { try SecureRandom.bytes(count: 20) }
        let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")
        return prefix + "_" + String(bytes.map { alphabet[Int($0 & 31)] })
    }
}

/// Runs a throwing call whose failure is an internal error (never the user's fault), as INTERNAL without detail.
@discardableResult
func run<T>(_ body: () throws -> T) throws(RPCError) -> T {
    do {
        return try body()
    } catch let error as RPCError {
        throw error
    } catch let error as AuthError {
        throw error.rpcError
    } catch {
        throw RPCError(code: .internal, message: "internal error", cause: "\(error)")
    }
}

/// The same for asynchronous calls.
func run<T>(_ body: () async throws -> T) async throws(RPCError) -> T {
    do {
        return try await body()
    } catch let error as RPCError {
        throw error
    } catch let error as AuthError {
        throw error.rpcError
    } catch {
        throw RPCError(code: .internal, message: "internal error", cause: "\(error)")
    }
}

extension Swift.Duration {
    /// The duration in whole microseconds.
    var microseconds: Int64 {
        components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000
    }
}
