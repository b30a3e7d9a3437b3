import NurtureCore

extension ForecastCounts {
    /// The counts as production's routing would leave them: in each run, day by day, the
    /// hand-offs counted against the queue (or no one, or an owner away that day) are routed one by
    /// one by `HandOffRouting.route`, from the counts the present owners' own hand-offs already put
    /// on each rep that day, with the rotation cursor carried from one day to the next and every
    /// run starting from `cursor`.
    ///
    /// A run's hand-offs are counted, not timed, so the order they are routed in within a day is
    /// fixed instead: by the engine's rep, in order of address. Rejections are not forecast, so no
    /// rep is excluded for having rejected a lead. `startDay` is the forecast's first day on the
    /// business-hours clock (days since 1970).
    func routed(by rules: HandOffRouting.Rules, cursor: String?, startDay: Int64) -> ForecastCounts {
        var result = ForecastCounts(runs: runs, days: days)
        result.leads = leads
        result.forecastLeads = forecastLeads
        let reps = handOffs.keys.sorted()
        let queue = rules.defaultOwner.email.lowercased()
        for run in 0..<runs {
            var cursor = cursor
            for day in 0..<days {
                let date = CalendarDay(number: startDay + Int64(day))
                var assigned: [String: Int] = [:]
                var toRoute: [(rep: String, count: Int)] = []
                for rep in reps {
                    let count = handOffs[rep]![run * days + day]
                    guard count > 0 else { continue }
                    let address = rep.lowercased()
                    let ownerAway = rules.teams.lazy.compactMap { $0.member(rep) }.first?.isAway(on: date) ?? false
                    if rep == ForecastRouting.noRep || address == queue || ownerAway {
                        toRoute.append((rep, count))
                    } else {
                        result.addHandOffs(rep: rep, run: run, day: day, count: count)
                        assigned[address, default: 0] += count
                    }
                }
                for (rep, count) in toRoute {
                    let named = rep == ForecastRouting.noRep ? nil : Rep(name: rep, email: rep)
                    for _ in 0..<count {
                        let decision = HandOffRouting.route(
                            .init(rep: named, day: date, assigned: assigned, rejectedBy: [], cursor: cursor), rules: rules)
                        let address = decision.rep.email.lowercased()
                        result.addHandOffs(rep: decision.rep.email, run: run, day: day, count: 1)
                        assigned[address, default: 0] += 1
                        if decision.movesCursor { cursor = address }
                    }
                }
            }
        }
        return result
    }
}
