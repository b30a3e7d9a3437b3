import ArgumentParser
import Foundation
import NurtureCore
import NurtureDefinitions
import NurtureSimulator
import NurtureStore

struct ForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Forecast the hand-offs of the live pipeline, per rep and business day, against capacity.",
        discussion: """
            Every enrolled lead runs forward from its stored engine state (stage, score, position in its \
            sequence, pending wake-ups, paced enrolments still to start) through the real engine on a \
            virtual clock; opens, clicks, replies and unsubscribes to come are drawn from personas. The \
            report gives each rep's hand-offs per day with 10th-90th percentile intervals over the runs \
            and flags the days over capacity; `nurture status` shows those days. Leads, engine state and \
            outbox are only read. See docs/forecast.md.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: ArgumentHelp("The definitions folder (lifecycle.yml, scoring.yml, sequences, templates/).", valueName: "folder"))
    var definitions: String = "sequences"

    @Option(help: ArgumentHelp(
        "The persona file (default: personas.yml in the definitions folder, else examples/personas/b2b-saas.yml).",
        valueName: "file"))
    var personas: String?

    @Option(help: ArgumentHelp("How many days ahead.", valueName: "n"))
    var days: Int = 14

    @Option(help: ArgumentHelp("Monte Carlo runs: each draws every lead's behaviour anew.", valueName: "n"))
    var runs: Int = 20

    @Option(help: ArgumentHelp("Random seed; the same seed and store give the same report.", valueName: "n"))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp(
        "Hand-offs one rep on no team can follow up per business day (team members have their capacity in lifecycle.yml).",
        valueName: "n"))
    var capacity: Int = 20

    @Option(help: ArgumentHelp("Forecast from this time instead of now (e.g. 2026-03-04T09:00:00Z).", valueName: "time"),
            transform: Instant.parse)
    var from: Date?

    @Option(help: ArgumentHelp("Worker threads (default: every core). Results do not depend on it.", valueName: "n"))
    var threads: Int?

    @OptionGroup var output: ReportOutput

    func validate() throws {
        try OptionRange.check(days, in: OptionRange.days, option: "--days")
        try OptionRange.check(runs, in: ForecastSetup.runsRange, option: "--runs")
        try OptionRange.check(capacity, in: OptionRange.capacity, option: "--capacity")
        if let threads { try OptionRange.check(threads, in: OptionRange.threads, option: "--threads") }
    }

    func run() throws {
        let set = try DefinitionsFolder.load(definitions).0
        let population = try PopulationOptions.loadPopulation(personas, definitionsFolder: definitions)
        let reading = try store.openShared(.reading)
        let start = from ?? Date()
        let setup = ForecastSetup(
            definitions: set, population: population, start: start, days: days, runs: runs, seed: seed,
            routing: .production(lifecycle: set.lifecycle, capacityPerRep: capacity, cursor: try reading.routingCursor()))
        let counts = try Forecast.run(
            setup, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount,
            snapshot: { stored in
                let (lead, state) = try stored.decoded()
                return ForecastLead(lead: lead, state: state, pending: stored.inbox.compactMap { item in
                    item.input.map { ForecastLead.ScheduledInput(at: item.at, input: $0) }
                })
            },
            leads: reading.forEachStoredLead)
        let report = ForecastReport(counts: counts, setup: setup)
        try output.write(report, text: report.text, html: report.html)
        try record(report, madeAt: start)
    }

    /// Keeps the flagged days for `nurture status`: the store opened writable only for this one
    /// short transaction, after the forecast, on its own tables.
    private func record(_ report: ForecastReport, madeAt: Date) throws {
        let summary = ForecastSummary(
            madeAt: madeAt, days: report.setup.days, runs: report.setup.runs, seed: Int64(bitPattern: report.setup.seed),
            leads: report.setup.forecastLeads,
            flags: report.flagged.map {
                ForecastSummary.Flag(date: $0.date, rep: $0.rep, load: $0.loadP50, capacity: $0.capacity, chance: $0.overCapacityChance)
            })
        do {
            try store.openShared(.existing).recordForecast(summary)
        } catch {
            throw ValidationError("forecast made, but cannot record its flagged days in \(store.db): \(error)")
        }
    }
}
