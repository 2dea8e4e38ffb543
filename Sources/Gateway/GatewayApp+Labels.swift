import FinOpsCore
import Observability

extension GatewayApp {
    /// The values `team`, `model` and `provider` labels may take (ADR 0020): teams the config
    /// names, models this router serves (aliases and failover groups resolve to them), and
    /// configured providers. Anything else is counted as `other`.
    static func labelVocabulary(_ config: RouterConfig, registry: ModelRegistry, policyTeams: [String]) -> LabelVocabulary {
        LabelVocabulary(teams: config.metricTeams(policyTeams: policyTeams),
                        models: Set(registry.models.map(\.id) + config.providers.flatMap(\.models)),
                        providers: config.providers.map(\.name))
    }
}
