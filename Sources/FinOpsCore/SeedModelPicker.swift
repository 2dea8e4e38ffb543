import Foundation

/// Chat models of the catalog grouped by tier (embedding models left out), the baseline the
/// savings are measured against, and the priciest model (for the planted spike).
struct SeedModelPicker: Sendable {
    let byTier: [ModelTier: [ModelPrice]]
    let baseline: ModelPrice
    let priciest: ModelPrice

    init(catalog: PricingCatalog) {
        let chat = catalog.allPrices.filter { !$0.model.contains("embedding") }
        byTier = Dictionary(grouping: chat, by: \.tier)
        let byCost = chat.sorted { ($0.inputPerMTok + $0.outputPerMTok, $0.model) < ($1.inputPerMTok + $1.outputPerMTok, $1.model) }
        priciest = byCost.last ?? ModelPrice(model: "unpriced", provider: "simulator", inputPerMTok: .zero,
                                              cachedInputPerMTok: .zero, outputPerMTok: .zero, tier: .large)
        // What teams would pay without the router: the priciest mid-tier model.
        baseline = (byTier[.medium] ?? []).max { ($0.inputPerMTok + $0.outputPerMTok, $0.model) < ($1.inputPerMTok + $1.outputPerMTok, $1.model) } ?? priciest
    }

    func pick(_ tier: ModelTier, _ rng: inout SplitMix64) -> ModelPrice {
        let candidates = byTier[tier] ?? byTier.values.first ?? [priciest]
        return candidates[rng.int(in: 0...(candidates.count - 1))]
    }
}
