import Foundation
import NurturePersonas

/// A population written as a persona file that `nurture validate` and `simulate --personas` read:
/// the format of `examples/personas/b2b-saas.yml`. Strings are double-quoted and escaped, so a
/// name from the starting file cannot break the YAML.
public enum PersonaFile {
    /// With `reps`, the file ends with the `reps:` section fitted from the outcomes.
    public static func yaml(_ population: Population, header: [String], reps: RepFit? = nil) -> String {
        var lines = header.map { "# \($0)" }
        lines.append("version: \(population.version)")
        lines.append("")
        lines.append("time_zones:")
        lines += mixLines(population.timeZones, indent: "  ")
        lines.append("")
        lines.append("personas:")
        for persona in population.personas {
            lines.append("  - id: \(quoted(persona.id))")
            lines.append("    name: \(quoted(persona.name))")
            lines.append("    share: \(number(persona.share))")
            lines.append("    high_intent: \(persona.highIntent)")
            for (key, value) in [
                ("open", persona.open), ("click", persona.click), ("reply", persona.reply), ("unsubscribe", persona.unsubscribe),
                ("bounce", persona.bounce), ("machine_open", persona.machineOpen),
            ] {
                lines.append("    \(key): \(number(value))")
            }
            lines.append("    open_delay: \(delay(persona.openDelay))")
            lines.append("    click_delay: \(delay(persona.clickDelay))")
            lines.append("    fatigue: \(number(persona.fatigue))")
            if let clicks = persona.clickCategories { lines.append("    clicks: \(flowMix(clicks))") }
            if let pages = persona.visitPages {
                lines.append("    visits: {per_day: \(number(persona.visitsPerDay)), pages: \(flowMix(pages))}")
            }
            if !persona.attributes.isEmpty {
                lines.append("    fit:")
                for (name, mix) in persona.attributes { lines.append("      \(quoted(name)): \(flowMix(mix))") }
            }
            if let zones = persona.timeZones {
                lines.append("    time_zones:")
                lines += mixLines(zones, indent: "      ")
            }
            lines.append("")
        }
        if let reps, !reps.isEmpty {
            lines += reps.yamlLines
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// Four decimals, trailing zeros dropped: enough for shares that must add up to 1 within 0.001.
    static func number(_ value: Double) -> String {
        var text = String(format: "%.4f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.append("0") }
        return text
    }

    /// A delay in whole minutes (the smallest unit a persona file takes), at least one.
    static func delay(_ delay: LogNormalDelay) -> String {
        let minutes = max(1, Int((delay.medianSeconds / 60).rounded()))
        let median = minutes % 1440 == 0 ? "\(minutes / 1440)d" : minutes % 60 == 0 ? "\(minutes / 60)h" : "\(minutes)m"
        return "{median: \(median), spread: \(number(delay.spread))}"
    }

    static func flowMix(_ mix: Mix<String>) -> String {
        "{" + zip(mix.values, mix.shares).map { "\(quoted($0)): \(number($1))" }.joined(separator: ", ") + "}"
    }

    static func mixLines(_ mix: Mix<String>, indent: String) -> [String] {
        zip(mix.values, mix.shares).map { "\(indent)\(quoted($0)): \(number($1))" }
    }

    /// A YAML double-quoted string.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: result += String(format: "\\u%04X", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
