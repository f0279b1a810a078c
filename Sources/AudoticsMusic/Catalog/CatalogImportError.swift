/// Why a catalog file could not be imported: every bad row, with its line and field.
public struct CatalogImportError: Error, Sendable, CustomStringConvertible {
    /// One problem in the file.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        /// The 1-based line of the row (for CSV, the line the record starts on).
        public var line: Int
        /// The field at fault, if one is.
        public var field: String?
        /// What is wrong.
        public var message: String

        public var description: String {
            "line \(line)" + (field.map { ", \($0)" } ?? "") + ": " + message
        }
    }

    /// The problems, in file order.
    public var problems: [Problem]

    /// Creates an error listing `problems`.
    public init(problems: [Problem]) {
        self.problems = problems
    }

    /// At most 20 problems, one per line, and how many more there are.
    public var description: String {
        let shown = problems.prefix(20).map { "  \($0)" }.joined(separator: "\n")
        let more = problems.count > 20 ? "\n  … and \(problems.count - 20) more" : ""
        return "the catalog has \(problems.count) bad row\(problems.count == 1 ? "" : "s"):\n" + shown + more
    }
}
