import Foundation

/// Spend rollups as a FOCUS 1.2 style cost-and-usage CSV (FinOps Open Cost and Usage
/// Specification), one row per rollup row: the charge period is the rollup bucket, the
/// resource is the model, the sub-account is the team. Loads as CSV into BigQuery, Snowflake
/// or any FOCUS tool; our own measures are `x_` columns, as the spec asks.
///
/// Money columns are exact decimals with nine places (nano-dollars): load them as
/// NUMERIC(38, 9), never FLOAT. Prices come from the router's catalog (list prices), so
/// BilledCost = EffectiveCost = ListCost = ContractedCost.
public enum FocusExport {
    public static let columns = [
        "BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency", "BillingPeriodEnd",
        "BillingPeriodStart", "ChargeCategory", "ChargeClass", "ChargeDescription", "ChargeFrequency",
        "ChargePeriodEnd", "ChargePeriodStart", "ConsumedQuantity", "ConsumedUnit", "ContractedCost",
        "EffectiveCost", "InvoiceIssuerName", "ListCost", "PricingCategory", "PricingQuantity", "PricingUnit",
        "ProviderName", "PublisherName", "ResourceId", "ResourceName", "ResourceType", "ServiceCategory",
        "ServiceName", "ServiceSubcategory", "SubAccountId", "SubAccountName", "Tags",
        "x_BaselineCost", "x_Savings", "x_Requests", "x_Errors", "x_Failovers", "x_InputTokens",
        "x_CachedInputTokens", "x_OutputTokens", "x_UseCase", "x_Strategy", "x_User",
    ]

    /// The header line plus one line per row, CRLF-free, ending with a newline.
    public static func csv(_ rows: [SpendRollup], granularity: SpendRollup.Granularity) -> String {
        var out = columns.joined(separator: ",") + "\n"
        for row in rows { out += line(row, granularity: granularity).map(CSVField.escape).joined(separator: ",") + "\n" }
        return out
    }

    static func line(_ row: SpendRollup, granularity: SpendRollup.Granularity) -> [String] {
        let k = row.key, t = row.totals
        let start = k.bucket, end = k.bucket.addingTimeInterval(Double(granularity.seconds))
        let (billingStart, billingEnd) = month(containing: start)
        let provider = Provider(k.provider)
        let cost = t.cost.fullDecimalString
        let tags = JSONValue.object([("org", .string(k.org)), ("team", .string(k.team)), ("use_case", .string(k.useCase)),
                                     ("user", .string(k.user)), ("strategy", .string(k.strategy))])
        let tokens = String(t.inputTokens + t.outputTokens)
        return [
            cost, k.org, k.org, "USD", CivilDate.iso8601(billingEnd), CivilDate.iso8601(billingStart), "Usage", "",
            "\(k.model) tokens for \(k.team)/\(k.useCase.isEmpty ? "unspecified" : k.useCase)", "Usage-Based",
            CivilDate.iso8601(end), CivilDate.iso8601(start), tokens, "Tokens", cost, cost, provider.company, cost,
            "Standard", tokens, "Tokens", provider.company, provider.company, k.model, k.model, "LLM Model",
            "AI and Machine Learning", provider.service, "Generative AI", k.team, k.team,
            String(decoding: tags.serialized(), as: UTF8.self),
            t.baselineCost.fullDecimalString, t.savings.fullDecimalString, String(t.requests), String(t.errors),
            String(t.failovers), String(t.inputTokens), String(t.cachedInputTokens), String(t.outputTokens),
            k.useCase, k.strategy, k.user,
        ]
    }

    /// The calendar month (UTC) holding `date`: FOCUS billing periods are invoice months.
    static func month(containing date: Date) -> (Date, Date) {
        let (y, m, _) = CivilDate.fromDaysSinceEpoch(Int((date.timeIntervalSince1970 / 86_400).rounded(.down)))
        let start = CivilDate.daysSinceEpoch(year: y, month: m, day: 1)
        let end = CivilDate.daysSinceEpoch(year: m == 12 ? y + 1 : y, month: m == 12 ? 1 : m + 1, day: 1)
        return (Date(timeIntervalSince1970: Double(start * 86_400)), Date(timeIntervalSince1970: Double(end * 86_400)))
    }

    /// Display names FOCUS wants for a provider key from the config.
    struct Provider {
        let company: String
        let service: String

        init(_ key: String) {
            switch key.lowercased() {
            case "openai": (company, service) = ("OpenAI", "OpenAI API")
            case "anthropic": (company, service) = ("Anthropic", "Anthropic API")
            case "groq": (company, service) = ("Groq", "GroqCloud")
            case "azure", "azure-openai": (company, service) = ("Microsoft", "Azure OpenAI Service")
            case "bedrock": (company, service) = ("Amazon Web Services", "Amazon Bedrock")
            case "ollama": (company, service) = ("Ollama (self-hosted)", "Ollama")
            case "vllm": (company, service) = ("vLLM (self-hosted)", "vLLM")
            case "simulator": (company, service) = ("FinOps Router", "FinOps Router Simulator")
            default: (company, service) = (key, "\(key) API")
            }
        }
    }
}
