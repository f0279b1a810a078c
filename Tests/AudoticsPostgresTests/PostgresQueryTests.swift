import AudoticsPostgres
import Testing

@Suite("PostgresQuery")
struct PostgresQueryTests {
    @Test("interpolated values become numbered parameters, never SQL text")
    func interpolation() {
        let name = "x'); DROP TABLE users; --"
        let limit = 10
        let missing: String? = nil
        let query: PostgresQuery = "SELECT * FROM t WHERE name = \(name) AND note = \(missing) LIMIT \(limit)"
        #expect(query.sql == "SELECT * FROM t WHERE name = $1 AND note = $2 LIMIT $3")
        #expect(query.bindings.count == 3)
        #expect(query.bindings.types == [.text, .text, .int8])
        #expect(!query.sql.contains("DROP"))
        #expect(!query.description.contains("DROP"))
        #expect(query.description.contains("3 parameters: text, text, int8"))
    }

    @Test("identifiers are quoted with embedded quotes doubled")
    func identifiers() {
        let table = #"we"ird; DROP"#
        let query: PostgresQuery = "SELECT 1 FROM \(identifier: table)"
        #expect(query.sql == #"SELECT 1 FROM "we""ird; DROP""#)
        #expect(query.bindings.count == 0)
    }

    @Test("a plain literal has no parameters")
    func literal() {
        let query: PostgresQuery = "SELECT 1"
        #expect(query.sql == "SELECT 1")
        #expect(query.bindings.count == 0)
    }
}
