internal import CProtobufC

/// A Swift value type generated from a proto message, encoded and decoded by protobuf-c.
///
/// The underscored requirements bridge to the C structs that protoc-c generates; only generated
/// code implements them. Use `init(serializedBytes:options:)` and `serializedBytes()`.
public protocol ProtobufMessage: Hashable, Sendable {
    /// Creates a message with every field at its default value.
    init()
    /// The fully qualified proto name, for example `audotics.v1.Track`.
    static var protoMessageName: String { get }
    /// The protobuf-c descriptor of the C struct behind this message.
    static var _protobufCDescriptor: ProtobufCDescriptor { get }
    /// Fields the schema does not declare, kept from decoding and written back when encoding.
    var unknownFields: UnknownFields { get set }
    /// Reads the message from a C struct of this type's protobuf-c layout.
    init(_protobufC message: UnsafeRawPointer) throws(CodecError)
    /// Writes this message into an initialized C struct, allocating what it points to in `arena`.
    func _protobufCFill(_ message: UnsafeMutableRawPointer, _ arena: ProtobufCArena)
}

/// A reference to a protobuf-c message descriptor, a `const` C global that lives for the process.
public struct ProtobufCDescriptor: @unchecked Sendable {
    // @unchecked Sendable: the pointer targets an immutable `const` descriptor emitted by
    // protoc-c; nothing ever writes through it, so sharing it across threads is safe.
    let pointer: UnsafePointer<ProtobufCMessageDescriptor>

    /// Wraps the descriptor found in the `base` of a C message initialised by its protoc-c `init`.
    public init(initializedMessage: UnsafeRawPointer) {
        let base = initializedMessage.assumingMemoryBound(to: ProtobufCMessage.self)
        pointer = base.pointee.descriptor
    }

    /// The size in bytes of the C struct.
    var messageSize: Int { pointer.pointee.sizeof_message }
}

extension ProtobufMessage {
    /// Decodes a message from its binary protobuf encoding.
    ///
    /// - Throws: `CodecError` when the bytes are malformed, exceed `options.maxMessageBytes`, or
    ///   hold invalid UTF-8 in a `string` field.
    @inlinable
    public init(serializedBytes bytes: UnsafeRawBufferPointer, options: DecodingOptions = .default) throws(CodecError) {
        guard bytes.count <= options.maxMessageBytes else {
            throw CodecError(
                code: .sizeLimitExceeded,
                message: "\(Self.protoMessageName): \(bytes.count) bytes exceed the decode limit of \(options.maxMessageBytes)"
            )
        }
        // The first block is sized for a typical expansion of the input (C structs, pointers, string
        // terminators), capped so it can stay on the stack; larger messages grow into malloc'd blocks.
        self = try ProtobufCArena.with(initialCapacity: Swift.min(bytes.count * 2 + 512, 16 * 1024)) { arena throws(CodecError) in
            guard let decoded = arena.unpack(Self._protobufCDescriptor, bytes) else {
                throw CodecError(code: .malformed, message: "\(Self.protoMessageName): the bytes are not a valid encoding")
            }
            return try Self(_protobufC: decoded)
        }
    }

    /// Decodes a message from its binary protobuf encoding.
    @inlinable
    public init(serializedBytes bytes: [UInt8], options: DecodingOptions = .default) throws(CodecError) {
        // `Array.withUnsafeBytes` rethrows untyped errors, so the typed one travels in a `Result`.
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(CodecError) in try Self(serializedBytes: buffer, options: options) }
        }
        self = try result.get()
    }

    /// Encodes the message straight into memory the caller provides, without an intermediate buffer.
    ///
    /// `body` receives an upper bound of the encoded size and a function that writes the encoding to
    /// a destination of at least that many bytes and returns how many it wrote.
    @inlinable
    public func withEncoding<Result, Failure: Error>(
        _ body: (_ maximumSize: Int, _ write: (UnsafeMutableRawPointer) -> Int) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try ProtobufCArena.with(initialCapacity: 2048) { arena throws(Failure) in
            let message = arena.message(self)
            return try body(arena.encodedBound) { destination in arena.pack(message, into: destination) }
        }
    }

    /// The binary protobuf encoding of the message.
    @inlinable
    public func serializedBytes() -> [UInt8] {
        ProtobufCArena.with(initialCapacity: 2048) { arena in
            arena.packedBytes(arena.message(self))
        }
    }
}

extension ProtobufMessage {
    /// A message built by mutating a default one: `Track.with { $0.title = "Intro" }`.
    public static func with(_ populate: (inout Self) throws -> Void) rethrows -> Self {
        var message = Self()
        try populate(&message)
        return message
    }
}
