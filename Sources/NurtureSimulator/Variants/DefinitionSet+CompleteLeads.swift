import NurtureCore

extension DefinitionSet {
    /// The same definitions without the lead-field requirement on enrollment. Dry-runs and
    /// backtests render no email, and their leads are stand-ins that carry only what scoring and
    /// conditions read, so they are taken to have every field the emails would use.
    public var assumingCompleteLeads: DefinitionSet {
        var copy = self
        for id in copy.sequences.keys {
            copy.sequences[id]?.requiredFields = []
            copy.sequences[id]?.requiredRepFields = []
        }
        return copy
    }
}
