/// Everything a run counts, as plain integers so that merging chunks in any order gives the same
/// totals: memory stays flat however many prospects run.
public struct SimulationStats: Sendable, Equatable {
    /// Prospect-level funnel: how many prospects did each thing at least once.
    public enum Stage: Int, CaseIterable, Sendable {
        case enrolled, delivered, opened, clicked, replied, unsubscribed, bounced, handedOff

        public var label: String {
            ["enrolled", "delivered", "opened", "clicked", "replied", "unsubscribed", "bounced", "handed off"][rawValue]
        }
        public var key: String {
            ["enrolled", "delivered", "opened", "clicked", "replied", "unsubscribed", "bounced", "handed_off"][rawValue]
        }
    }

    /// How an enrollment ended by the end of the run.
    public enum Ending: Int, CaseIterable, Sendable {
        case completed, handedOff, replied, meetingBooked, unsubscribed, bounced, complained, stageChanged, stalled,
             stillActive, refused

        public var key: String {
            ["completed", "handed_off", "replied", "meeting_booked", "unsubscribed", "bounced", "complained",
             "stage_changed", "stalled", "still_active", "refused"][rawValue]
        }
    }

    public struct StepCounts: Sendable, Equatable {
        public var sent = 0
        public var opened = 0
        public var clicked = 0
        /// Enrollments that ended while this was the last email they had received.
        public var exits = 0
    }

    public var prospects = 0
    public var funnel = [Int](repeating: 0, count: Stage.allCases.count)
    public var endings = [Int](repeating: 0, count: Ending.allCases.count)
    public var emails = 0
    public var opens = 0
    public var machineOpens = 0
    public var clicks = 0
    public var events = 0
    /// Calls into the engine for events and wake-ups (enrollments are made once per profile).
    public var engineSteps = 0
    /// Prospects by number of emails received (the last bucket collects the rest).
    public var emailsPerProspect = [Int](repeating: 0, count: 33)
    /// Hand-offs by whole hours from enrollment.
    public var hoursToHandOff: [Int]
    /// Hand-offs by day of the run, on sales' clock.
    public var handOffsPerDay: [Int]
    /// Hand-offs by day, per rep: `[rep * days + day]`.
    public var handOffsPerRepDay: [Int]
    public var steps: [StepCounts]
    /// Per persona: prospects drawn and hand-offs.
    public var personaProspects: [Int]
    public var personaHandOffs: [Int]
    /// What the reps did with the hand-offs; nil when the population has no `reps:` section.
    public var sla: SLACounts?
    /// By sequence: the simulated one first, then the definition set's others by name. Only the
    /// others' entries are counted as the run goes, and the simulated one's hand-offs; the report
    /// reads the rest of the simulated one's from the totals above.
    public var sequences: [SequenceCounts]

    public init(days: Int, reps: Int, steps: Int, personas: Int, sequences: Int = 1) {
        self.sequences = [SequenceCounts](repeating: SequenceCounts(), count: max(1, sequences))
        hoursToHandOff = [Int](repeating: 0, count: days * 24 + 1)
        handOffsPerDay = [Int](repeating: 0, count: days)
        handOffsPerRepDay = [Int](repeating: 0, count: days * reps)
        self.steps = [StepCounts](repeating: StepCounts(), count: steps)
        personaProspects = [Int](repeating: 0, count: personas)
        personaHandOffs = [Int](repeating: 0, count: personas)
    }

    public subscript(stage: Stage) -> Int { funnel[stage.rawValue] }

    public mutating func merge(_ other: SimulationStats) {
        prospects += other.prospects
        funnel.add(other.funnel)
        endings.add(other.endings)
        emails += other.emails
        opens += other.opens
        machineOpens += other.machineOpens
        clicks += other.clicks
        events += other.events
        engineSteps += other.engineSteps
        emailsPerProspect.add(other.emailsPerProspect)
        hoursToHandOff.add(other.hoursToHandOff)
        handOffsPerDay.add(other.handOffsPerDay)
        handOffsPerRepDay.add(other.handOffsPerRepDay)
        for i in steps.indices {
            steps[i].sent += other.steps[i].sent
            steps[i].opened += other.steps[i].opened
            steps[i].clicked += other.steps[i].clicked
            steps[i].exits += other.steps[i].exits
        }
        personaProspects.add(other.personaProspects)
        personaHandOffs.add(other.personaHandOffs)
        if let other = other.sla { sla?.merge(other) }
        for i in sequences.indices { sequences[i].add(other.sequences[i]) }
    }
}
