import FinOpsCore
import Logging
import Upstream

/// Builds one adapter per configured provider. Keys are read from the environment variables
/// the config names; a missing key is a warning (local servers such as Ollama need none).
enum ProviderFactory {
    static func make(config: RouterConfig, environment: [String: String], loop: CurlMultiLoop,
                     uptime: @escaping @Sendable () -> Double, logger: Logger) -> [String: any ChatProvider] {
        var providers: [String: any ChatProvider] = [:]
        for p in config.providers {
            let timeouts = ProviderTimeouts(total: .milliseconds(p.timeoutMs), connect: .milliseconds(p.connectTimeoutMs),
                                            streamIdle: .milliseconds(p.streamIdleTimeoutMs))
            let key = p.apiKeyEnv.flatMap { environment[$0] }
            if let env = p.apiKeyEnv, key == nil {
                logger.warning("provider's API key variable is not set; calls go out unauthenticated",
                               metadata: ["provider": "\(p.name)", "env": "\(env)"])
            }
            switch p.kind {
            case .simulator:
                providers[p.name] = SimulatorProvider(name: p.name, settings: p.simulator ?? config.simulator, uptime: uptime)
            case .openAICompatible:
                providers[p.name] = OpenAICompatibleProvider(name: p.name, baseURL: p.baseURL, apiKey: key,
                                                             loop: loop, timeouts: timeouts)
            case .azureOpenAI:
                providers[p.name] = OpenAICompatibleProvider(
                    name: p.name, baseURL: p.baseURL, apiKey: key,
                    flavor: .azure(apiVersion: p.apiVersion, deployments: p.deployments), loop: loop, timeouts: timeouts)
            case .bedrock:
                var signing: AWSSigning?
                if let id = environment[p.accessKeyEnv], let secret = environment[p.secretKeyEnv] {
                    signing = AWSSigning(region: p.region, service: "bedrock", accessKeyID: id, secretAccessKey: secret,
                                         sessionToken: environment[p.sessionTokenEnv])
                } else {
                    logger.warning("bedrock provider has no AWS credentials in its environment variables; calls go out unsigned",
                                   metadata: ["provider": "\(p.name)", "env": "\(p.accessKeyEnv), \(p.secretKeyEnv)"])
                }
                providers[p.name] = BedrockProvider(name: p.name, endpoint: p.baseURL, signing: signing, modelIDs: p.modelIDs,
                                                    loop: loop, timeouts: timeouts)
            case .anthropic:
                providers[p.name] = AnthropicProvider(name: p.name, baseURL: p.baseURL, apiKey: key, loop: loop, timeouts: timeouts)
            }
        }
        return providers
    }
}
