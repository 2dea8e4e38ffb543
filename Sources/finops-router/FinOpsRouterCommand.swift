import ArgumentParser
import FinOpsCore
import Foundation
import Gateway
import Logging

@main
struct FinOpsRouterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finops-router",
        abstract: "A cost-aware LLM gateway: routes, prices and records every call.",
        version: FinOpsRouterVersion.current,
        subcommands: [Serve.self, ConfigCommand.self, PricingCommand.self, RouteCommand.self, ClassifyCommand.self,
                      EvalCommand.self, MigrateCommand.self, SeedCommand.self, ReportCommand.self, ExportCommand.self,
                      ReplayCommand.self, KeysCommand.self, BenchCommand.self, AlertsCommand.self, GrafanaCommand.self,
                      SchedulerCommand.self, DemoCommand.self],
        defaultSubcommand: Serve.self)
}

/// Options shared by commands that load configuration.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "YAML config file. Without it: simulator provider, SQLite in ./finops-data, port 8080.")
    var config: String?

    @Option(name: .long, help: "Pricing catalog JSON (our format); overrides the config's pricing.catalog.")
    var pricing: String?

    /// The pricing catalog can come from the config file itself, so the config is read once
    /// with the built-in catalog and, if it names another catalog, read again against that one.
    func load() throws -> (RouterConfig, PricingCatalog) {
        let env = ProcessInfo.processInfo.environment
        func read(_ catalog: PricingCatalog) throws -> RouterConfig {
            if let path = config { return try ConfigLoader.load(path: path, environment: env, catalog: catalog) }
            return RouterConfig.embeddedDefaults(environment: env, catalog: catalog)
        }
        let builtIn = DefaultPricing.catalog()
        let first = try read(builtIn)
        guard let file = pricing ?? first.pricingFile else { return (first, builtIn) }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ValidationError("cannot read pricing catalog \(file)")
        }
        let catalog = try PricingCatalog.decode(json: data)
        return (try read(catalog), catalog)
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the gateway (HTTP API, dashboard, metrics).")

    @OptionGroup var options: ConfigOptions

    @Option(help: "Listen port (overrides the config).")
    var port: Int?

    @Option(help: "Listen address (overrides the config).")
    var host: String?

    @OptionGroup var store: StoreOptions

    @Option(help: "Directory for the telemetry spill file while the database is unavailable (default: next to the SQLite file).")
    var spillDir: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "finops-router")
        SignalWaiter.ignoreSIGPIPE()
        let files = SignalWaiter.raiseFileLimit()
        var (config, catalog) = try options.load()
        if files < UInt64(config.server.connectionLimit) * 2 + 64 {
            logger.warning("open-file limit is low for the connection limit (each held request needs two sockets)",
                           metadata: ["nofile": "\(files)", "connection_limit": "\(config.server.connectionLimit)"])
        }
        if let port { config.server.port = port }
        if let host { config.server.host = host }
        try store.apply(to: &config.telemetry)
        if let spillDir { config.telemetry.spillDirectory = spillDir }
        let app = try GatewayApp(config: config, catalog: catalog, environment: ProcessInfo.processInfo.environment, logger: logger)
        try app.start()
        await app.restoreBudgetCounters()
        SignalWaiter.onHangup {
            do { try app.reloadPolicies() } catch {
                logger.error("policy reload failed; the previous policies stay in force", metadata: ["error": "\(error)"])
            }
        }
        let signal = await SignalWaiter.waitForTermination()
        logger.notice("signal received: draining", metadata: ["signal": "\(signal)"])
        await app.shutdown()
    }
}

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Work with configuration files.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate a config file; exit 1 with located errors.")

        @Argument(help: "The YAML file to check.")
        var file: String

        func run() async throws {
            do {
                let config = try ConfigLoader.load(path: file, environment: ProcessInfo.processInfo.environment,
                                                   catalog: DefaultPricing.catalog())
                print("\(file): OK — \(config.providers.count) providers (\(config.providers.map(\.name).joined(separator: ", "))), port \(config.server.port)")
            } catch let error as ConfigError {
                print("error: \(error)")
                throw ExitCode(1)
            }
        }
    }
}

struct PricingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pricing", abstract: "Work with the pricing catalog.", subcommands: [Import.self, Show.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert LiteLLM's model_prices_and_context_window.json into our catalog format.")

        @Argument(help: "LiteLLM price JSON file.")
        var file: String

        @Option(help: "Write the catalog here (default: standard output).")
        var out: String?

        @Option(parsing: .upToNextOption, help: "Only these models (default: every chat model).")
        var models: [String] = []

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ValidationError("cannot read \(file)")
            }
            let (catalog, skipped) = try LiteLLMPriceImporter.importCatalog(json: data, only: models.isEmpty ? nil : Set(models))
            let json = try catalog.encodeJSON()
            if let out {
                try json.write(to: URL(fileURLWithPath: out))
                print("wrote \(catalog.models.count) models to \(out); skipped \(skipped.count) entries (not chat, or no prices)")
            } else {
                FileHandle.standardOutput.write(json)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the catalog in use (USD per 1M tokens).")
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            let (_, catalog) = try options.load()
            print("model".padding(toLength: 28, withPad: " ", startingAt: 0) + "provider   tier    input  cached  output")
            for model in catalog.models {
                guard let p = catalog.price(for: model) else { continue }
                print(model.padding(toLength: 28, withPad: " ", startingAt: 0)
                      + p.provider.padding(toLength: 11, withPad: " ", startingAt: 0)
                      + p.tier.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
                      + "\(p.inputPerMTok.decimalString)  \(p.cachedInputPerMTok.decimalString)  \(p.outputPerMTok.decimalString)")
            }
        }
    }
}
