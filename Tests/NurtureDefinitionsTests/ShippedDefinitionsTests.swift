import Foundation
import NurtureCore
import NurtureDefinitions
import NurtureTestSupport
import Testing

/// The definitions in `sequences/` are what runs in production: they must load without a single
/// diagnostic.
@Suite("Shipped definitions")
struct ShippedDefinitionsTests {
    static let result = DefinitionLoader.load(directory: PackageFolders.sequences.path)

    @Test("sequences/ loads with no errors and no warnings")
    func loadsClean() throws {
        let result = Self.result
        let printed = result.diagnostics.sorted.map(\.description).joined(separator: "\n")
        #expect(result.diagnostics.errors.isEmpty, "errors:\n\(printed)")
        #expect(result.diagnostics.warnings.isEmpty, "warnings:\n\(printed)")
        let definitions = try #require(result.definitions)
        #expect(definitions.lifecycle.stages.count == 9)
        #expect(definitions.lifecycle.handoffStage == "mql")
        #expect(definitions.scoring.grades.map(\.name) == ["A", "B", "C", "D"])
    }

    @Test("the shipped team: reps of reps:, the team's capacity unless a member names one, away dates as ranges")
    func shippedTeam() throws {
        let lifecycle = try #require(Self.result.definitions).lifecycle
        let team = try #require(lifecycle.teams.first)
        #expect(lifecycle.teams.count == 1 && team.name == "Northwind sales")
        #expect(team.members.map(\.rep.email) == ["hannah.lee@example.com", "marcus.webb@example.com", "priya.raman@example.com"])
        #expect(team.members.map(\.capacity) == [8, 8, 12])
        #expect(team.members[0].rep.phone == "+1 312 555 0142", "the member is the rep of reps:, with its profile")
        let marcus = team.members[1]
        #expect(marcus.isAway(on: try #require(CalendarDay(parsing: "2026-12-24"))))
        #expect(marcus.isAway(on: try #require(CalendarDay(parsing: "2027-01-01"))))
        #expect(!marcus.isAway(on: try #require(CalendarDay(parsing: "2027-01-02"))))
        #expect(lifecycle.routing?.defaultOwner.email == "sdr-queue@example.com")
    }

    @Test("there are four sequences, each in the file named after it")
    func fourSequences() throws {
        let definitions = try #require(Self.result.definitions)
        let ids = ["post-demo-not-ready", "post-webinar", "recycled-reengagement", "trial-onboarding"]
        #expect(definitions.sequences.keys.sorted() == ids)
        for id in ids {
            #expect(Self.result.sequenceFiles[id] == PackageFolders.sequences.appendingPathComponent("\(id).yml").path)
            #expect(definitions.sequences[id]?.steps.isEmpty == false, "\(id) has no steps")
        }
    }

    @Test("every email step's template exists, and every template is used")
    func templatesExist() throws {
        let definitions = try #require(Self.result.definitions)
        var used = Set<String>()
        for sequence in definitions.sequences.values {
            for step in sequence.steps {
                guard case let .email(template) = step.kind else { continue }
                used.insert(template)
                let found = definitions.templates[template]
                #expect(found != nil, "\(sequence.id)/\(step.id) sends '\(template)', which is not loaded")
                #expect(found?.subject.isEmpty == false, "\(template) has no subject")
                let file = PackageFolders.sequences.appendingPathComponent("templates/\(template).md")
                #expect(FileManager.default.fileExists(atPath: file.path), "no file for \(template)")
            }
        }
        // Rep notices use the templates under rep/.
        used.formUnion(NoticeTemplates.Kind.allCases.map(NoticeTemplates.name))
        #expect(used == Set(definitions.templates.keys), "templates no step sends: \(Set(definitions.templates.keys).subtracting(used).sorted())")
    }

    @Test("nurture validate sequences exits 0 and says so")
    func validateExitsZero() throws {
        let run = try NurtureCLI.run(["validate", "sequences"])
        #expect(!run.crashed)
        #expect(run.status == 0, "stderr:\n\(run.stderr)")
        #expect(run.stderr.isEmpty, "stderr:\n\(run.stderr)")
        #expect(run.stdout.contains("sequences: 4 sequences"))
        #expect(run.stdout.contains("0 errors, 0 warnings"))
    }
}
