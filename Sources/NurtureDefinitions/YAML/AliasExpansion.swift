import CYaml

/// How many nodes a YAML text stands for once its aliases are expanded, counted on libyaml's
/// events before the text is composed: ten anchors that each alias the one before ten times stand
/// for ten billion nodes, and composing or walking them would run for hours.
enum AliasExpansion {
    /// The most nodes a definitions, lead or persona file may expand to; real ones have thousands.
    static let maxNodes = 100_000

    /// Where (1-based line and column) the alias is that takes the text past ``maxNodes``; nil
    /// when the text stays within it, or has a syntax error (which composing reports).
    static func excess(in text: String) -> (line: Int, column: Int)? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            // Each anchor's expanded size, and the sizes of the collections still open.
            var sizes: [String: Int] = [:]
            var open: [(anchor: String?, nodes: Int)] = [(nil, 0)]
            var total = 0
            func add(_ nodes: Int) {
                total += nodes
                open[open.count - 1].nodes += nodes
            }
            func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
                pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
            }
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_SCALAR_EVENT:
                    add(1)
                    if let anchor = name(event.data.scalar.anchor) { sizes[anchor] = 1 }
                case YAML_ALIAS_EVENT:
                    add(name(event.data.alias.anchor).flatMap { sizes[$0] } ?? 1)
                    if total > maxNodes {
                        return (Int(event.start_mark.line) + 1, Int(event.start_mark.column) + 1)
                    }
                case YAML_SEQUENCE_START_EVENT:
                    open.append((name(event.data.sequence_start.anchor), 0))
                    add(1)
                case YAML_MAPPING_START_EVENT:
                    open.append((name(event.data.mapping_start.anchor), 0))
                    add(1)
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard open.count > 1 else { return nil }
                    let closed = open.removeLast()
                    if let anchor = closed.anchor { sizes[anchor] = closed.nodes }
                    open[open.count - 1].nodes += closed.nodes
                default:
                    break
                }
            }
        }
    }
}
