import Foundation

/// Just enough of a Dockerfile parser for the consistency checks: instructions (continuation
/// lines joined, comments dropped) grouped into build stages.
struct Dockerfile {
    struct Instruction {
        var keyword: String
        var arguments: String
        var line: Int
    }

    struct Stage {
        var base: String
        var name: String?
        var instructions: [Instruction] = []

        func all(_ keyword: String) -> [Instruction] { instructions.filter { $0.keyword == keyword } }
        func first(_ keyword: String) -> Instruction? { all(keyword).first }

        /// Packages named after `apt-get install` (options dropped), across every RUN.
        var aptPackages: [String] {
            all("RUN").flatMap { run -> [String] in
                guard let range = run.arguments.range(of: "apt-get install") else { return [] }
                let rest = run.arguments[range.upperBound...].components(separatedBy: "&&")[0]
                return rest.split(whereSeparator: \.isWhitespace).map(String.init).filter { !$0.hasPrefix("-") && $0 != "\\" }
            }
        }

        /// `COPY [--from=x] SRC... DEST` as (sources, destination, from-stage).
        var copies: [(sources: [String], destination: String, from: String?)] {
            all("COPY").map { copy in
                var words = copy.arguments.split(separator: " ").map(String.init)
                var from: String?
                while let flag = words.first, flag.hasPrefix("--") {
                    if flag.hasPrefix("--from=") { from = String(flag.dropFirst("--from=".count)) }
                    words.removeFirst()
                }
                return (Array(words.dropLast()), words.last ?? "", from)
            }
        }
    }

    var arguments: [String: String] = [:]
    var stages: [Stage] = []

    init(text: String) {
        var logical: [(String, Int)] = []
        var pending = ""
        var start = 0
        for (index, rawLine) in text.components(separatedBy: "\n").enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") || (line.isEmpty && pending.isEmpty) { continue }
            if pending.isEmpty { start = index + 1 }
            if line.hasSuffix("\\") {
                pending += line.dropLast() + " "
            } else {
                logical.append((pending + line, start))
                pending = ""
            }
        }
        for (text, line) in logical {
            let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
            let instruction = Instruction(keyword: parts[0].uppercased(),
                                          arguments: parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "", line: line)
            if instruction.keyword == "FROM" {
                let words = instruction.arguments.split(separator: " ").map(String.init)
                let base = words.first.map(expand) ?? ""
                let name = words.count >= 3 && words[1].uppercased() == "AS" ? words[2] : nil
                stages.append(Stage(base: base, name: name))
            } else if stages.isEmpty, instruction.keyword == "ARG" {
                let pair = instruction.arguments.split(separator: "=", maxSplits: 1).map(String.init)
                arguments[pair[0]] = pair.count > 1 ? pair[1] : ""
            } else if !stages.isEmpty {
                stages[stages.count - 1].instructions.append(instruction)
            }
        }
    }

    var runtime: Stage { stages[stages.count - 1] }
    func stage(named name: String) -> Stage? { stages.first { $0.name == name } }

    /// `${NAME}` replaced by the ARG default.
    func expand(_ word: String) -> String {
        var out = word
        for (name, value) in arguments { out = out.replacingOccurrences(of: "${\(name)}", with: value) }
        return out
    }

    /// Exec-form `["a", "b"]` arguments as a list (shell form: split on spaces).
    static func execForm(_ arguments: String) -> [String] {
        if let data = arguments.data(using: .utf8), let list = try? JSONSerialization.jsonObject(with: data) as? [String] { return list }
        return arguments.split(separator: " ").map(String.init)
    }
}
