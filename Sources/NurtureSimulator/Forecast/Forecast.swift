import Dispatch
import Foundation
import NurtureCore
import Synchronization

/// The forecast of the live pipeline: every lead handed over by `leads`, run forward from its
/// stored state in batches over the worker threads, each lead and run on its own random stream.
///
/// The leads are read as they are run, a batch at a time, so memory holds one batch of leads and
/// the counts, whatever the number of leads.
public enum Forecast {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Leads per worker in one batch.
    static let leadsPerWorker = 2048

    /// Runs the forecast. `leads` calls the function it is given once per lead (the command hands
    /// it the store's leads one page at a time).
    public static func run(
        _ setup: ForecastSetup, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        leads: (_ each: (ForecastLead) throws -> Void) throws -> Void
    ) throws -> ForecastCounts {
        guard setup.days > 0, ForecastSetup.runsRange.contains(setup.runs) else {
            throw Failure(description: "days must be positive and runs from \(ForecastSetup.runsRange.lowerBound) to \(ForecastSetup.runsRange.upperBound)")
        }
        let model = ForecastModel(setup)
        let workers = max(1, threads)
        var total = ForecastCounts(runs: setup.runs, days: setup.days)
        var batch: [ForecastLead] = []
        batch.reserveCapacity(workers * leadsPerWorker)
        try leads { lead in
            batch.append(lead)
            if batch.count == workers * leadsPerWorker {
                total.merge(run(batch, model: model, workers: workers))
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { total.merge(run(batch, model: model, workers: workers)) }
        return total
    }

    /// One batch, in a slice per worker; the parts are summed, so their order does not matter.
    private static func run(_ batch: [ForecastLead], model: ForecastModel, workers: Int) -> ForecastCounts {
        let parts = Mutex<[ForecastCounts]>([])
        let slice = (batch.count + workers - 1) / workers
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var runner = ForecastRun(model: model)
            var counts = ForecastCounts(runs: model.setup.runs, days: model.setup.days)
            let range = min(batch.count, worker * slice)..<min(batch.count, (worker + 1) * slice)
            for index in range { runner.run(batch[index], into: &counts) }
            parts.withLock { $0.append(counts) }
        }
        var total = ForecastCounts(runs: model.setup.runs, days: model.setup.days)
        for part in parts.withLock({ $0 }) { total.merge(part) }
        return total
    }
}
