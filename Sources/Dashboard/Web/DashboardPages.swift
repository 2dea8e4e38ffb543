import FinOpsCore
import Foundation
import Storage

/// Reads what each view needs — rollups, except on the Requests view — and builds its
/// `PageView`. Called on a store-read thread (never Swift's cooperative pool); each rollup
/// table is read once per page, summed in the database over the key columns the page does not
/// show (`spendSummaries`), and every panel is computed from those rows.
struct DashboardPages: Sendable {
    let store: any TelemetryStore
    let org: String

    enum View: String, Sendable, CaseIterable {
        case overview, drift, budgets, providers, strategies, requests, team
    }

    func overview(_ range: DashboardRange, budgets: [BudgetStatus], team: String? = nil) throws -> OverviewModel.Input {
        let dailyFrom = OverviewModel.dailyFrom(range)
        let rangeRows: [SpendRollup], daily: [SpendRollup], lastDay: [SpendRollup]
        // The Overview shows money and counts by team and use case; the team page also breaks the
        // team down by use case, model and user, with latency. The month's history feeds only
        // the forecast (spend per day), the last 24 hours only the hourly burn rate.
        let keep: Set<RollupDimension> = team == nil ? [.team, .useCase] : [.team, .useCase, .provider, .model, .user]
        let measures: RollupMeasures = team == nil ? .money : .all
        rangeRows = try store.spendSummaries(range.granularity, from: range.previous.from, to: range.to, team: team, keep: keep, measures: measures)
        daily = try store.spendSummaries(.day, from: dailyFrom, to: SpendRollup.Granularity.day.bucketStart(range.now).addingTimeInterval(86_400),
                                         team: team, keep: [], measures: .money)
        if range.hourly {
            lastDay = rangeRows
        } else {
            let hourEnd = SpendRollup.Granularity.hour.bucketStart(range.now).addingTimeInterval(3_600)
            lastDay = try store.spendSummaries(.hour, from: hourEnd.addingTimeInterval(-24 * 3_600), to: hourEnd, team: team, keep: [], measures: .money)
        }
        let outcomes = try store.outcomeSummaries(from: range.from, to: range.to, team: team)
        return OverviewModel.Input(rangeRows: rangeRows, daily: daily.filter { $0.key.bucket >= dailyFrom }, lastDay: lastDay,
                                   outcomes: outcomes, budgets: budgets)
    }

    func page(_ view: View, range: DashboardRange, budgets: [BudgetStatus], filters: RequestFilters?, team: String?) throws -> PageView {
        let now = range.now
        switch view {
        case .overview:
            let model = OverviewModel(range: range, input: try overview(range, budgets: budgets), budgetScope: (.org, org))
            return OverviewView.page(model, org: org, now: now)
        case .team:
            let team = team ?? ""
            let input = try overview(range, budgets: budgets, team: team)
            let model = OverviewModel(range: range, input: input, budgetScope: (.team, team))
            let alerts = try store.alerts(from: range.from, to: range.to, team: team, limit: 200)
            return TeamView.page(team: team, model: model, rangeRows: OverviewModel.slice(input.rangeRows, range.from, range.to),
                                 budgets: budgets, alerts: alerts, now: now)
        case .drift:
            let rows = try store.spendSummaries(range.granularity, from: range.previous.from, to: range.to, team: nil, keep: [.team, .useCase], measures: .all)
            let alerts = try store.alerts(from: range.from, to: range.to, team: nil, limit: 500)
            return DriftView.page(DriftModel(range: range, rows: rows, alerts: alerts), now: now)
        case .budgets:
            return BudgetsView.page(budgets, now: now)
        case .providers:
            let rows = try store.spendSummaries(range.granularity, from: range.from, to: range.to, team: nil, keep: [.provider, .model], measures: .all)
            return ProvidersView.page(range: range, rows: rows, now: now)
        case .strategies:
            let rows = try store.spendSummaries(range.granularity, from: range.from, to: range.to, team: nil, keep: [.strategy], measures: .money)
            return StrategiesView.page(range: range, rows: rows, now: now)
        case .requests:
            let filters = try filters ?? RequestFilters(query: [:])
            return RequestsView.page(filters, rows: try store.requests(filters.query), now: now)
        }
    }
}
