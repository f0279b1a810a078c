/// A PostgreSQL type, by its OID (`pg_type.oid`), as parameters declare it and result columns report it.
public struct PostgresDataType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The type's OID.
    public let rawValue: UInt32

    /// Wraps an OID.
    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// The name of a built-in type, else `oid <n>`.
    public var description: String {
        Self.names[rawValue] ?? "oid \(rawValue)"
    }

    /// `bool`.
    public static let bool = PostgresDataType(rawValue: 16)
    /// `bytea`.
    public static let bytea = PostgresDataType(rawValue: 17)
    /// `name` (identifiers in the catalogs).
    public static let name = PostgresDataType(rawValue: 19)
    /// `int8` (`bigint`).
    public static let int8 = PostgresDataType(rawValue: 20)
    /// `int2` (`smallint`).
    public static let int2 = PostgresDataType(rawValue: 21)
    /// `int4` (`integer`).
    public static let int4 = PostgresDataType(rawValue: 23)
    /// `text`.
    public static let text = PostgresDataType(rawValue: 25)
    /// `oid`.
    public static let oid = PostgresDataType(rawValue: 26)
    /// `json`.
    public static let json = PostgresDataType(rawValue: 114)
    /// `float4` (`real`).
    public static let float4 = PostgresDataType(rawValue: 700)
    /// `float8` (`double precision`).
    public static let float8 = PostgresDataType(rawValue: 701)
    /// `unknown` (an untyped literal such as `SELECT 'x'`).
    public static let unknown = PostgresDataType(rawValue: 705)
    /// `bpchar` (`char(n)`).
    public static let bpchar = PostgresDataType(rawValue: 1042)
    /// `varchar`.
    public static let varchar = PostgresDataType(rawValue: 1043)
    /// `timestamp` (without time zone).
    public static let timestamp = PostgresDataType(rawValue: 1114)
    /// `timestamptz`.
    public static let timestamptz = PostgresDataType(rawValue: 1184)
    /// `uuid`.
    public static let uuid = PostgresDataType(rawValue: 2950)
    /// `jsonb`.
    public static let jsonb = PostgresDataType(rawValue: 3802)
    /// `text[]`.
    public static let textArray = PostgresDataType(rawValue: 1009)
    /// `varchar[]`.
    public static let varcharArray = PostgresDataType(rawValue: 1015)
    /// `int8[]`.
    public static let int8Array = PostgresDataType(rawValue: 1016)
    /// `int4[]`.
    public static let int4Array = PostgresDataType(rawValue: 1007)

    /// The first OID the server gives to user-defined types (extensions such as `citext`, enums, domains).
    static let firstUserDefined: UInt32 = 16_384

    private static let names: [UInt32: String] = [
        16: "bool", 17: "bytea", 19: "name", 20: "int8", 21: "int2", 23: "int4", 25: "text", 26: "oid", 114: "json",
        700: "float4", 701: "float8", 705: "unknown", 1042: "bpchar", 1043: "varchar", 1114: "timestamp",
        1184: "timestamptz", 2950: "uuid", 3802: "jsonb", 1009: "text[]", 1015: "varchar[]", 1016: "int8[]",
        1007: "int4[]",
    ]
}
