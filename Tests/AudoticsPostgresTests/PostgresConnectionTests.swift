import AudoticsPostgres
import Testing

@Suite("PostgresConnection against a live server")
struct PostgresConnectionTests {
    @Test("connects and reports the server version")
    func version() throws {
        let connection = try TestDatabase.connect()
        #expect(connection.isConnected)
        #expect(connection.serverVersion >= 100_000)
        #expect(connection.serverVersionString.hasPrefix("\(connection.serverVersion / 10_000)"))
    }

    @Test("binds text parameters, including NULL and non-ASCII, and returns named columns")
    func parameters() throws {
        let connection = try TestDatabase.connect()
        let result = try connection.execute(
            "SELECT $1::text AS greeting, $2::int + 1 AS next, $3::text IS NULL AS missing, $3::text AS nothing, length($1) AS chars",
            parameters: ["Grüße, 世界 🎵", "41", nil]
        )
        #expect(result.columns == ["greeting", "next", "missing", "nothing", "chars"])
        #expect(result.rows == [["Grüße, 世界 🎵", "42", "t", nil, "11"]])
        #expect(result.value(row: 0, column: "greeting") == "Grüße, 世界 🎵")
        #expect(result.commandTag == "SELECT 1")
        #expect(result.affectedRows == 1)
    }

    @Test("a parameter cannot inject SQL")
    func noInjection() throws {
        let connection = try TestDatabase.connect()
        let hostile = "x'; DROP TABLE pg_class; --"
        let result = try connection.execute("SELECT $1::text AS value", parameters: [hostile])
        #expect(result.rows == [[hostile]])
        let twoStatements = #expect(throws: PostgresError.self) { try connection.execute("SELECT 1; SELECT 2") }
        #expect(twoStatements?.code == .syntaxError)
    }

    @Test("commands without rows report their tag and count")
    func commands() throws {
        let connection = try TestDatabase.connect()
        _ = try connection.execute("CREATE TEMP TABLE items (id int PRIMARY KEY, name text NOT NULL)")
        let insert = try connection.execute("INSERT INTO items VALUES ($1, $2), ($3, $4)", parameters: ["1", "one", "2", "two"])
        #expect(insert.commandTag == "INSERT 0 2")
        #expect(insert.affectedRows == 2)
        #expect(insert.columns.isEmpty)
        let rows = try connection.execute("SELECT id, name FROM items ORDER BY id").rows
        #expect(rows == [["1", "one"], ["2", "two"]])
        #expect(try connection.execute("").rows.isEmpty)
    }

    @Test("an undefined table is 42P01")
    func undefinedTable() throws {
        let connection = try TestDatabase.connect()
        let error = #expect(throws: PostgresError.self) { try connection.execute("SELECT * FROM no_such_table_here") }
        #expect(error?.code == .undefinedTable)
        #expect(error?.message == "undefined table")
        #expect(error?.serverMessage?.contains("no_such_table_here") == true)
        #expect(connection.isConnected)
    }

    @Test("a bad parameter value is 22P02, and the value never appears in the description")
    func invalidTextRepresentation() throws {
        let connection = try TestDatabase.connect()
        let secret = "s3cr3t-value-4242"
        let error = #expect(throws: PostgresError.self) { try connection.execute("SELECT $1::int", parameters: [secret]) }
        #expect(error?.code == .invalidTextRepresentation)
        #expect(error.map { "\($0)" }?.contains(secret) == false)
        #expect(error?.message.contains(secret) == false)
        #expect(error?.localizedDescriptionForTest.contains(secret) == false)
        // The server's own text does quote it, which is why it is kept out of the description.
        #expect(error?.serverMessage?.contains(secret) == true)
    }

    @Test("a unique violation names the constraint and table but not the value")
    func uniqueViolation() throws {
        let connection = try TestDatabase.connect()
        _ = try connection.execute("CREATE TEMP TABLE users (email text UNIQUE)")
        _ = try connection.execute("INSERT INTO users VALUES ($1)", parameters: ["someone@example.com"])
        let error = #expect(throws: PostgresError.self) {
            try connection.execute("INSERT INTO users VALUES ($1)", parameters: ["someone@example.com"])
        }
        #expect(error?.code == .uniqueViolation)
        #expect(error?.constraintName == "users_email_key")
        #expect(error?.tableName == "users")
        #expect(error?.description == "PostgresError(23505): unique violation (constraint users_email_key, table users)")
        #expect(error?.serverDetail?.contains("someone@example.com") == true)
    }

    @Test("a zero byte in a parameter is refused before sending")
    func zeroByte() throws {
        let connection = try TestDatabase.connect()
        let error = #expect(throws: PostgresError.self) { try connection.execute("SELECT $1::text", parameters: ["a\0b"]) }
        #expect(error?.code == SQLState(rawValue: "22021"))
    }

    @Test("an unreachable server fails with 08001 and no password in the message")
    func unreachable() throws {
        let error = #expect(throws: PostgresError.self) {
            try PostgresConnection(url: "postgresql://someone:hunter2-password@127.0.0.1:1/postgres?connect_timeout=2")
        }
        #expect(error?.code == .unableToConnect)
        #expect(error?.description.contains("hunter2") == false)
        #expect(error?.description.contains("127.0.0.1") == true)
    }

    @Test("a missing database fails to connect with 08001")
    func wrongDatabase() throws {
        let url = try TestDatabase.url()
        let options = try PostgresConnectionString(url).options
        let host = options["host"] ?? "127.0.0.1"
        let port = options["port"] ?? "5432"
        let user = options["user"] ?? "postgres"
        let error = #expect(throws: PostgresError.self) {
            try PostgresConnection(url: "postgresql://\(user)@\(host):\(port)/no_such_database_here")
        }
        #expect(error?.code == .unableToConnect)
        #expect(error?.message.contains("no_such_database_here") == true)
    }
}

extension PostgresError {
    /// What string interpolation and `String(describing:)` produce, which is what logs would show.
    var localizedDescriptionForTest: String { String(describing: self) }
}
