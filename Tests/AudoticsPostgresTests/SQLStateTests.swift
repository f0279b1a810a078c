import AudoticsPostgres
import Testing

@Suite("SQLState and PostgresError")
struct SQLStateTests {
    @Test("codes expose their class")
    func errorClass() {
        #expect(SQLState.uniqueViolation.errorClass == "23")
        #expect(SQLState(rawValue: "40001") == .serializationFailure)
    }

    @Test("the description shows only the code and the safe message")
    func description() {
        var error = PostgresError(code: .undefinedTable, message: "undefined table")
        error.serverMessage = "relation \"secret_table\" does not exist"
        error.serverDetail = "value 1234"
        #expect(error.description == "PostgresError(42P01): undefined table")
        #expect(String(reflecting: error) == error.description)
        var dumped = ""
        dump(error, to: &dumped)
        #expect(!dumped.contains("secret_table") && !dumped.contains("1234"))
    }
}
