import FinOpsCore
import Upstream
import XCTest

/// The semantic cache's index with the local embedder it is used with.
final class SemanticIndexTests: XCTestCase {
    func testSemanticIndexFindsNearDuplicatesAndNotStrangers() {
        var index = SemanticIndex(dimensions: 256, capacity: 1000)
        let v = { (s: String) in HashedNGramEmbedder.embed(s, dimensions: 256) }
        index.insert(v("user: What is the capital of France?"), payload: "france", expires: 100)
        index.insert(v("user: Summarise our Q3 cloud spend by team"), payload: "q3", expires: 100)
        XCTAssertEqual(index.nearest(v("user: what is the capital of France"), threshold: 0.92, now: 0)?.payload, "france")
        XCTAssertNil(index.nearest(v("user: Write a haiku about autumn leaves"), threshold: 0.92, now: 0))
        XCTAssertNil(index.nearest(v("user: What is the capital of France?"), threshold: 0.92, now: 100), "expired")
    }

    func testSemanticIndexEvictsTheOldestWhenFull() {
        var index = SemanticIndex(dimensions: 64, capacity: 2)
        let v = { (s: String) in HashedNGramEmbedder.embed(s, dimensions: 64) }
        index.insert(v("alpha beta gamma"), payload: "1", expires: 10)
        index.insert(v("delta epsilon zeta"), payload: "2", expires: 10)
        index.insert(v("eta theta iota"), payload: "3", expires: 10)
        XCTAssertEqual(index.count, 2)
        XCTAssertNil(index.nearest(v("alpha beta gamma"), threshold: 0.99, now: 0))
        XCTAssertEqual(index.nearest(v("eta theta iota"), threshold: 0.99, now: 0)?.payload, "3")
    }
}
