import ArgumentParser
import Foundation
import NurturePostgres
import NurtureScheduler
import NurtureStore

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the scheduler until SIGTERM or SIGINT, then finish the sends in flight and exit.")

    @OptionGroup var options: SchedulerOptions

    func run() async throws {
        // Signals first: one that arrives while the store opens still ends in a clean stop.
        let signals = StopSignals()
        defer { signals.cancel() }
        let scheduler = try options.scheduler()
        signals.forward { scheduler.stop() }
        do {
            try await scheduler.run()
        } catch let error as Scheduler.ConfigurationError {
            Terminal.error("error: \(error)")
            throw ExitCode(2)
        }
    }
}

struct Tick: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Do one scheduler pass and exit (for cron).")

    @OptionGroup var options: SchedulerOptions

    func run() async throws {
        // Cron runs this every minute, mostly with nothing to do: the options are checked, then
        // one indexed query decides. Only when something is due are the definitions loaded and
        // validated, and the relay's sender (libcurl, TLS) set up.
        let settings = try options.settings()
        var postgres: PostgresStore?
        if options.store.isPostgres {
            if let location = try? PostgresLocation(url: options.store.db), PostgresStore.hasDueWork(location, now: Date()) == false {
                print(PassSummary())
                return
            }
            postgres = try options.store.openPostgres()
        } else if SQLiteStore.hasDueWork(path: options.store.db, now: Date()) == false {
            print(PassSummary())
            return
        }
        // Definitions first: a command that cannot run must not leave a new, empty store behind.
        let definitions = try options.loadDefinitions()
        let store: any TrackingStore = try postgres ?? options.store.openShared(.sending)
        let scheduler = try options.scheduler(store: store, definitions: definitions, settings: settings)
        do {
            let summary = try await scheduler.pass()
            print(summary)
        } catch let error as Scheduler.ConfigurationError {
            Terminal.error("error: \(error)")
            throw ExitCode(2)
        }
    }
}
