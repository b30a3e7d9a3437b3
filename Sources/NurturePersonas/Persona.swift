import NurtureCore

/// How one kind of prospect behaves, for the simulator: how likely they are to open, click, reply,
/// unsubscribe or bounce, how fast, how quickly they tire, and who they are (fit attributes).
///
/// Baseline semantics: for each delivered email, draw the open (the open probability times
/// `fatigue` for each consecutive unopened email before it); given a human open, draw click,
/// reply and unsubscribe independently and emit them in that order at increasing times. A machine
/// open (a privacy proxy fetching images) is drawn separately and has no human behind it.
public struct Persona: Sendable {
    public var id: String
    public var name: String
    /// Share of the population.
    public var share: Double
    /// Counted as high intent when judging hand-off quality.
    public var highIntent: Bool
    public var open: Double
    public var click: Double
    public var reply: Double
    public var unsubscribe: Double
    /// Probability that the address is invalid, found at the first send.
    public var bounce: Double
    public var machineOpen: Double
    public var openDelay: LogNormalDelay
    public var clickDelay: LogNormalDelay
    /// Multiplier on the open probability for each consecutive unopened email.
    public var fatigue: Double
    /// Link categories clicked, by weight.
    public var clickCategories: Mix<String>?
    /// Spontaneous page visits per day, and which pages.
    public var visitsPerDay: Double
    public var visitPages: Mix<String>?
    /// Fit attributes (title, company_size, industry...) by weight.
    public var attributes: [(name: String, mix: Mix<String>)]
    /// Overrides the population's time-zone mix.
    public var timeZones: Mix<String>?

    public init(
        id: String, name: String? = nil, share: Double, highIntent: Bool = false, open: Double, click: Double,
        reply: Double, unsubscribe: Double, bounce: Double = 0, machineOpen: Double = 0,
        openDelay: LogNormalDelay = LogNormalDelay(median: .hours(4), spread: 1),
        clickDelay: LogNormalDelay = LogNormalDelay(median: .minutes(2), spread: 0.5),
        fatigue: Double = 1, clickCategories: Mix<String>? = nil, visitsPerDay: Double = 0,
        visitPages: Mix<String>? = nil, attributes: [(name: String, mix: Mix<String>)] = [],
        timeZones: Mix<String>? = nil
    ) {
        self.id = id
        self.name = name ?? id
        self.share = share
        self.highIntent = highIntent
        self.open = open
        self.click = click
        self.reply = reply
        self.unsubscribe = unsubscribe
        self.bounce = bounce
        self.machineOpen = machineOpen
        self.openDelay = openDelay
        self.clickDelay = clickDelay
        self.fatigue = fatigue
        self.clickCategories = clickCategories
        self.visitsPerDay = visitsPerDay
        self.visitPages = visitPages
        self.attributes = attributes
        self.timeZones = timeZones
    }
}
