/// A proto enum.
public struct EnumModel: Hashable, Sendable {
    /// One value of the enum.
    public struct Value: Hashable, Sendable {
        /// The name as written in the `.proto` file, for example `EVENT_TYPE_SKIP`.
        public var name: String
        /// The number.
        public var number: Int32
        /// The leading comment from the `.proto` source.
        public var comment: String

        /// Creates a value.
        public init(name: String, number: Int32, comment: String = "") {
            self.name = name
            self.number = number
            self.comment = comment
        }
    }

    /// The short name.
    public var name: String
    /// The fully qualified name without a leading dot.
    public var fullName: String
    /// Values in declaration order.
    public var values: [Value]
    /// The leading comment from the `.proto` source.
    public var comment: String

    /// Creates an enum model.
    public init(name: String, fullName: String, values: [Value], comment: String = "") {
        self.name = name
        self.fullName = fullName
        self.values = values
        self.comment = comment
    }
}
