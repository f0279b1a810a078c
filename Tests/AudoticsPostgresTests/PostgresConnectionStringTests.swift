import AudoticsPostgres
import Testing

@Suite("PostgresConnectionString")
struct PostgresConnectionStringTests {
    @Test("parses URLs and key=value strings, redacting the password")
    func parses() throws {
        let url = try PostgresConnectionString("postgresql://audotics:pa55word@db.example.com:6543/music?sslmode=require")
        #expect(url.options["host"] == "db.example.com")
        #expect(url.options["port"] == "6543")
        #expect(url.options["dbname"] == "music")
        #expect(url.options["user"] == "audotics")
        #expect(url.options["sslmode"] == "require")
        #expect(url.options["password"] == "<redacted>")
        #expect(!url.description.contains("pa55word"))
        let pairs = try PostgresConnectionString("host=/tmp port=5433 dbname=x password='pa55 word'")
        #expect(pairs.options["host"] == "/tmp")
        #expect(!"\(pairs)".contains("pa55"))
    }

    @Test("multi-host URLs are accepted")
    func multiHost() throws {
        let string = try PostgresConnectionString("postgresql://h1:5432,h2:5433/db?target_session_attrs=read-write")
        #expect(string.options["host"] == "h1,h2")
        #expect(string.options["target_session_attrs"] == "read-write")
    }

    @Test("invalid strings fail without echoing any part of them", arguments: [
        "host=localhost password=topsecret123 garbage",
        "postgresql://user:topsecret123@host/db?nosuchoption=1",
        "postgresql://user:topsecret123@host/db%zz",
        "nosuchkeyword=topsecret123",
    ])
    func invalid(string: String) {
        let error = #expect(throws: PostgresError.self) { try PostgresConnectionString(string) }
        #expect(error?.code == .unableToConnect)
        #expect(error?.description.contains("topsecret123") == false)
        #expect(error.map { String(reflecting: $0) }?.contains("topsecret123") == false)
    }

    @Test("PostgresConnection validates before connecting")
    func connectionValidates() {
        let error = #expect(throws: PostgresError.self) { try PostgresConnection(url: "postgresql://u:topsecret123@h/d?bogus=1") }
        #expect(error?.message.hasPrefix("invalid connection string") == true)
    }
}
