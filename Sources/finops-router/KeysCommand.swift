import ArgumentParser
import FinOpsCore
import Foundation
import Gateway

/// `finops-router keys create|list|revoke`: virtual keys through a running router's admin API
/// (token from FINOPS_ADMIN_TOKEN), so each change is validated and audited in one place.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Create, list and revoke virtual API keys (fr-…) on a running router.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Connection: ParsableArguments {
        @Option(help: "The router's base URL.")
        var url = ProcessInfo.processInfo.environment["FINOPS_URL"] ?? "http://127.0.0.1:8080"

        func client() throws -> AdminClient {
            guard let token = ProcessInfo.processInfo.environment["FINOPS_ADMIN_TOKEN"], !token.isEmpty else {
                throw ValidationError("set FINOPS_ADMIN_TOKEN to the router's admin token")
            }
            return AdminClient(baseURL: url, token: token)
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key; its secret is printed once.")
        @OptionGroup var connection: Connection
        @Option(help: "A name people recognise.") var name: String
        @Option(help: "Team the key's calls are billed to.") var team: String
        @Option(help: "User the key's calls are billed to.") var user: String?
        @Option(help: "Org (default: the router's).") var org: String?
        @Option(parsing: .upToNextOption, help: "Models the key may use (default: all).") var models: [String] = []
        @Option(help: "Budget in USD for the key.") var budgetUsd: Double?
        @Option(help: "Budget period: daily or monthly.") var budgetPeriod: String?
        @Option(help: "Requests per minute.") var rpm: Int?
        @Option(help: "Tokens per minute.") var tpm: Int?

        func run() async throws {
            let key = try await connection.client().createKey(name: name, team: team, user: user, org: org, models: models,
                                                              budgetUSD: budgetUsd, period: budgetPeriod, rpm: rpm, tpm: tpm)
            print("id:     \(key["id"]?.stringValue ?? "?")")
            print("team:   \(key["team"]?.stringValue ?? "?")")
            print("key:    \(key["key"]?.stringValue ?? "?")")
            print("Store the key now: only its hash is kept, it cannot be shown again.")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (never their secrets).")
        @OptionGroup var connection: Connection

        func run() async throws {
            let keys = try await connection.client().listKeys()
            print("id                 prefix   team             user             status   name")
            for k in keys {
                let status = k["revoked_at"]?.stringValue == nil ? "active" : "revoked"
                let cells = [k["id"]?.stringValue ?? "", (k["prefix"]?.stringValue ?? "") + "…", k["team"]?.stringValue ?? "",
                             k["user"]?.stringValue ?? "", status]
                let widths = [18, 8, 16, 16, 8]
                print(zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: " ")
                      + " " + (k["name"]?.stringValue ?? ""))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by id; calls with it get 401 from then on.")
        @OptionGroup var connection: Connection
        @Argument(help: "The key id (key_…).") var id: String

        func run() async throws {
            let key = try await connection.client().revokeKey(id: id)
            print("revoked \(key["id"]?.stringValue ?? id) at \(key["revoked_at"]?.stringValue ?? "?")")
        }
    }
}
