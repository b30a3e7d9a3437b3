import Foundation

/// A rep's request that one of their prospects be nurtured ("not ready until Q3"), and what came
/// of it. `used`, `late`, `unused` and `abandoned` are final.
public struct NurtureRequest: Hashable, Sendable, Codable {
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        /// The nurture is running.
        case open
        /// The nurture handed the lead back to the rep, who has not answered yet.
        case handedBack = "handed_back"
        /// The rep accepted the hand-back and touched the lead within the service level.
        case used
        /// Accepted, but the first touch came after the service level.
        case late
        /// The hand-back was rejected or expired, or the request ran past its end date.
        case unused
        /// The rep cancelled it.
        case abandoned

        public var isFinal: Bool { ![.open, .handedBack].contains(self) }
    }

    public var id: Int64
    public var leadID: String
    public var sequence: String
    public var repName: String
    public var repEmail: String
    public var note: String?
    public var until: Date?
    public var status: Status
    public var createdAt: Date
    public var handOffID: Int64?
    public var closedAt: Date?
}
