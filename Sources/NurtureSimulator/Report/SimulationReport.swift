import Foundation
import NurtureCore
import NurturePersonas

/// What a marketer and a sales manager read from a run: the funnel with intervals, time to
/// hand-off, emails per prospect, each step, and the daily hand-off load against sales capacity.
/// Its JSON form is documented in docs/simulation-report.md and kept stable.
public struct SimulationReport: Codable, Sendable {
    public struct Setup: Codable, Sendable {
        public var sequence: String
        public var prospects: Int
        public var days: Int
        public var seed: UInt64
        public var start: String
        public var reps: Int
        public var capacityPerRep: Int
        public var personas: [String]
        /// How prospects arrived (`300/day`, `14 dates from a file`); nil when all at the start.
        public var arrivals: String?
    }

    public struct FunnelStage: Codable, Sendable {
        public var stage: String
        public var label: String
        public var share: Proportion
    }

    public struct Step: Codable, Sendable {
        public var id: String
        public var kind: String
        public var sent: Int
        public var opened: Int
        public var clicked: Int
        public var exits: Int
    }

    public struct Day: Codable, Sendable {
        public var day: Int
        public var date: String
        public var weekday: String
        /// Prospects who entered the sequence that day.
        public var arrivals: Int
        public var handOffs: Int
        /// What sales can follow up that day (zero outside business days).
        public var capacity: Int
        /// Hand-offs still waiting at the end of the day: they miss the service level.
        public var carriedOver: Int
    }

    public struct Persona: Codable, Sendable {
        public var id: String
        public var name: String
        public var highIntent: Bool
        public var prospects: Int
        public var handOffs: Int
    }

    public var setup: Setup
    public var funnel: [FunnelStage]
    public var emails: Int
    public var opens: Int
    public var machineOpens: Int
    public var clicks: Int
    public var events: Int
    /// Hours from enrollment to hand-off; nil without hand-offs.
    public var hoursToHandOffP50: Double?
    public var hoursToHandOffP90: Double?
    public var hoursToHandOff: [Int]
    public var emailsPerProspectMean: Double
    public var emailsPerProspect: [Int]
    public var steps: [Step]
    public var endings: [String: Int]
    public var days: [Day]
    public var handOffsPerRep: [Int]
    /// Days on which hand-offs were carried over past the service level.
    public var overloadedDays: [Int]
    public var personas: [Persona]
    /// Share of hand-offs that came from high-intent personas.
    public var handOffQuality: Proportion
    /// Enrollments still running at the horizon: what the run has not seen the end of.
    public var leadsInFlight: Int
    /// Hand-offs sales has not reached by the end of the last day.
    public var handOffsWaitingAtEnd: Int
    /// The service-level forecast from the reps' answers; nil without a `reps:` section.
    public var slaForecast: SLAForecast?
    /// Sends, hand-offs and endings by sequence; nil unless the lifecycle moved prospects into
    /// sequences other than the simulated one.
    public var sequences: [SequenceBreakdown]?

    public init(stats: SimulationStats, setup: SimulationSetup) {
        let sequence = setup.definitions.sequences[setup.sequence]!
        let lifecycle = setup.definitions.lifecycle
        let formatter = ISO8601DateFormatter()
        self.setup = Setup(
            sequence: setup.sequence, prospects: setup.prospects, days: setup.days, seed: setup.seed,
            start: formatter.string(from: setup.start), reps: setup.reps, capacityPerRep: setup.capacityPerRep,
            personas: setup.population.personas.map(\.id), arrivals: setup.arrivals?.summary)
        let enrolled = stats[.enrolled]
        funnel = SimulationStats.Stage.allCases.map { stage in
            FunnelStage(stage: stage.key, label: stage.label,
                        share: Proportion(stats[stage], of: stage == .enrolled ? stats.prospects : enrolled))
        }
        emails = stats.emails
        opens = stats.opens
        machineOpens = stats.machineOpens
        clicks = stats.clicks
        events = stats.events
        hoursToHandOff = stats.hoursToHandOff
        hoursToHandOffP50 = Self.quantile(0.5, of: stats.hoursToHandOff)
        hoursToHandOffP90 = Self.quantile(0.9, of: stats.hoursToHandOff)
        emailsPerProspect = stats.emailsPerProspect
        let prospects = max(1, stats.prospects)
        emailsPerProspectMean = Double(stats.emails) / Double(prospects)
        steps = zip(sequence.steps, stats.steps).map { step, counts in
            Step(id: step.id, kind: Self.kind(step.kind), sent: counts.sent, opened: counts.opened,
                 clicked: counts.clicked, exits: counts.exits)
        }
        endings = Dictionary(uniqueKeysWithValues: SimulationStats.Ending.allCases.map { ($0.key, stats.endings[$0.rawValue]) })

        // Sales works its queue on business days, up to capacity; whatever is left at the end of a
        // day has waited past the service level.
        let clock = ZoneClock(lifecycle.businessHours.timeZone)
        let firstDay = clock.dayAndSecond(setup.start).day
        let dayFormatter = DateFormatter()
        dayFormatter.locale = Locale(identifier: "en_US_POSIX")
        dayFormatter.timeZone = lifecycle.businessHours.timeZone
        dayFormatter.dateFormat = "yyyy-MM-dd"
        var backlog = 0
        var days: [Day] = []
        let arrivalsPerDay = setup.arrivals?.perDay ?? [stats.prospects] + Array(repeating: 0, count: max(0, setup.days - 1))
        for (index, handOffs) in stats.handOffsPerDay.enumerated() {
            let localDay = firstDay + Int64(index)
            let weekday = Weekday.of(localDay: localDay)
            let capacity = lifecycle.businessHours.days.contains(weekday) ? setup.reps * setup.capacityPerRep : 0
            backlog += handOffs
            backlog -= min(backlog, capacity)
            let noon = clock.instant(localSeconds: localDay * 86_400 + 43_200)
            days.append(Day(day: index, date: dayFormatter.string(from: noon), weekday: weekday.abbreviation,
                            arrivals: arrivalsPerDay[index], handOffs: handOffs, capacity: capacity, carriedOver: backlog))
        }
        self.days = days
        leadsInFlight = stats.endings[SimulationStats.Ending.stillActive.rawValue]
        handOffsWaitingAtEnd = backlog
        overloadedDays = days.filter { $0.carriedOver > 0 && $0.capacity > 0 }.map(\.day)
        let reps = max(1, setup.reps)
        handOffsPerRep = (0..<reps).map { rep in
            stats.handOffsPerRepDay[(rep * setup.days)..<((rep + 1) * setup.days)].reduce(0, +)
        }
        personas = setup.population.personas.enumerated().map { index, persona in
            Persona(id: persona.id, name: persona.name, highIntent: persona.highIntent,
                    prospects: stats.personaProspects[index], handOffs: stats.personaHandOffs[index])
        }
        let highIntent = personas.filter(\.highIntent).reduce(0) { $0 + $1.handOffs }
        handOffQuality = Proportion(highIntent, of: stats[.handedOff])
        sequences = SequenceBreakdown.rows(stats: stats, setup: setup)
        if let counts = stats.sla, let behaviour = setup.population.reps {
            slaForecast = SLAForecast(counts: counts, behaviour: behaviour, setup: setup)
        }
    }

    public subscript(stage: SimulationStats.Stage) -> Proportion { funnel[stage.rawValue].share }

    /// The value below which a fraction `q` of a histogram's mass lies (bucket midpoint).
    static func quantile(_ q: Double, of histogram: [Int]) -> Double? {
        let total = histogram.reduce(0, +)
        guard total > 0 else { return nil }
        let target = q * Double(total)
        var running = 0
        for (bucket, count) in histogram.enumerated() {
            running += count
            if Double(running) >= target { return Double(bucket) + 0.5 }
        }
        return Double(histogram.count)
    }

    static func kind(_ kind: NurtureCore.Step.Kind) -> String {
        switch kind {
        case .email: "email"
        case .wait: "wait"
        case .waitFor: "wait_for"
        case .branch: "branch"
        case .score: "score"
        case .repTask: "rep_task"
        case .notifyRep: "notify_rep"
        case .handOff: "hand_off"
        case .end: "end"
        }
    }
}

extension SimulationReport {
    /// The report as JSON (see ``ReportJSON``).
    public func json() throws -> String { try ReportJSON.encode(self) }
}

/// How every report is written as JSON: pretty-printed, sorted keys, snake_case names, so the same
/// run gives the same bytes and the schema in docs/simulation-report.md reads naturally.
public enum ReportJSON {
    public static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
