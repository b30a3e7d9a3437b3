import NurtureBasics

/// The page every HTML report is laid out in: one self-contained HTML5 file (inline style, inline
/// SVG charts, no scripts or external resources) that a marketer can open in a browser and forward
/// as an attachment. The markup is also well-formed XML.
enum HTMLPage {
    /// The whole page around `sections`, with `title` as the window's title; `footer` is markup.
    static func render(title: String, sections: [String], footer: String) -> String {
        var out = ["<!DOCTYPE html>", "<html lang=\"en\">", "<head>", "<meta charset=\"utf-8\"/>",
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>",
                   "<meta name=\"generator\" content=\"nurture\"/>",
                   "<title>\(HTMLEscaping.pageText(title))</title>", "<style>\(style)</style>", "</head>", "<body>", "<main>"]
        out += sections
        out += ["<footer><p>\(footer)</p></footer>", "</main>", "</body>", "</html>"]
        return out.joined(separator: "\n") + "\n"
    }

    /// The page's header: what kind of page it is, its heading, and the run's setup as terms and values.
    static func header(kicker: String, heading: String, setup: [(term: String, value: String)]) -> [String] {
        ["<header>", "<p class=\"kicker\">\(HTMLEscaping.pageText(kicker))</p>", "<h1>\(HTMLEscaping.pageText(heading))</h1>", "<dl class=\"setup\">"]
            + setup.map { "<div><dt>\(HTMLEscaping.pageText($0.term))</dt><dd>\(HTMLEscaping.pageText($0.value))</dd></div>" }
            + ["</dl>", "</header>"]
    }

    /// The summary section: `sentences` (markup) as one paragraph.
    static func summary(_ sentences: [String]) -> [String] {
        ["<section id=\"summary\">", "<h2>Summary</h2>", "<p class=\"summary\">\(sentences.joined(separator: " "))</p>", "</section>"]
    }

    /// A sales team as the pages describe it: "4 reps × 15 per business day".
    static func salesTeam(reps: Int, perRep: Int) -> String {
        "\(Figures.count(reps)) reps \u{00D7} \(Figures.count(perRep)) per business day"
    }

    static let style = """

    :root { color-scheme: light; --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --bar: #2563eb; --goal: #059669; --loss: #d97706; --over: #dc2626; }
    * { box-sizing: border-box; }
    body { margin: 0; background: #f3f4f6; color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    main { max-width: 960px; margin: 0 auto; padding: 28px 32px 40px; background: #ffffff; }
    header { border-bottom: 1px solid var(--line); padding-bottom: 14px; margin-bottom: 8px; }
    .kicker { margin: 0; color: var(--muted); font-size: 13px; text-transform: uppercase; letter-spacing: 0.06em; }
    h1 { margin: 2px 0 10px; font-size: 28px; line-height: 1.2; word-break: break-word; }
    h2 { margin: 28px 0 6px; font-size: 19px; }
    dl.setup { display: flex; flex-wrap: wrap; gap: 6px 28px; margin: 0; }
    dl.setup div { display: flex; gap: 6px; }
    dl.setup dt { color: var(--muted); }
    dl.setup dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }
    p.summary { font-size: 16px; margin: 4px 0; max-width: 820px; }
    p.note { color: var(--muted); margin: 0 0 10px; font-size: 14px; }
    strong.alert { color: var(--over); }
    p.note code { white-space: nowrap; }
    code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
    .chart-wrap { overflow-x: auto; }
    svg.chart { display: block; width: 100%; min-width: 600px; height: auto; font-size: 12px; font-family: inherit; }
    svg .grid { stroke: var(--line); stroke-width: 1; }
    svg .axis { stroke: #9ca3af; stroke-width: 1; }
    svg .tick-mark { stroke: #9ca3af; stroke-width: 1; }
    svg .separator { stroke: #d1d5db; stroke-dasharray: 4 4; }
    svg text { fill: var(--ink); }
    svg .tick { fill: #4b5563; font-size: 12px; font-variant-numeric: tabular-nums; }
    svg .axis-label { fill: #374151; font-size: 13px; font-weight: 600; }
    svg .col-label { fill: var(--muted); font-size: 11px; }
    svg .cat { font-size: 13px; }
    svg .value { font-size: 13px; font-variant-numeric: tabular-nums; }
    svg .strong { font-weight: 700; }
    svg .muted { fill: var(--muted); }
    svg .bar { fill: var(--bar); }
    svg .bar.goal { fill: var(--goal); }
    svg .bar.loss { fill: var(--loss); }
    svg .bar.over { fill: var(--over); }
    svg .over-band { fill: #fee2e2; }
    svg .whisker { stroke: #111827; stroke-width: 1.5; fill: none; }
    svg .capacity { stroke: #111827; stroke-width: 2; fill: none; }
    svg .quality { stroke: var(--goal); stroke-width: 2.5; fill: none; }
    svg .difference { fill: #9ca3af; stroke: #9ca3af; }
    svg .difference.clear { fill: var(--bar); stroke: var(--bar); }
    svg path.difference { fill: none; }
    svg .recorded { fill: #ffffff; stroke: var(--ink); stroke-width: 2; }
    svg .would { fill: var(--bar); }
    svg .shift { stroke: #9ca3af; stroke-width: 2; }
    svg .quality-point { fill: var(--goal); stroke: #ffffff; stroke-width: 1.5; }
    svg .marker { stroke: #111827; stroke-width: 1.5; stroke-dasharray: 5 4; }
    svg .marker-label { font-size: 12px; font-weight: 600; }
    svg .empty { fill: var(--muted); font-size: 14px; }
    svg .legend text { font-size: 12px; }
    .table-wrap { overflow-x: auto; }
    table { border-collapse: collapse; width: 100%; font-size: 14px; }
    table.narrow { width: auto; min-width: 320px; }
    th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: baseline; }
    thead th { color: var(--muted); font-weight: 600; font-size: 13px; border-bottom: 2px solid #d1d5db; white-space: nowrap; }
    tbody th { font-weight: 500; }
    tfoot th, tfoot td { font-weight: 700; border-bottom: none; }
    td code, th code { white-space: nowrap; }
    .nowrap { white-space: nowrap; }
    .reason { color: var(--muted); font-size: 13px; }
    .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    code.muted { color: var(--muted); font-size: 12px; white-space: nowrap; }
    .badge { display: inline-block; padding: 0 8px; border-radius: 9px; background: #d1fae5; color: #065f46; font-size: 12px; font-weight: 600; white-space: nowrap; }
    footer { margin-top: 32px; padding-top: 10px; border-top: 1px solid var(--line); color: var(--muted); font-size: 13px; }
    @media print { body { background: #ffffff; } main { padding: 0; } section { break-inside: avoid; } }

    """
}
