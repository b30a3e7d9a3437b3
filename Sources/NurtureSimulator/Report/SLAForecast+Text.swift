import Foundation
import NurtureBasics

extension SLAForecast {
    /// The forecast for a terminal, as lines that follow the rest of the dry-run's text report.
    var textLines: [String] {
        func share(_ proportion: Proportion) -> String {
            proportion.total == 0 ? "none due"
                : "\(Figures.percent(proportion.rate)) of \(Figures.count(proportion.total)) (\(Figures.percent(proportion.low)) - \(Figures.percent(proportion.high)))"
        }
        func times(_ median: Double?, _ p90: Double?) -> String {
            guard let median, let p90 else { return "none within the run" }
            return "median \(Figures.duration(median)), 90% within \(Figures.duration(p90))"
        }
        var out: [String] = []
        out.append("SLA forecast, from the reps: section of the persona file")
        let goal = marketing.goal.map { goal in
            " against a goal of \(Figures.count(goal)) (\(marketing.goalAgreed ?? "")), \(Figures.percent(Double(marketing.delivered) / Double(max(1, goal)))) of it"
        } ?? " (lifecycle.yml sets no volume goal)"
        out.append("  Marketing: \(Figures.count(marketing.delivered, "hand-off")) delivered\(goal); accepted \(share(marketing.acceptedShare))")
        out.append("  Reps: \(Figures.count(reps.accepted)) accepted, \(Figures.count(reps.rejected)) rejected, \(Figures.count(reps.expired)) expired, \(Figures.count(reps.open)) open at the end"
                   + (reps.requeued > 0 ? "; \(Figures.count(reps.requeued)) requeued on expiry" : ""))
        out.append("  Time to answer: \(times(reps.hoursToAnswerMedian, reps.hoursToAnswerP90)); to first touch: \(times(reps.hoursToTouchMedian, reps.hoursToTouchP90))")
        for promise in promises {
            out.append("  " + Figures.pad(promise.promise, 22) + Figures.pad(promise.stage, 8) + Figures.pad("within \(promise.within)", 28) + "kept " + share(promise.kept))
        }
        out.append("  Expired hand-offs: \(onExpiry)")
        out.append("  " + Figures.pad("grade", 8) + Figures.pad("hand-offs", 11, right: true) + Figures.pad("accepted", 10, right: true)
                   + Figures.pad("rejected", 10, right: true) + "   acceptance")
        for grade in byGrade {
            out.append("  " + Figures.pad(grade.grade, 8) + Figures.pad(Figures.count(grade.handOffs), 11, right: true)
                       + Figures.pad(Figures.count(grade.accepted), 10, right: true) + Figures.pad(Figures.count(grade.rejected), 10, right: true)
                       + "   " + (grade.acceptanceRate.total == 0 ? "-" : Figures.percent(grade.acceptanceRate.rate)))
        }
        if reps.rejected > 0 {
            out.append("  Rejected for: " + rejectionReasons.map { "\($0.reason) \(Figures.percent($0.share.rate)) (\(Figures.count($0.share.count)))" }.joined(separator: ", "))
        }
        out.append("  Recycled: \(Figures.count(recycled.leads, "lead")) back to marketing, \(Figures.count(recycled.reenrolled)) of them enrolled in a sequence, "
                   + "\(Figures.count(recycled.handedOffAgain.count)) handed off again within the run; \(Figures.count(recycled.emails, "email")) from those sequences")
        return out
    }
}
