import FinOpsCore
import Foundation
import Storage
import XCTest

/// What every `AlertStore` must do; run against SQLite and PostgreSQL.
enum AlertStoreContract {
    static func alert(_ i: Int, team: String, at seconds: Double) -> AlertRecord {
        AlertRecord(time: Date(timeIntervalSince1970: seconds), fingerprint: "spend_spike:team=\(team):\(i)",
                    kind: "spend_spike", severity: i.isMultiple(of: 2) ? .critical : .warning, org: "acme", team: team,
                    title: "Spend spike <\(team)>", message: "'quoted' \"text\" é; DROP TABLE alerts;--",
                    value: 12.5 + Double(i), threshold: 3.25, labels: ["use_case": "qa", "z_score": "6.1"])
    }

    static func roundTripKeepsEveryField(_ store: any AlertStore) throws {
        var a = alert(1, team: "search", at: 1_767_225_600.123)
        a.state = .resolved
        a.deliveryState = .delivered
        a.deliveryAttempts = 3
        a.deliveredAt = Date(timeIntervalSince1970: 1_767_225_601.5)
        a.resolvedAt = Date(timeIntervalSince1970: 1_767_229_200)
        let id = try store.insertAlert(a)
        let b = alert(2, team: "sales", at: 1_767_225_700)
        let id2 = try store.insertAlert(AlertRecord(time: b.time, fingerprint: b.fingerprint, kind: b.kind, severity: .info,
                                                    org: "acme", title: "t", message: "m"))
        XCTAssertNotEqual(id, id2)
        let read = try store.alerts(from: .distantPast, to: .distantFuture, team: nil, limit: 10)
        XCTAssertEqual(read.map(\.id), [id2, id], "newest first")
        a.id = id
        XCTAssertEqual(read.last, a)
        XCTAssertNil(read.first?.value)
        XCTAssertEqual(read.first?.labels, [:])
    }

    static func rangeIsHalfOpenFilteredAndLimited(_ store: any AlertStore) throws {
        for i in 0..<20 { try store.insertAlert(alert(i, team: i < 12 ? "search" : "sales", at: 1_000_000 + Double(i) * 60)) }
        let window = try store.alerts(from: Date(timeIntervalSince1970: 1_000_060), to: Date(timeIntervalSince1970: 1_000_300),
                                      team: nil, limit: 100)
        XCTAssertEqual(window.map(\.fingerprint), [4, 3, 2, 1].map { "spend_spike:team=search:\($0)" })
        XCTAssertEqual(try store.alerts(from: .distantPast, to: .distantFuture, team: "sales", limit: 100).count, 8)
        XCTAssertEqual(try store.alerts(from: .distantPast, to: .distantFuture, team: nil, limit: 5).map(\.value),
                       [31.5, 30.5, 29.5, 28.5, 27.5])
    }
}
