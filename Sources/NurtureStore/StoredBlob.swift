import Foundation
import NurtureCore

/// How the store keeps engine states, profiles and people in their columns: written in the
/// compact form, read in either that form or the JSON that earlier versions wrote, so an existing
/// file needs no migration (each row moves to the compact form when it is next written).
enum StoredBlob {
    static func encode<Value: CompactCodable>(_ value: Value) -> Data { CompactForm.encode(value) }

    static func decode<Value: CompactCodable & Decodable>(_ type: Value.Type, from blob: Data) throws -> Value {
        if CompactForm.isCompact(blob) { return try CompactForm.decode(type, from: blob) }
        return try JSONDecoder().decode(type, from: blob)
    }
}

extension SQLiteStore {
    /// A lead's profile column as the store writes it, for filling a file in bulk.
    public static func profileBlob(_ lead: Lead) -> Data { StoredBlob.encode(LeadProfile(lead)) }
}
