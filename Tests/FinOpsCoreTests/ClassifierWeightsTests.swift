import Foundation
import XCTest
@testable import FinOpsCore

final class ClassifierWeightsTests: XCTestCase {
    func testEmbeddedWeightsAreByteIdenticalToConfigFile() throws {
        let file = DefaultPricingTests.repoRoot.appendingPathComponent("config/classifier-weights.json")
        let onDisk = try Data(contentsOf: file)
        XCTAssertEqual(Data(DefaultClassifierWeights.json.utf8), onDisk,
                       "run scripts/train_classifier.py: DefaultClassifierWeights.swift and config/classifier-weights.json differ")
        XCTAssertEqual(try ClassifierWeights.decode(json: onDisk), DefaultClassifierWeights.weights())
    }

    /// The script scored these prompts with the Python feature code; the Swift port must agree,
    /// or the shipped weights mean something else at runtime than when they were fitted.
    func testSwiftFeaturesReproduceTheTrainingScriptsLogits() {
        let weights = DefaultClassifierWeights.weights()
        let classifier = ComplexityClassifier(weights: weights)
        XCTAssertGreaterThanOrEqual(weights.fixtures.count, 5)
        for fixture in weights.fixtures {
            XCTAssertEqual(classifier.classify(fixture.input).logit, fixture.logit, accuracy: 1e-9, fixture.prompt)
        }
    }

    func testEveryKeywordIsFoundByTheLexicon() {
        let weights = DefaultClassifierWeights.weights()
        let lexicon = weights.lexicon()
        for (index, group) in PromptFeatures.keywordGroups.enumerated() {
            for word in weights.keywordGroups[group] ?? [] {
                XCTAssertNotEqual(lexicon.mask(for: word) & (1 << UInt32(index)), 0, "\(group): \(word)")
            }
        }
        XCTAssertEqual(lexicon.mask(for: "zebra"), 0)
    }

    func testRejectsWeightsForAnotherFeatureSet() throws {
        var json = DefaultClassifierWeights.json
        json = json.replacingOccurrences(of: "\"log_chars\"", with: "\"log_bytes\"")
        XCTAssertThrowsError(try ClassifierWeights.decode(json: Data(json.utf8))) { error in
            XCTAssertTrue("\(error)".contains("do not match"), "\(error)")
        }
        XCTAssertThrowsError(try ClassifierWeights.decode(json: Data("{}".utf8)))
    }

    func testVocabularyWeightsAreLoadedAndCounted() throws {
        let weights = DefaultClassifierWeights.weights()
        XCTAssertGreaterThan(weights.vocabulary.count, 1_000)
        let lexicon = weights.lexicon()
        let (word, weight) = try XCTUnwrap(weights.vocabulary.first { $0.value != 0 && !$0.key.contains("_") })
        XCTAssertEqual(lexicon.weight(of: word), weight)
        XCTAssertEqual(lexicon.weight(of: "zebraquux"), 0)
        // One known word, repeated: the term is count × weight / √words.
        let f = PromptFeatures(ClassifierInput(prompt: "\(word) \(word) zebraquux zebraquux"), lexicon: lexicon)
        XCTAssertEqual(f.vocabularyTerm, 2 * Double(weight) / 2, accuracy: 1e-12)
    }

    func testRejectsMalformedVocabulary() throws {
        for (entry, reason) in [(["Court": 0.5], "lower-case word"), (["two words": 0.5], "lower-case word"),
                                (["court": 0.1], "32-bit float")] {
            var object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(DefaultClassifierWeights.json.utf8)) as? [String: Any])
            object["vocabulary"] = entry
            let data = try JSONSerialization.data(withJSONObject: object)
            XCTAssertThrowsError(try ClassifierWeights.decode(json: data)) { error in
                XCTAssertTrue("\(error)".contains(reason), "\(error)")
            }
        }
    }

    func testRejectsUnorderedCutpoints() throws {
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(DefaultClassifierWeights.json.utf8)) as? [String: Any])
        object["complexity_cutpoints"] = [3, 2, 1, 4, 5, 6, 7, 8, 9]
        let data = try JSONSerialization.data(withJSONObject: object)
        XCTAssertThrowsError(try ClassifierWeights.decode(json: data)) { error in
            XCTAssertTrue("\(error)".contains("ascending"), "\(error)")
        }
    }
}
