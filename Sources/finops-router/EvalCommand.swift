import ArgumentParser
import FinOpsCore
import Foundation

/// `finops-router eval`: how well the complexity classifier routes a labelled prompt set,
/// against a random router and the oracle (definitions in docs/routing-quality.md).
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score the classifier as a router on a CSV of prompt, weak_correct, strong_correct.")

    @Option(help: "CSV file with a header row.")
    var data: String

    @Option(help: "Column holding the prompt.")
    var promptColumn = "prompt"

    @Option(help: "Column saying whether the weak model was right (true/false, 1/0, or a score).")
    var weakColumn = "weak_correct"

    @Option(help: "Column saying whether the strong model was right.")
    var strongColumn = "strong_correct"

    @Option(help: "For numeric score columns: a score at or above this counts as correct (MT-Bench: 8).")
    var threshold = 8.0

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Option(help: "Also write each row's classifier logit and complexity to this CSV (row,logit,complexity).")
    var scores: String?

    @Option(help: "Classifier weights file to evaluate (default: the built-in config/classifier-weights.json).")
    var weights: String?

    func run() async throws {
        guard let text = try? String(contentsOfFile: data, encoding: .utf8) else { throw ValidationError("cannot read \(data)") }
        let table = try CSVTable(parsing: text)
        func column(_ name: String) throws -> [String] {
            guard let values = table.column(name) else {
                throw ValidationError("\(data) has no column '\(name)' (columns: \(table.header.joined(separator: ", ")))")
            }
            return values
        }
        let prompts = try column(promptColumn)
        let weak = try correctness(try column(weakColumn), column: weakColumn)
        let strong = try correctness(try column(strongColumn), column: strongColumn)
        guard !prompts.isEmpty else { throw ValidationError("\(data) has no rows") }

        let classifier = try ComplexityClassifier.load(weights)
        let verdicts = prompts.map { classifier.classify(prompt: $0) }
        let scores = verdicts.map(\.logit)
        if let path = self.scores {
            var csv = "row,logit,complexity\n"
            // %.17g: every Double round-trips, so the training script can compare to the last bit.
            for (i, v) in verdicts.enumerated() { csv += "\(i + 1),\(String(format: "%.17g", v.logit)),\(v.complexity)\n" }
            guard FileManager.default.createFile(atPath: path, contents: Data(csv.utf8)) else {
                throw ValidationError("cannot write \(path)")
            }
        }
        let rows: [(String, RoutingQuality)] = [
            ("classifier", .of(scores: scores, weak: weak, strong: strong)),
            ("random", .random(weak: weak, strong: strong)),
            ("oracle", .oracle(weak: weak, strong: strong)),
        ]
        let (w, s) = RoutingQuality.accuracies(weak, strong)
        if json {
            var object: [(String, JSONValue)] = [("rows", .int(prompts.count)), ("weak_accuracy", .double(w)), ("strong_accuracy", .double(s))]
            for (name, m) in rows {
                object.append((name, .object([("savings_at_95", .double(m.savingsAt95)), ("cpt50", .double(m.cpt50)),
                                              ("cpt80", .double(m.cpt80)), ("apgr", .double(m.apgr))])))
            }
            print(JSONValue.object(object).serializedString)
            return
        }
        print("\(data): \(prompts.count) prompts, weak accuracy \(pct(w)), strong accuracy \(pct(s))\n")
        print("| router | savings @95% quality | CPT(50%) | CPT(80%) | APGR |")
        print("|---|---|---|---|---|")
        for (name, m) in rows {
            print("| \(name) | \(pct(m.savingsAt95)) | \(pct(m.cpt50)) | \(pct(m.cpt80)) | \(String(format: "%.3f", m.apgr)) |")
        }
    }

    /// A column of true/false (or 1/0) is read as is; any other numbers are scores, correct at
    /// or above `threshold` (so MT-Bench's 1-10 scores work, and a score of 1 is not "true").
    private func correctness(_ values: [String], column: String) throws -> [Bool] {
        let cleaned = values.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let boolean: [String: Bool] = ["true": true, "false": false, "1": true, "0": false]
        if cleaned.allSatisfy({ boolean[$0] != nil }) { return cleaned.map { boolean[$0]! } }
        return try cleaned.enumerated().map { row, value in
            guard let score = Double(value) else {
                throw ValidationError("row \(row + 1), column \(column): '\(value)' is neither true/false nor a score")
            }
            return score >= threshold
        }
    }

    private func pct(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
}
