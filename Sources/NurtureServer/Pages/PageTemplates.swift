import Mustache

/// The signed-in pages' Mustache templates, kept as constants so that the binary carries them
/// (no resource bundle to find at run time). `{{name}}` escapes HTML; `{{{content}}}` is only
/// ever a page body these templates rendered.
enum PageTemplates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in [("layout", layout), ("signin", signIn), ("rep", rep), ("handoff", handOff), ("sla", sla)] {
            // The templates are constants of this file; the page tests render every one of them.
            do { try library.register(text, named: name) } catch { fatalError("template \(name): \(error)") }
        }
        return library
    }()

    static func render(_ name: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: name) ?? ""
    }

    static let layout = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex"><title>{{title}}</title>
        <style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto 4rem;padding:0 1rem;color:#1d2330}
        header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;border-bottom:1px solid #dde2ea;padding-bottom:.75rem;font-size:.9rem}
        header .who{margin-right:auto;color:#5a6272}a{color:#1d4ed8}h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
        button{font:inherit;padding:.45rem 1rem;border-radius:.4rem;border:1px solid #1d2330;background:#1d2330;color:#fff;cursor:pointer}
        button.quiet{background:#fff;color:#1d2330}select,input,textarea{font:inherit;padding:.35rem;max-width:100%}
        form.inline{display:inline-block;margin:.25rem .5rem .25rem 0}label{display:block;margin:.5rem 0}
        .handoff{border:1px solid #dde2ea;border-radius:.5rem;padding:.25rem 1rem .75rem;margin:1rem 0}
        .summary{white-space:pre-wrap;font-size:.85rem;background:#f3f5f9;padding:.5rem;border-radius:.3rem}
        table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{padding:.35rem .5rem;border-bottom:1px solid #dde2ea;text-align:left}
        td{overflow-wrap:anywhere}th{background:#f3f5f9}.bad{color:#b3261e;font-weight:600}.cards{display:flex;gap:1rem;flex-wrap:wrap}
        .card{border:1px solid #dde2ea;border-radius:.5rem;padding:.5rem 1rem;min-width:7rem}.card b{display:block;font-size:1.4rem}</style>
        </head><body>
        {{#header}}<header><span class="who">Signed in as {{email}}</span>
        {{^operator}}<a href="/rep">Hand-offs and requests</a><a href="/rep/sla">My service levels</a>{{/operator}}
        {{#operator}}<a href="/team">Team service levels</a>{{/operator}}
        <form method="post" action="/signout" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button class="quiet">Sign out</button></form>
        </header>{{/header}}
        {{{content}}}
        </body></html>

        """

    static let signIn = """
        <h1>Sign in to Nurture</h1>
        <p>You are signing in as <b>{{email}}</b>. The link works once; after that, ask for a new one.</p>
        <form method="post"><button type="submit">Sign in</button></form>
        """

    static let handOff = """
        <article class="handoff" id="handoff-{{id}}">
        <h3><a href="/rep/handoffs/{{id}}">#{{id}} {{lead}}</a></h3>
        <p>{{reason}}. Score {{score}}, grade {{grade}}. {{dueLabel}}: <b{{#overdue}} class="bad"{{/overdue}}>{{due}}</b>{{#answer}} Answer: {{answer}}.{{/answer}}</p>
        <div class="summary">{{summary}}</div>
        {{#isOpen}}
        <form method="post" action="/rep/handoffs/{{id}}/accept" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button>Accept</button></form>
        <form method="post" action="/rep/handoffs/{{id}}/reject" class="inline"><input type="hidden" name="csrf" value="{{csrf}}">
        <select name="reason" aria-label="Reason for hand-off #{{id}}">{{#reasons}}<option value="{{.}}">{{.}}</option>{{/reasons}}</select>
        <button class="quiet">Reject</button></form>
        {{/isOpen}}
        {{#canTouch}}
        <form method="post" action="/rep/handoffs/{{id}}/touch" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button>Record first touch</button></form>
        {{/canTouch}}
        </article>
        """

    static let rep = """
        <h1>Your hand-offs</h1>
        <h2>Waiting for your answer</h2>
        {{#open}}{{> handoff}}{{/open}}{{^open}}<p>Nothing is waiting for your answer.</p>{{/open}}
        <h2>Accepted, first touch not yet recorded</h2>
        {{#accepted}}{{> handoff}}{{/accepted}}{{^accepted}}<p>None.</p>{{/accepted}}
        <h2>Ask for a nurture</h2>
        <p>For one of your leads who is not ready yet: it is nurtured in your name and comes back to you when the score says so.</p>
        <form method="post" action="/rep/requests"><input type="hidden" name="csrf" value="{{csrf}}">
        <label>Lead (email or id) <input name="lead" required maxlength="320"></label>
        <label>Sequence <select name="sequence">{{#sequences}}<option value="{{id}}">{{name}}</option>{{/sequences}}</select></label>
        <label>Note <textarea name="note" rows="3" cols="50" maxlength="2000"></textarea></label>
        <button>Request the nurture</button></form>
        <h2>Your requests</h2>
        {{#hasRequests}}<table><thead><tr><th>Request</th><th>Lead</th><th>Sequence</th><th>Asked</th><th>What came of it</th></tr></thead><tbody>
        {{#requests}}<tr><td>#{{id}}</td><td>{{lead}}</td><td>{{sequence}}</td><td>{{asked}}</td><td>{{outcome}}</td></tr>{{/requests}}
        </tbody></table>{{/hasRequests}}{{^hasRequests}}<p>You have not asked for a nurture yet.</p>{{/hasRequests}}
        """

    static let sla = """
        <h1>Your service levels this week</h1>
        <p>The hand-off ledger from {{since}} to {{until}} (lifecycle version {{version}}).</p>
        {{#row}}<div class="cards">
        <div class="card"><b>{{handOffs}}</b>hand-offs</div><div class="card"><b>{{accepted}}</b>accepted</div>
        <div class="card"><b>{{rejected}}</b>rejected</div><div class="card"><b{{#expiredAny}} class="bad"{{/expiredAny}}>{{expired}}</b>expired</div>
        <div class="card"><b>{{open}}</b>open</div><div class="card"><b>{{answeredInTime}}</b>answered in time</div>
        <div class="card"><b>{{touchedInTime}}</b>touched in time</div></div>{{/row}}
        {{^row}}<p>No hand-offs in the period.</p>{{/row}}
        <h2>Hand-offs in the period</h2>
        {{#hasHandOffs}}<table><thead><tr><th>Hand-off</th><th>Lead</th><th>Received</th><th>Status</th><th>Answer</th></tr></thead><tbody>
        {{#handOffs}}<tr><td>#{{id}}</td><td>{{lead}}</td><td>{{at}}</td><td>{{status}}</td><td>{{answer}}</td></tr>{{/handOffs}}
        </tbody></table>{{/hasHandOffs}}{{^hasHandOffs}}<p>None.</p>{{/hasHandOffs}}
        <h2>Broken promises</h2>
        {{#hasBreaches}}<table><thead><tr><th>Hand-off</th><th>Lead</th><th>Promise</th><th>Due</th><th>Kept</th></tr></thead><tbody>
        {{#breaches}}<tr><td>#{{id}}</td><td>{{lead}}</td><td>{{promise}}</td><td>{{due}}</td><td class="bad">{{kept}}</td></tr>{{/breaches}}
        </tbody></table>{{/hasBreaches}}{{^hasBreaches}}<p>None: every promise was kept.</p>{{/hasBreaches}}
        <h2>Your requests</h2>
        {{#requests}}<p>{{requested}} requested: {{open}} open, {{used}} used, {{late}} late, {{unused}} unused, {{abandoned}} abandoned.</p>{{/requests}}
        {{^requests}}<p>No requests in the period.</p>{{/requests}}
        """
}
