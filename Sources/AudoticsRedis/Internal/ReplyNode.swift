/// A reply under construction by `RESPReader`'s hiredis callbacks: a finished scalar, or an array whose
/// elements arrive one by one (each element node is owned by its parent's `children`).
final class ReplyNode {
    private let scalar: RedisReply?
    /// The elements of an array node, filled in index order by hiredis; empty for scalars.
    var children: [ReplyNode?]

    init(_ scalar: RedisReply) {
        self.scalar = scalar
        self.children = []
    }

    init(arrayOf count: Int) {
        self.scalar = nil
        self.children = Array(repeating: nil, count: count)
    }

    /// The finished reply; an element hiredis never filled (impossible for a complete reply) reads as null.
    var reply: RedisReply {
        scalar ?? .array(children.map { $0?.reply ?? .null })
    }
}
