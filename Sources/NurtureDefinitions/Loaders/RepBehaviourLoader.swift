import Foundation
import NurtureCore
import NurturePersonas
import Yams

/// The `reps:` section of a persona file -> ``RepBehaviour``: how the sales team answers
/// hand-offs in the dry-run. Every value is checked here, with its position in the file.
enum RepBehaviourLoader {
    static let keys = ["acceptance", "time_to_answer", "time_to_first_touch", "rejection_reasons"]
    /// The key in `acceptance` for grades it does not list.
    static let defaultGrade = "default"

    static func parse(_ node: Node, reader: inout NodeReader) -> RepBehaviour? {
        guard let fields = reader.mapping(node, "reps", keys: keys) else { return nil }
        let acceptance = reader.required(fields, "acceptance").flatMap { self.acceptance($0, reader: &reader) }
        let answer = reader.required(fields, "time_to_answer").flatMap { delay($0, "time_to_answer", reader: &reader) }
        let touch = reader.required(fields, "time_to_first_touch").flatMap { delay($0, "time_to_first_touch", reader: &reader) }
        let reasons = reader.required(fields, "rejection_reasons").flatMap { self.reasons($0, reader: &reader) }
        guard let acceptance, let answer, let touch, let reasons else { return nil }
        return RepBehaviour(
            acceptance: acceptance.byGrade, defaultAcceptance: acceptance.default, timeToAnswer: answer,
            timeToFirstTouch: touch, rejectionReasons: reasons)
    }

    /// `{A: 0.95, B: 0.85, default: 0.7}`: a probability per grade, and optionally for the rest.
    static func acceptance(_ node: Node, reader: inout NodeReader) -> (byGrade: [String: Double], default: Double?)? {
        guard case let .mapping(mapping) = node, !mapping.isEmpty else {
            reader.error("expected acceptance as a mapping of fit grade to probability, e.g. {A: 0.95, B: 0.85, default: 0.7}", at: node)
            return nil
        }
        var byGrade: [String: Double] = [:]
        var fallback: Double?
        var valid = true
        for (key, value) in mapping {
            guard let grade = reader.identifier(key, "a fit grade") else {
                valid = false
                continue
            }
            guard let probability = reader.number(value, "an acceptance probability") else {
                valid = false
                continue
            }
            guard (0...1).contains(probability) else {
                reader.error("the acceptance of grade \(grade) is a probability and must be between 0 and 1, found \(Condition.number(probability))", at: value)
                valid = false
                continue
            }
            if grade == defaultGrade { fallback = probability } else { byGrade[grade] = probability }
        }
        return valid ? (byGrade, fallback) : nil
    }

    /// A lognormal delay in business hours, its median at most ``RepBehaviour/longestMedianSeconds``.
    static func delay(_ node: Node, _ what: String, reader: inout NodeReader) -> LogNormalDelay? {
        guard let delay = PersonaLoader.delay(node, what, reader: &reader) else { return nil }
        guard delay.medianSeconds <= RepBehaviour.longestMedianSeconds else {
            let hours = Int(RepBehaviour.longestMedianSeconds / 3600)
            reader.error("the median of \(what) counts business hours and must be at most \(hours)h, found \(Int(delay.medianSeconds / 3600))h", at: node)
            return nil
        }
        return delay
    }

    /// `{not-ready: 0.5, bad-fit: 0.3}`: reason words as `reject(reason)` takes them, with positive
    /// shares (normalised, so shares rounded when written still make a mix).
    static func reasons(_ node: Node, reader: inout NodeReader) -> Mix<String>? {
        guard case let .mapping(mapping) = node, !mapping.isEmpty else {
            reader.error("expected rejection_reasons as a mapping of reason to share, e.g. {not-ready: 0.6, bad-fit: 0.4}", at: node)
            return nil
        }
        var weighted: [(String, Double)] = []
        for (key, value) in mapping {
            guard let reason = reader.string(key, "a rejection reason") else { continue }
            guard RepAction(parsing: reason) != nil, !reason.contains("(") else {
                reader.error("'\(reason)' is not a rejection reason; reasons are words such as not-ready or bad-fit", at: key)
                continue
            }
            guard let share = reader.number(value, "a share") else { continue }
            guard share > 0, share <= 1 else {
                reader.error("the share of rejection reason \(reason) must be above 0 and at most 1, found \(Condition.number(share))", at: value)
                continue
            }
            weighted.append((reason, share))
        }
        guard weighted.count == mapping.count else { return nil }
        return Mix(weighted)
    }
}
