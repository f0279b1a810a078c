extension PostgresBindings {
    /// Calls `body` with libpq's parameter arrays (count, value pointers with nil for NULL, lengths, formats
    /// all binary), valid only during the call.
    func withParameterArrays<Result>(
        _ body: (Int32, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> Result
    ) -> Result {
        guard !slots.isEmpty else { return body(0, nil, nil, nil) }
        // A zero-length value needs a non-nil pointer (nil means NULL), and an empty buffer may have none.
        let bytes = storage.isEmpty ? [0] : storage
        return bytes.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            let values: [UnsafePointer<CChar>?] = slots.map { $0.length < 0 ? nil : base + $0.offset }
            let lengths = slots.map { Int32(max($0.length, 0)) }
            let formats = [Int32](repeating: 1, count: slots.count)
            return values.withUnsafeBufferPointer { values in
                lengths.withUnsafeBufferPointer { lengths in
                    formats.withUnsafeBufferPointer { formats in
                        body(Int32(slots.count), values.baseAddress, lengths.baseAddress, formats.baseAddress)
                    }
                }
            }
        }
    }
}
