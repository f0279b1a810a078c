import AudoticsPostgres
import Foundation
import Testing

@Suite("Binding and decoding against a live server", .enabled(if: TestDatabase.isConfigured, TestDatabase.skipReason))
struct PostgresCodingTests {
    @Test("every supported type round-trips through a parameter and back")
    func roundTrips() async throws {
        try await TestDatabase.withPool { pool in
            let text = "Grüße, 世界 🎵 'quoted' \"double\" \\ back"
            let bytes: [UInt8] = [0, 1, 2, 0x5C, 0x27, 0xFF, 0]
            let date = Date(timeIntervalSince1970: 1_700_000_000.123456)
            let uuid = UUID()
            let rows = try await pool.query(
                """
                SELECT \(text) AS text, \(Int.max) AS int, \(Int32.min) AS int32, \(Int64(-42)) AS int64,
                       \(true) AS yes, \(false) AS no, \(3.25) AS double, \(bytes) AS bytes, \(date) AS date,
                       \(uuid) AS uuid, \(["a", "b,c", "{}", "NULL", "é"]) AS strings, \([Int64(1), -2, .max]) AS numbers,
                       \([String]()) AS empty, \("") AS blank, \([UInt8]()) AS no_bytes
                """)
            #expect(rows.count == 1)
            let row = try #require(rows.first)
            #expect(try row.decode(String.self, column: "text") == text)
            #expect(try row.decode(Int.self, column: "int") == Int.max)
            #expect(try row.decode(Int32.self, column: "int32") == Int32.min)
            #expect(try row.decode(Int64.self, column: "int64") == -42)
            #expect(try row.decode(Bool.self, column: "yes") == true)
            #expect(try row.decode(Bool.self, column: "no") == false)
            #expect(try row.decode(Double.self, column: "double") == 3.25)
            #expect(try row.decode([UInt8].self, column: "bytes") == bytes)
            let decodedDate = try row.decode(Date.self, column: "date")
            #expect(abs(decodedDate.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.000_001)
            #expect(try row.decode(UUID.self, column: "uuid") == uuid)
            #expect(try row.decode(String.self, column: "uuid") == uuid.uuidString.lowercased())
            #expect(try row.decode([String].self, column: "strings") == ["a", "b,c", "{}", "NULL", "é"])
            #expect(try row.decode([Int64].self, column: "numbers") == [1, -2, .max])
            #expect(try row.decode([Int].self, column: "numbers") == [1, -2, .max])
            #expect(try row.decode([String].self, column: "empty") == [])
            #expect(try row.decode(String.self, column: "blank") == "")
            #expect(try row.decode([UInt8].self, column: "no_bytes") == [])
        }
    }

    @Test("nil binds NULL, and NULL decodes into optionals but not into plain types")
    func nulls() async throws {
        try await TestDatabase.withPool { pool in
            let nothing: Int? = nil
            let something: String? = "here"
            let rows = try await pool.query("SELECT \(nothing) AS a, \(something) AS b, \(nothing) IS NULL AS isNull")
            let row = try #require(rows.first)
            #expect(try row.decode(Int?.self, column: "a") == nil)
            #expect(try row.decode(String?.self, column: "b") == "here")
            #expect(try row.decode(Bool.self, column: "isnull") == true)
            let error = #expect(throws: PostgresError.self) { try row.decode(Int.self, column: "a") }
            #expect(error?.code == .nullValueNotAllowed)
            #expect(error?.message.contains("column a") == true)
        }
    }

    @Test("the server's own types decode: int2, int4, float4, varchar, json, jsonb, citext, timestamp")
    func serverTypes() async throws {
        try await TestDatabase.withPool { pool in
            let rows = try await pool.query(
                """
                SELECT 7::int2 AS small, 8::int4 AS medium, 1.5::float4 AS real, 'v'::varchar(3) AS v,
                       '{"a":1}'::json AS j, '{"a": 1}'::jsonb AS jb, 'MiXed'::citext AS ci,
                       '2024-01-02 03:04:05.5'::timestamp AS ts, ARRAY[1,2]::int4[] AS ints, 'x' AS untyped
                """)
            let row = try #require(rows.first)
            #expect(try row.decode(Int.self, column: "small") == 7)
            #expect(try row.decode(Int32.self, column: "medium") == 8)
            #expect(try row.decode(Double.self, column: "real") == 1.5)
            #expect(try row.decode(String.self, column: "v") == "v")
            #expect(try row.decode(String.self, column: "j") == #"{"a":1}"#)
            #expect(try row.decode(String.self, column: "jb") == #"{"a": 1}"#)
            #expect(try row.decode(String.self, column: "ci") == "MiXed")
            #expect(try row.decode(Date.self, column: "ts") == Date(timeIntervalSince1970: 1_704_164_645.5))
            #expect(try row.decode([Int64].self, column: "ints") == [1, 2])
            #expect(try row.decode(String.self, column: "untyped") == "x")
        }
    }

    @Test("decoding into the wrong type fails with 42804, a missing column with 42703")
    func mismatches() async throws {
        try await TestDatabase.withPool { pool in
            let row = try #require(try await pool.query("SELECT 'text'::text AS t, 5::int8 AS n, 5000000000::int8 AS big").first)
            #expect(throws: PostgresError.self) { try row.decode(Int.self, column: "t") }
            let mismatch = #expect(throws: PostgresError.self) { try row.decode(Bool.self, column: "n") }
            #expect(mismatch?.code == .datatypeMismatch)
            #expect(mismatch?.message == "column n of type int8 cannot be decoded as Bool")
            let range = #expect(throws: PostgresError.self) { try row.decode(Int32.self, column: "big") }
            #expect(range?.code == .numericValueOutOfRange)
            let missing = #expect(throws: PostgresError.self) { try row.decode(Int.self, column: "nope") }
            #expect(missing?.code == .undefinedColumn)
            #expect(throws: PostgresError.self) { try row.decode(Int.self, column: 9) }
        }
    }

    @Test("hostile strings stay data: stored and read back verbatim, the table intact")
    func injection() async throws {
        try await TestDatabase.withPool { pool in
            let table = TestDatabase.uniqueName("injection")
            _ = try await pool.query("CREATE TABLE \(identifier: table) (id serial PRIMARY KEY, name text NOT NULL)")
            let hostile = [
                "'; DROP TABLE \(table); --", "\\'; SELECT pg_sleep(10); --", "$1", "' OR '1'='1", "\"; DELETE FROM x",
                "Robert'); DROP TABLE students;--",
            ]
            for name in hostile { _ = try await pool.query("INSERT INTO \(identifier: table) (name) VALUES (\(name))") }
            let rows = try await pool.query("SELECT name FROM \(identifier: table) ORDER BY id")
            #expect(try rows.map { try $0.decode(String.self, column: 0) } == hostile)
            let matched = try await pool.query("SELECT count(*) AS n FROM \(identifier: table) WHERE name = \("' OR '1'='1")")
            #expect(try matched.first?.decode(Int.self, column: "n") == 1)
            _ = try await pool.query("DROP TABLE \(identifier: table)")
        }
    }

    @Test("a server error's description never carries the parameter's value")
    func errorsDoNotLeak() async throws {
        try await TestDatabase.withPool { pool in
            let secret = "s3cr3t-4242-value"
            let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT \(secret)::int") }
            #expect(error?.code == .invalidTextRepresentation)
            #expect(error.map { "\($0)" }?.contains(secret) == false)
            #expect(error.map { String(reflecting: $0) }?.contains(secret) == false)
            #expect(error?.serverMessage?.contains(secret) == true)
        }
    }
}
