import Foundation

/// Debian's Chromium, headless: opens a page the product wrote, at a given window width, and
/// reports how a real browser laid it out.
///
/// A script is appended to a copy of the page; it measures the laid-out page and writes what it
/// found into the page, which `--dump-dom` prints. The report itself carries no script.
public enum HeadlessBrowser {
    static let chromium = "/usr/bin/chromium"

    /// Whether tests needing the browser should run: always under CI (and then fail if it is
    /// missing), otherwise only when it is installed.
    public static var runTests: Bool { TestServers.isCI || FileManager.default.isExecutableFile(atPath: chromium) }

    /// What the browser laid out.
    public struct Layout: Decodable, Sendable {
        public var viewport: Double
        /// The page's full width: more than the viewport means the reader scrolls the whole page sideways.
        public var pageWidth: Double
        public var charts: [Chart]
        /// The page's text as a reader sees it.
        public var text: String
        /// Scripts in the page, the measuring one included.
        public var scripts: Int

        public struct Chart: Decodable, Sendable {
            public var id: String
            public var width: Double
            public var height: Double
            /// Whether the chart is wider than its box, which then scrolls sideways.
            public var scrolls: Bool
            /// Text drawn partly or wholly outside the chart, where the reader cannot see it.
            public var textOutside: [String]
            /// Pairs of text elements that overlap.
            public var overlappingText: [[String]]
        }
    }

    /// Lays out `html` in a window `width` pixels wide (Chromium's headless window is at least 500).
    public static func layout(of html: String, width: Int) throws -> Layout {
        guard FileManager.default.isExecutableFile(atPath: chromium) else {
            throw SetupFailure("\(chromium) is missing; run scripts/install-system-packages")
        }
        guard let bodyEnd = html.range(of: "</body>", options: .backwards) else {
            throw SetupFailure("the page has no </body>")
        }
        let scratch = try TemporaryFolder.make("nurture-browser")
        defer { TemporaryFolder.remove(scratch) }
        let page = scratch.appendingPathComponent("page.html")
        try html.replacingCharacters(in: bodyEnd, with: "<script>\(probe)</script></body>")
            .write(to: page, atomically: true, encoding: .utf8)
        let run = try ToolRun.run("/usr/bin/timeout", [
            "60", chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--user-data-dir=\(scratch.appendingPathComponent("profile").path)",
            "--window-size=\(width),900", "--dump-dom", page.absoluteString,
        ])
        guard run.status == 0,
              let start = run.stdout.range(of: "<pre id=\"probe\">"),
              let end = run.stdout.range(of: "</pre>", range: start.upperBound..<run.stdout.endIndex),
              let json = String(run.stdout[start.upperBound..<end.lowerBound]).removingPercentEncoding
        else {
            throw SetupFailure("chromium exited with status \(run.status) and no layout: \(run.stderr.suffix(2000))")
        }
        return try JSONDecoder().decode(Layout.self, from: Data(json.utf8))
    }

    /// Measures every chart (an `svg.chart`) against its own box, and the page against the window.
    /// The result is percent-encoded so that no character of it needs escaping in the dumped DOM.
    static let probe = """
    (() => {
      const slack = 1;
      const inside = (r, box) => r.left >= box.left - slack && r.right <= box.right + slack
        && r.top >= box.top - slack && r.bottom <= box.bottom + slack;
      const overlap = (a, b) => a.left < b.right - slack && b.left < a.right - slack
        && a.top < b.bottom - slack && b.top < a.bottom - slack;
      const charts = [...document.querySelectorAll("svg.chart")].map((svg) => {
        const box = svg.getBoundingClientRect();
        const texts = [...svg.querySelectorAll("text")].map((t) => [t.textContent, t.getBoundingClientRect()]);
        const overlappingText = [];
        texts.forEach(([a, ra], i) => texts.slice(i + 1).forEach(([b, rb]) => {
          if (overlap(ra, rb)) overlappingText.push([a, b]);
        }));
        return {
          id: svg.id || svg.querySelector("title").id,
          width: box.width, height: box.height,
          scrolls: svg.parentElement.scrollWidth > svg.parentElement.clientWidth,
          textOutside: texts.filter(([, r]) => !inside(r, box)).map(([t]) => t),
          overlappingText,
        };
      });
      const result = {
        viewport: window.innerWidth, pageWidth: document.documentElement.scrollWidth, charts,
        text: document.body.innerText, scripts: document.scripts.length,
      };
      const out = document.createElement("pre");
      out.id = "probe";
      out.textContent = encodeURIComponent(JSON.stringify(result));
      document.body.appendChild(out);
    })();
    """
}
