public import AudoticsPostgres

/// Accounts, sessions and refresh tokens in PostgreSQL's users schema (see `Sources/AudoticsMigrations/SQL/users`).
///
/// Rotation and revocation lock the token's row and its session (`FOR UPDATE`), so two clients presenting the
/// same refresh token at once are serialised: one rotates it, the other sees a reused token and revokes the family.
public struct PostgresAccountStore: AccountStore {
    /// The pool queries go through.
    public let pool: PostgresPool

    /// Creates the store.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    static let accountColumns: StaticString = """
        id, email, password_hash, display_name, country,
        (extract(epoch FROM created_at) * 1000000)::bigint, (extract(epoch FROM updated_at) * 1000000)::bigint
        """

    public func createAccount(
        _ account: NewAccount, firstSession: NewSession, deadline: ContinuousClock.Instant?
    ) async throws -> AccountRecord {
        do {
            return try await pool.withTransaction(deadline: deadline) { connection in
                let rows = try await connection.query("""
                    INSERT INTO users.accounts (id, email, password_hash, display_name)
                    VALUES (\(account.id), \(account.email), \(account.passwordHash), \(account.displayName))
                    RETURNING \(unescaped: Self.accountColumns)
                    """)
                try await Self.insertSession(firstSession, on: connection)
                guard let row = rows.first else { throw PostgresError(code: .internalError, message: "INSERT returned no row") }
                return try Self.account(from: row)
            }
        } catch let error as PostgresError where error.code == .uniqueViolation {
            throw AccountStoreError.emailTaken
        }
    }

    public func account(email: String, deadline: ContinuousClock.Instant?) async throws -> AccountRecord? {
        let rows = try await pool.query(
            "SELECT \(unescaped: Self.accountColumns) FROM users.accounts WHERE email = \(email)", deadline: deadline)
        return try rows.first.map(Self.account(from:))
    }

    public func account(id: String, deadline: ContinuousClock.Instant?) async throws -> AccountRecord? {
        let rows = try await pool.query(
            "SELECT \(unescaped: Self.accountColumns) FROM users.accounts WHERE id = \(id)", deadline: deadline)
        return try rows.first.map(Self.account(from:))
    }

    public func startSession(_ session: NewSession, deadline: ContinuousClock.Instant?) async throws {
        try await pool.withTransaction(deadline: deadline) { connection in
            try await Self.insertSession(session, on: connection)
        }
    }

    public func rotate(
        presentedHash: [UInt8], replacementHash: [UInt8], replacementExpiresAt: Int64, now: Int64,
        deadline: ContinuousClock.Instant?
    ) async throws -> RotationOutcome {
        try await pool.withTransaction(deadline: deadline) { connection in
            let rows = try await connection.query("""
                SELECT t.session_id, t.replaced_at IS NOT NULL, t.expires_at <= now(), s.revoked_at IS NOT NULL, s.account_id
                FROM users.refresh_tokens t JOIN users.sessions s ON s.id = t.session_id
                WHERE t.token_hash = \(presentedHash)
                FOR UPDATE OF t, s
                """)
            guard let row = rows.first else { return .invalid }
            let sessionID = try row.decode(String.self, column: 0)
            let replaced = try row.decode(Bool.self, column: 1)
            let expired = try row.decode(Bool.self, column: 2)
            let revoked = try row.decode(Bool.self, column: 3)
            let accountID = try row.decode(String.self, column: 4)
            if revoked { return .invalid }
            if replaced {
                _ = try await connection.query("""
                    UPDATE users.sessions SET revoked_at = now(), revoked_reason = 'reuse'
                    WHERE id = \(sessionID) AND revoked_at IS NULL
                    """)
                return .reused
            }
            if expired { return .invalid }
            _ = try await connection.pipeline([
                "UPDATE users.refresh_tokens SET replaced_at = now() WHERE token_hash = \(presentedHash)",
                """
                INSERT INTO users.refresh_tokens (token_hash, session_id, expires_at)
                VALUES (\(replacementHash), \(sessionID), to_timestamp(\(replacementExpiresAt)::bigint / 1000000.0))
                """,
                "UPDATE users.sessions SET expires_at = to_timestamp(\(replacementExpiresAt)::bigint / 1000000.0) WHERE id = \(sessionID)",
            ])
            return .rotated(accountID: accountID, sessionID: sessionID)
        }
    }

    public func revoke(presentedHash: [UInt8], allSessions: Bool, deadline: ContinuousClock.Instant?) async throws -> Int {
        try await pool.withTransaction(deadline: deadline) { connection in
            let rows = try await connection.query("""
                SELECT s.id, s.account_id FROM users.refresh_tokens t JOIN users.sessions s ON s.id = t.session_id
                WHERE t.token_hash = \(presentedHash) FOR UPDATE OF s
                """)
            guard let row = rows.first else { return 0 }
            let sessionID = try row.decode(String.self, column: 0)
            let accountID = try row.decode(String.self, column: 1)
            let revoked: PostgresRows
            if allSessions {
                revoked = try await connection.query("""
                    UPDATE users.sessions SET revoked_at = now(), revoked_reason = 'logout_all'
                    WHERE account_id = \(accountID) AND revoked_at IS NULL RETURNING id
                    """)
            } else {
                revoked = try await connection.query("""
                    UPDATE users.sessions SET revoked_at = now(), revoked_reason = 'logout'
                    WHERE id = \(sessionID) AND revoked_at IS NULL RETURNING id
                    """)
            }
            return revoked.count
        }
    }

    public func updateProfile(
        id: String, displayName: String?, country: String?, deadline: ContinuousClock.Instant?
    ) async throws -> AccountRecord? {
        let rows = try await pool.query("""
            UPDATE users.accounts
            SET display_name = coalesce(\(displayName), display_name), country = coalesce(\(country), country), updated_at = now()
            WHERE id = \(id)
            RETURNING \(unescaped: Self.accountColumns)
            """, deadline: deadline)
        return try rows.first.map(Self.account(from:))
    }

    // MARK: Helpers

    static func insertSession(_ session: NewSession, on connection: PostgresPooledConnection) async throws {
        _ = try await connection.pipeline([
            """
            INSERT INTO users.sessions (id, account_id, expires_at)
            VALUES (\(session.id), \(session.accountID), to_timestamp(\(session.expiresAt)::bigint / 1000000.0))
            """,
            """
            INSERT INTO users.refresh_tokens (token_hash, session_id, expires_at)
            VALUES (\(session.tokenHash), \(session.id), to_timestamp(\(session.expiresAt)::bigint / 1000000.0))
            """,
        ])
    }

    static func account(from row: PostgresRow) throws -> AccountRecord {
        AccountRecord(
            id: try row.decode(String.self, column: 0), email: try row.decode(String.self, column: 1),
            passwordHash: try row.decode(String.self, column: 2), displayName: try row.decode(String.self, column: 3),
            country: try row.decode(String.self, column: 4), createdAt: try row.decode(Int64.self, column: 5),
            updatedAt: try row.decode(Int64.self, column: 6))
    }
}
