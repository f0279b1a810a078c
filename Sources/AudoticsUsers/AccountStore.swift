/// Where UserService keeps accounts, sessions and refresh tokens. `PostgresAccountStore` is the real one.
///
/// Times are Unix microseconds. Refresh tokens appear only as their SHA-256 hashes.
public protocol AccountStore: Sendable {
    /// Creates an account and its first session with its first refresh token, atomically. Throws
    /// `AccountStoreError.emailTaken` when the email is registered.
    func createAccount(_ account: NewAccount, firstSession: NewSession, deadline: ContinuousClock.Instant?) async throws -> AccountRecord

    /// The account with this normalised email, if any.
    func account(email: String, deadline: ContinuousClock.Instant?) async throws -> AccountRecord?

    /// The account with this ID, if any.
    func account(id: String, deadline: ContinuousClock.Instant?) async throws -> AccountRecord?

    /// Starts a session (a new refresh-token family) for an existing account.
    func startSession(_ session: NewSession, deadline: ContinuousClock.Instant?) async throws

    /// Trades the token with `presentedHash` for a new one in the same family, or reports why not. Presenting a
    /// token that was already replaced revokes its family (`.reused`).
    func rotate(
        presentedHash: [UInt8], replacementHash: [UInt8], replacementExpiresAt: Int64, now: Int64,
        deadline: ContinuousClock.Instant?
    ) async throws -> RotationOutcome

    /// Revokes the session of the token with `presentedHash`, or every session of its account; returns how many
    /// sessions were revoked (0 for an unknown or already revoked token).
    func revoke(presentedHash: [UInt8], allSessions: Bool, deadline: ContinuousClock.Instant?) async throws -> Int

    /// Changes the profile fields given (nil: unchanged); returns the account, or nil if it does not exist.
    func updateProfile(
        id: String, displayName: String?, country: String?, deadline: ContinuousClock.Instant?
    ) async throws -> AccountRecord?
}

/// A stored account.
public struct AccountRecord: Sendable, Hashable {
    public var id: String
    public var email: String
    public var passwordHash: String
    public var displayName: String
    public var country: String
    public var createdAt: Int64
    public var updatedAt: Int64

    /// Creates a record.
    public init(
        id: String, email: String, passwordHash: String, displayName: String, country: String, createdAt: Int64,
        updatedAt: Int64
    ) {
        self.id = id
        self.email = email
        self.passwordHash = passwordHash
        self.displayName = displayName
        self.country = country
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// An account to create.
public struct NewAccount: Sendable, Hashable {
    public var id: String
    public var email: String
    public var passwordHash: String
    public var displayName: String

    /// Creates one.
    public init(id: String, email: String, passwordHash: String, displayName: String) {
        self.id = id
        self.email = email
        self.passwordHash = passwordHash
        self.displayName = displayName
    }
}

/// A session to start, with its first refresh token.
public struct NewSession: Sendable, Hashable {
    public var id: String
    public var accountID: String
    public var tokenHash: [UInt8]
    /// When the session and its first token expire (Unix microseconds).
    public var expiresAt: Int64

    /// Creates one.
    public init(id: String, accountID: String, tokenHash: [UInt8], expiresAt: Int64) {
        self.id = id
        self.accountID = accountID
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
    }
}

/// What presenting a refresh token led to.
public enum RotationOutcome: Sendable, Hashable {
    /// The token was current: it is replaced; the account and session continue.
    case rotated(accountID: String, sessionID: String)
    /// The token was already replaced: its family is now revoked.
    case reused
    /// Unknown, expired, or its session is revoked.
    case invalid
}

/// Failures an account store reports for the service to map.
public enum AccountStoreError: Error, Sendable, Hashable {
    /// Another account has this email.
    case emailTaken
}
