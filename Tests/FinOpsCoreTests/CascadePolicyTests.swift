import XCTest
@testable import FinOpsCore

final class CascadePolicyTests: XCTestCase {
    let policy = CascadePolicy()

    func testKeepsAGoodAnswer() {
        XCTAssertNil(policy.shouldStepUp(answer: "The capital of France is Paris.", finishReason: "stop"))
        XCTAssertNil(policy.shouldStepUp(answer: "Paris", finishReason: nil))
        XCTAssertNil(policy.shouldStepUp(answer: "", finishReason: "tool_calls", hasToolCalls: true), "a tool call has no text")
    }

    func testStepsUpOnRefusal() {
        XCTAssertEqual(policy.shouldStepUp(answer: "I'm sorry, but I can't help with that request.", finishReason: "stop"),
                       .refusal("i can't help with"))
        XCTAssertEqual(policy.shouldStepUp(answer: "I\u{2019}m unable to browse the web.", finishReason: "stop"),
                       .refusal("i'm unable to"), "curly apostrophes count")
        XCTAssertEqual(policy.shouldStepUp(answer: "", finishReason: "content_filter"), .refusal("content_filter"))
        XCTAssertEqual(CascadePolicy.routeReason(after: .refusal("x"), to: .medium), "cascade:step-up after refusal→tier=medium")
    }

    func testStepsUpOnEmptyOrTruncatedAnswers() {
        XCTAssertEqual(policy.shouldStepUp(answer: "", finishReason: "stop"), .empty)
        XCTAssertEqual(policy.shouldStepUp(answer: "  \n ", finishReason: "stop"), .empty)
        XCTAssertEqual(policy.shouldStepUp(answer: "The proof goes as fol", finishReason: "length"), .truncated)
        XCTAssertEqual(policy.shouldStepUp(answer: "Half an answ", finishReason: "max_tokens"), .truncated, "Anthropic's stop_reason")
        XCTAssertEqual(policy.shouldStepUp(answer: "x", finishReason: nil, failureKind: "upstream_timeout"), .failure("upstream_timeout"))
        XCTAssertEqual(CascadePolicy.StepUpReason.truncated.description, "truncated answer")
    }

    func testStepsUpOnLowConfidenceNearTheStartOnly() {
        XCTAssertEqual(policy.shouldStepUp(answer: "I'm not sure, but it might be 42.", finishReason: "stop"),
                       .lowConfidence("i'm not sure"))
        let longAnswer = String(repeating: "A solid explanation. ", count: 40) + "Some say 'I don't know' here."
        XCTAssertNil(policy.shouldStepUp(answer: longAnswer, finishReason: "stop"))
    }

    func testNeverStepsDown() {
        let catalog = RoutePlannerTests.catalog
        let cascade = ["s-cheap", "m-cheap", "l-two"]
        XCTAssertEqual(CascadePolicy.nextStep(after: 0, in: cascade, catalog: catalog), 1)
        XCTAssertEqual(CascadePolicy.nextStep(after: 1, in: cascade, catalog: catalog), 2)
        XCTAssertNil(CascadePolicy.nextStep(after: 2, in: cascade, catalog: catalog), "the top keeps its answer")
        // A misordered list (a fallback list, say) still only moves up.
        let mixed = ["m-cheap", "s-cheap", "m-pricey", "l-one"]
        XCTAssertEqual(CascadePolicy.nextStep(after: 0, in: mixed, catalog: catalog), 3)
        XCTAssertNil(CascadePolicy.nextStep(after: 3, in: mixed, catalog: catalog))
        XCTAssertNil(CascadePolicy.nextStep(after: 7, in: mixed, catalog: catalog))
        XCTAssertNil(CascadePolicy.nextStep(after: 0, in: ["unknown", "l-one"], catalog: catalog))
    }

    func testPlannerCascadeStepsStrictlyRise() throws {
        let catalog = RoutePlannerTests.catalog
        let d = try RoutePlanner(catalog: catalog).plan(RouteRequest(requestedModel: "router/cascade"), policy: TeamPolicy(team: "t"))
        let tiers = d.candidates.compactMap { catalog.price(for: $0)?.tier }
        XCTAssertEqual(tiers, [.small, .medium, .large])
        var index = 0, steps = 0
        while let next = CascadePolicy.nextStep(after: index, in: d.candidates, catalog: catalog) {
            XCTAssertGreaterThan(tiers[next], tiers[index])
            index = next
            steps += 1
        }
        XCTAssertEqual(steps, 2)
    }
}
