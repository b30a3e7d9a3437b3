import ArgumentParser
import Dispatch
import Foundation
import NurturePostgres
import NurtureScheduler
import NurtureStore

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the scheduler until SIGTERM or SIGINT, then finish the sends in flight and exit.")

    @OptionGroup var options: SchedulerOptions

    func run() async throws {
        let scheduler = try options.scheduler()
        // Signals ask for a clean stop: the pass in progress finishes, including its sends.
        var sources: [DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { scheduler.stop() }
            source.resume()
            sources.append(source)
        }
        defer { sources.forEach { $0.cancel() } }
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
