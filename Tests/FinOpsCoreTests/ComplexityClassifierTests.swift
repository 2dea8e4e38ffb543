import XCTest
@testable import FinOpsCore

final class ComplexityClassifierTests: XCTestCase {
    let classifier = ComplexityClassifier()

    let proof = """
        Prove step by step that for every integer n >= 1 the sum 1^2 + 2^2 + ... + n^2 equals n(n+1)(2n+1)/6.
        First verify the base case, then assume it holds for n = k and derive the case k + 1.
        Then explain why the same induction fails for the claim that every set of n horses has one colour,
        and compute the limit of the ratio of consecutive terms of the sequence a_n = n^3 / 3^n.
        """

    func testALongMultiStepMathProofScoresAboveAGreeting() {
        let hi = classifier.classify(prompt: "hi")
        let hard = classifier.classify(prompt: proof)
        XCTAssertEqual(hi.complexity, 1)
        XCTAssertGreaterThan(hard.logit, hi.logit)
        XCTAssertGreaterThan(hard.pStrong, hi.pStrong)
        XCTAssertGreaterThanOrEqual(hard.complexity, 7)
        XCTAssertEqual(AutoTierThresholds().tier(forComplexity: hi.complexity), .small)
    }

    func testScoresStayInRange() {
        for prompt in ["", "hi", proof, String(repeating: "x = 1 + 2; ", count: 5_000), "日本語のテキスト"] {
            let s = classifier.classify(prompt: prompt)
            XCTAssertTrue((1...10).contains(s.complexity), prompt)
            XCTAssertTrue(s.pStrong > 0 && s.pStrong < 1, prompt)
        }
    }

    func testRequestSignalsRaiseTheScore() {
        let base = ClassifierInput(prompt: "Summarize the attached notes.")
        var tooled = base
        tooled.hasTools = true
        var long = base
        long.maxTokens = 8_192
        var multiTurn = base
        multiTurn.userTurns = 3
        let b = classifier.classify(base).logit
        XCTAssertGreaterThan(classifier.classify(tooled).logit, b)
        XCTAssertGreaterThan(classifier.classify(long).logit, b)
        XCTAssertGreaterThan(classifier.classify(multiTurn).logit, b)
    }

    func testInputFromAChatBody() throws {
        let body = try JSONParser.parse("""
            {"model": "router/auto", "max_tokens": 300, "tools": [{"type": "function"}],
             "messages": [{"role": "system", "content": "Be terse."},
                          {"role": "user", "content": "first"},
                          {"role": "assistant", "content": "ok"},
                          {"role": "user", "content": [{"type": "text", "text": "second"}, {"type": "image_url"}]}]}
            """)
        let input = ClassifierInput(body: body)
        XCTAssertEqual(input.texts, ["Be terse.", "first", "ok", "second"])
        XCTAssertEqual(input.userTurns, 2)
        XCTAssertTrue(input.hasSystemPrompt)
        XCTAssertEqual(input.maxTokens, 300)
        XCTAssertTrue(input.hasTools)
        XCTAssertEqual(ClassifierInput(body: try JSONParser.parse(#"{"prompt": "hi"}"#)), ClassifierInput(prompt: "hi"))
    }

    func testFeaturesCountWhatTheyName() {
        let lexicon = classifier.lexicon
        let f = PromptFeatures(ClassifierInput(prompt: "Why? Explain step by step. ```x``` a_b {}"), lexicon: lexicon)
        func value(_ name: String) -> Double { f.values[PromptFeatures.names.firstIndex(of: name)!] }
        XCTAssertEqual(value("question_marks"), 1)
        XCTAssertEqual(value("code_fence"), 1)
        XCTAssertEqual(value("sentences"), log1p(2))
        XCTAssertEqual(value("code_symbols"), log1p(9), "6 backticks, 1 underscore, 2 braces")
        // "why", "explain" and the phrase "step by".
        XCTAssertEqual(f.keywordHits[PromptFeatures.keywordGroups.firstIndex(of: "reasoning")!], 3)
        let joined = PromptFeatures(ClassifierInput(texts: ["step", "by"]), lexicon: lexicon)
        XCTAssertEqual(joined.values[PromptFeatures.names.firstIndex(of: "newlines")!], log1p(1), "turns join with a newline")
        XCTAssertFalse(classifier.contributions(f).isEmpty)
    }

    func testAnswerOptionsAreMeasured() {
        let prompt = "Which is larger?\nA. 12\nB. 7\nC) seven\nD. none of these\nE.not an option\nAnswer:"
        let f = PromptFeatures(ClassifierInput(prompt: prompt), lexicon: classifier.lexicon)
        func value(_ name: String) -> Double { f.values[PromptFeatures.names.firstIndex(of: name)!] }
        XCTAssertEqual(value("multiple_choice"), 1)
        XCTAssertEqual(value("option_chars"), log1p(21.0 / 4), "12, 7, seven, none of these: 21 characters")
        XCTAssertEqual(value("option_spread"), log1p(13) - log1p(1))
        XCTAssertEqual(value("option_numeric"), 0.5, "\"12\" and \"7\" are digits")
        XCTAssertEqual(value("stem_chars"), log1p(Double(prompt.unicodeScalars.count - 33)))
        let plain = PromptFeatures(ClassifierInput(prompt: "A. just one option line\nnothing else"), lexicon: classifier.lexicon)
        XCTAssertEqual(Array(plain.values[22...26]), [0, 0, 0, 0, 0], "one option line is not a question with options")
    }

    func testTheFastPathScoresExactlyAsTheExplainedFeatures() {
        for input in [ClassifierInput(prompt: proof), ClassifierInput(prompt: "hi"), ClassifierInput(prompt: ""),
                      ClassifierInput(texts: ["Be terse.", "first", "second"], userTurns: 2, hasSystemPrompt: true,
                                      maxTokens: 900, hasTools: true)] {
            let explained = classifier.score(PromptFeatures(input, lexicon: classifier.lexicon))
            XCTAssertEqual(classifier.classify(input), explained)
        }
    }

    func testWeightedWordsExplainTheVocabularyTerm() {
        let words = classifier.weightedWords(in: proof, limit: 100)
        XCTAssertFalse(words.isEmpty)
        let f = PromptFeatures(ClassifierInput(prompt: proof), lexicon: classifier.lexicon)
        XCTAssertEqual(words.map(\.contribution).reduce(0, +), f.vocabularyTerm, accuracy: 1e-9)
        XCTAssertEqual(words.count, Set(words.map(\.word)).count, "one entry per distinct word")
    }
}
