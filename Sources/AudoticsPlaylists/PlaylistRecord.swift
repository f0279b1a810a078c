import AudoticsAPI
import AudoticsPostgres
import AudoticsServiceSupport
import AudoticsWellKnownTypes

/// A playlist row as the store reads it.
struct PlaylistRecord: Sendable {
    var id: String
    var ownerID: String
    var ownerDisplayName: String
    var name: String
    var description: String
    var visibility: Int32
    var collaborative: Bool
    var version: Int64
    var itemCount: Int
    var totalDurationMs: Int64
    var createdAt: Int64
    var updatedAt: Int64

    static let columns: StaticString = """
        id, owner_id, owner_display_name, name, description, visibility, collaborative, version, item_count,
        total_duration_ms, (extract(epoch FROM created_at) * 1000000)::bigint, (extract(epoch FROM updated_at) * 1000000)::bigint
        """

    init(row: PostgresRow) throws {
        id = try row.decode(String.self, column: 0)
        ownerID = try row.decode(String.self, column: 1)
        ownerDisplayName = try row.decode(String.self, column: 2)
        name = try row.decode(String.self, column: 3)
        description = try row.decode(String.self, column: 4)
        visibility = Int32(try row.decode(Int.self, column: 5))
        collaborative = try row.decode(Bool.self, column: 6)
        version = try row.decode(Int64.self, column: 7)
        itemCount = try row.decode(Int.self, column: 8)
        totalDurationMs = try row.decode(Int64.self, column: 9)
        createdAt = try row.decode(Int64.self, column: 10)
        updatedAt = try row.decode(Int64.self, column: 11)
    }

    /// The snapshot ID callers see: opaque, changes with every version.
    var snapshotID: String { Self.snapshotID(id: id, version: version) }

    static func snapshotID(id: String, version: Int64) -> String {
        "s" + String(version, radix: 36) + "-" + String(UInt64(bitPattern: Int64(id.hashValueStable)) % 1_679_616, radix: 36)
    }

    var isPublic: Bool { visibility == 2 }

    /// Whether `userID` may see it.
    func isVisible(to userID: String) -> Bool { isPublic || ownerID == userID }

    /// Whether `userID` may add, remove and reorder its tracks.
    func canEditTracks(_ userID: String) -> Bool { ownerID == userID || (collaborative && isVisible(to: userID)) }

    var message: Playlist {
        .with {
            $0.id = id
            $0.ownerID = ownerID
            $0.ownerDisplayName = ownerDisplayName
            $0.name = name
            $0.description = description
            $0.visibility = PlaylistVisibility(rawValue: visibility)
            $0.collaborative = collaborative
            $0.snapshotID = snapshotID
            $0.itemCount = Int32(itemCount)
            $0.totalDurationMs = totalDurationMs
            $0.createdAt = Timestamp(unixMicroseconds: createdAt)
            $0.updatedAt = Timestamp(unixMicroseconds: updatedAt)
        }
    }
}

extension String {
    /// A hash that is the same in every process (Swift's `hashValue` is seeded per process): FNV-1a.
    var hashValueStable: Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01B3
        }
        return Int(bitPattern: UInt(hash))
    }
}
