/// The definition set's sequences other than the simulated one, which a lifecycle move can enroll
/// a prospect in: each one's index in `SimulationStats.sequences`, and its steps numbered on from
/// the simulated sequence's, so that an event on one of their emails can name it. A class, so
/// that a run holds one reference for both tables.
final class OtherSequences {
    /// Steps by number, from `firstNumber`.
    let steps: [(sequence: String, step: String)]
    let byName: [String: (index: Int, firstStep: Int)]
    /// The number of the first of `steps`: the simulated sequence's step count.
    let firstNumber: Int

    /// `sequences` gives each sequence's step ids, by sequence id.
    init(_ sequences: [String: [String]], simulated: String, simulatedSteps: Int) {
        var steps: [(sequence: String, step: String)] = []
        var byName: [String: (index: Int, firstStep: Int)] = [:]
        for (name, stepIDs) in sequences.sorted(by: { $0.key < $1.key }) where name != simulated {
            byName[name] = (byName.count + 1, simulatedSteps + steps.count)
            steps += stepIDs.map { (name, $0) }
        }
        self.steps = steps
        self.byName = byName
        firstNumber = simulatedSteps
    }

    /// The sequence and step id of step `number` (at least `firstNumber`).
    func step(_ number: Int) -> (sequence: String, step: String) { steps[number - firstNumber] }
}
