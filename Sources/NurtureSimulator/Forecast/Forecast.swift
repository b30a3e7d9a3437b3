import Dispatch
import Foundation
import NurtureCore
import Synchronization

/// The forecast of the live pipeline: every lead handed over by `leads`, run forward from its
/// stored state in batches over the worker threads, each lead and run on its own random stream.
///
/// The leads are read as they are run: while the workers run one batch, the caller's thread reads
/// the next, so memory holds two batches and the counts, whatever the number of leads.
public enum Forecast {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Leads per worker in one batch.
    static let leadsPerWorker = 2048

    /// Runs the forecast on leads given as they are. `leads` calls the function it is given once
    /// per lead.
    public static func run(
        _ setup: ForecastSetup, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        leads: (_ each: (ForecastLead) throws -> Void) throws -> Void
    ) throws -> ForecastCounts {
        try run(setup, threads: threads, snapshot: { $0 }, leads: leads)
    }

    /// Runs the forecast on leads given in a stored form that `snapshot` turns into a
    /// ``ForecastLead`` on the worker threads (decoding a million stored states is work worth
    /// sharing). `leads` calls the function it is given once per lead, in a fixed order.
    public static func run<Stored: Sendable>(
        _ setup: ForecastSetup, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        snapshot: @escaping @Sendable (Stored) throws -> ForecastLead,
        leads: (_ each: (Stored) throws -> Void) throws -> Void
    ) throws -> ForecastCounts {
        guard setup.days > 0, ForecastSetup.runsRange.contains(setup.runs) else {
            throw Failure(description: "days must be positive and runs from \(ForecastSetup.runsRange.lowerBound) to \(ForecastSetup.runsRange.upperBound)")
        }
        let model = ForecastModel(setup)
        let workers = max(1, threads)
        let total = Mutex(ForecastCounts(runs: setup.runs, days: setup.days))
        let failure = Mutex<(any Error)?>(nil)
        // One batch runs while the next is read; the reader waits for a free slot.
        let running = DispatchQueue(label: "nurture.forecast")
        let slots = DispatchSemaphore(value: 1)
        func submit(_ batch: [Stored]) {
            slots.wait()
            running.async {
                defer { slots.signal() }
                do {
                    let counts = try run(batch, model: model, workers: workers, snapshot: snapshot)
                    total.withLock { $0.merge(counts) }
                } catch {
                    failure.withLock { $0 = $0 ?? error }
                }
            }
        }
        var batch: [Stored] = []
        batch.reserveCapacity(workers * leadsPerWorker)
        do {
            try leads { lead in
                batch.append(lead)
                if batch.count == workers * leadsPerWorker {
                    submit(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { submit(batch) }
        } catch {
            running.sync {}
            throw error
        }
        running.sync {}
        if let error = failure.withLock({ $0 }) { throw error }
        let counts = total.withLock { $0 }
        guard let rules = setup.routing.rules else { return counts }
        return counts.routed(by: rules, cursor: setup.routing.cursor, startDay: model.startDay)
    }

    /// One batch, in a slice per worker; the parts are summed, so their order does not matter.
    private static func run<Stored: Sendable>(
        _ batch: [Stored], model: ForecastModel, workers: Int, snapshot: @Sendable (Stored) throws -> ForecastLead
    ) throws -> ForecastCounts {
        let parts = Mutex<[ForecastCounts]>([])
        let failure = Mutex<(any Error)?>(nil)
        let slice = (batch.count + workers - 1) / workers
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var runner = ForecastRun(model: model)
            var counts = ForecastCounts(runs: model.setup.runs, days: model.setup.days)
            do {
                for index in min(batch.count, worker * slice)..<min(batch.count, (worker + 1) * slice) {
                    runner.run(try snapshot(batch[index]), into: &counts)
                }
            } catch {
                failure.withLock { $0 = $0 ?? error }
            }
            parts.withLock { $0.append(counts) }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        var total = ForecastCounts(runs: model.setup.runs, days: model.setup.days)
        for part in parts.withLock({ $0 }) { total.merge(part) }
        return total
    }
}
