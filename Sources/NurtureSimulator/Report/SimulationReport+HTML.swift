extension SimulationReport { public var html: String { "" } }
