import Foundation
import NurtureCore
import NurturePersonas

/// A persona as a run reads it for every prospect and every email, held by reference: copying a
/// `Persona` (its strings and mixes) at each use was a measurable share of a prospect's run.
///
/// Each worker makes its own, with mixes in arrays of their own (`Mix.withOwnStorage()`): reading
/// a mix shared with the other workers retained its arrays, and their cores then fought over
/// the same reference counts.
final class PersonaBehaviour: Sendable {
    let persona: Persona
    /// The time zones its prospects are drawn from: its own mix, else the population's.
    let timeZones: Mix<String>
    let clickCategories: Mix<String>?
    let visitPages: Mix<String>?
    /// The persona's attribute mixes, in its order, read in place for each prospect.
    private let attributeMixes: [Mix<String>]
    /// `fatigue` raised to each streak of unopened emails a prospect is likely to reach, worked out
    /// once instead of a `pow` per email.
    private let fatiguePowers: [Double]

    init(_ persona: Persona, population: Population) {
        self.persona = persona
        timeZones = (persona.timeZones ?? population.timeZones).withOwnStorage()
        clickCategories = persona.clickCategories?.withOwnStorage()
        visitPages = persona.visitPages?.withOwnStorage()
        attributeMixes = persona.attributes.map { $0.mix.withOwnStorage() }
        fatiguePowers = (0..<64).map { pow(persona.fatigue, Double($0)) }
    }

    /// The chance of a human open after `streak` consecutive unopened emails: exactly
    /// `open * pow(fatigue, streak)`.
    func openChance(afterUnopened streak: Int) -> Double {
        let factor = streak < fatiguePowers.count ? fatiguePowers[streak] : pow(persona.fatigue, Double(streak))
        return persona.open * factor
    }

    /// Draws a prospect's attribute values, as indices in their mixes, in the persona's order.
    func drawAttributes(_ random: inout ProspectRandom, into values: inout [Int]) {
        for index in attributeMixes.indices { values.append(attributeMixes[index].index(for: random.uniform())) }
    }
}
