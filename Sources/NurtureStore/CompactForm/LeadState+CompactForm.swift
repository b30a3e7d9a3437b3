import Foundation
@_spi(EngineSnapshot) import NurtureCore

// The engine state's compact stored form (see `CompactForm`). Fields are written in declaration
// order; a change to any of them needs a new `CompactForm.version` and a reader for the old one.
// The engine shows the store its state's parts through its `EngineSnapshot` interface, which
// nothing else imports.

extension LeadState: CompactCodable {
    public func write(to writer: inout CompactWriter) {
        writer.write(stage)
        writer.write(score)
        writer.write(fitPoints)
        writer.write(grade)
        writer.write(history)
        writer.write(enrollments)
        writer.write(recentSends)
        writer.write(suppression)
    }

    public init(from reader: inout CompactReader) throws {
        self.init(stage: try reader.string(), score: try reader.read(), fitPoints: try reader.double(), grade: try reader.string())
        history = try reader.read()
        enrollments = try reader.array()
        recentSends = try reader.array()
        suppression = try reader.optional()
    }
}

extension Score: CompactCodable {
    public func write(to writer: inout CompactWriter) {
        writer.write(points)
        writer.write(asOf)
        writer.write(unsigned: UInt64(capPeriods.count))
        for period in capPeriods { writer.write(period) }
    }

    public init(from reader: inout CompactReader) throws {
        let points = try reader.double(), asOf = try reader.date()
        let capPeriods = try (0..<reader.count()).map { _ in try reader.optional(CapPeriod.self) }
        self.init(points: points, asOf: asOf, capPeriods: capPeriods)
    }
}

extension Score.CapPeriod: CompactCodable {
    public func write(to writer: inout CompactWriter) {
        writer.write(start)
        writer.write(used)
    }

    public init(from reader: inout CompactReader) throws {
        self.init(start: try reader.date(), used: try reader.double())
    }
}

extension EngagementHistory: CompactCodable {
    public func write(to writer: inout CompactWriter) {
        var flags: UInt64 = 0
        for (bit, flag) in [opened, replied, clicked, visited, filled].enumerated() where flag { flags |= 1 << UInt64(bit) }
        writer.write(unsigned: flags)
        // Sorted straight from the lists, as a set is written, without building the sets.
        writer.write(clicks.sorted)
        writer.write(visits.sorted)
        writer.write(forms.sorted)
    }

    public init(from reader: inout CompactReader) throws {
        let flags = try reader.unsigned()
        guard flags < 1 << 5 else { throw reader.failure("unknown engagement flags \(flags)") }
        let clicks = Categories(try reader.array(of: String.self))
        let visits = Categories(try reader.array(of: String.self))
        let forms = Categories(try reader.array(of: String.self))
        self.init(
            opened: flags & 1 != 0, replied: flags & 2 != 0, clicked: flags & 4 != 0, visited: flags & 8 != 0,
            filled: flags & 16 != 0, clicks: clicks, visits: visits, forms: forms)
    }
}

extension Enrollment: CompactCodable {
    public func write(to writer: inout CompactWriter) {
        writer.write(sequence)
        writer.write(enrolledAt)
        writer.write(status)
        writer.write(position)
        writer.write(wakeAt)
        writer.write(awaiting)
        writer.write(fired)
        writer.write(sent)
    }

    public init(from reader: inout CompactReader) throws {
        self.init(sequence: try reader.string(), enrolledAt: try reader.date())
        status = try reader.read()
        position = try reader.int()
        wakeAt = try reader.optional()
        awaiting = try reader.bool()
        fired = try reader.read()
        sent = try reader.read()
    }
}

extension Enrollment.Status: CompactCodable {
    public func write(to writer: inout CompactWriter) {
        switch self {
        case .active: writer.write(unsigned: 0)
        case .completed: writer.write(unsigned: 1)
        case .handedOff: writer.write(unsigned: 2)
        case let .exited(.event(kind)):
            writer.write(unsigned: 3)
            writer.write(kind)
        case let .exited(.stageChanged(stage)):
            writer.write(unsigned: 4)
            writer.write(stage)
        case .exited(.stalled): writer.write(unsigned: 5)
        }
    }

    public init(from reader: inout CompactReader) throws {
        switch try reader.unsigned() {
        case 0: self = .active
        case 1: self = .completed
        case 2: self = .handedOff
        case 3: self = .exited(.event(try reader.read()))
        case 4: self = .exited(.stageChanged(to: try reader.string()))
        case 5: self = .exited(.stalled)
        case let tag: throw reader.failure("unknown enrollment status \(tag)")
        }
    }
}

extension IndexBits: CompactCodable {
    public func write(to writer: inout CompactWriter) {
        writer.write(unsigned: bits)
        writer.write(others)
    }

    public init(from reader: inout CompactReader) throws {
        let bits = try reader.unsigned()
        self.init(bits: bits, others: try reader.set())
    }
}

extension EngagementEvent.Kind: CompactCodable {
    public func write(to writer: inout CompactWriter) { writer.write(unsigned: UInt64(ordinal)) }

    public init(from reader: inout CompactReader) throws {
        let ordinal = try reader.unsigned()
        guard ordinal < Self.allCases.count else { throw reader.failure("unknown event kind \(ordinal)") }
        self = Self.allCases[Int(ordinal)]
    }
}
