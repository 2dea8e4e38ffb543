import XCTest
@testable import FinOpsCore

final class CSVTableTests: XCTestCase {
    func testQuotedFieldsWithCommasQuotesAndLineBreaks() throws {
        let t = try CSVTable(parsing: "\u{FEFF}domain,prompt,weak_correct\r\nmath,\"Find x.\nA. 1, B. 2\nAnswer:\",True\nlaw,\"He said \"\"no\"\"\",False\n")
        XCTAssertEqual(t.header, ["domain", "prompt", "weak_correct"])
        XCTAssertEqual(t.rows.count, 2)
        XCTAssertEqual(t.rows[0][1], "Find x.\nA. 1, B. 2\nAnswer:")
        XCTAssertEqual(t.rows[1][1], "He said \"no\"")
        XCTAssertEqual(t.column("weak_correct"), ["True", "False"])
        XCTAssertNil(t.column("nope"))
    }

    func testLastRecordWithoutNewlineAndEmptyFields() throws {
        let t = try CSVTable(parsing: "a,b\n,\"\"\nx,y")
        XCTAssertEqual(t.rows, [["", ""], ["x", "y"]])
    }

    func testErrorsNameTheLine() {
        XCTAssertThrowsError(try CSVTable(parsing: "a,b\n1,2\n3\n")) { error in
            XCTAssertEqual((error as? CSVTable.ParseError)?.line, 3, "\(error)")
        }
        XCTAssertThrowsError(try CSVTable(parsing: "a\n\"open\n")) { error in
            XCTAssertTrue("\(error)".contains("unterminated"), "\(error)")
        }
        XCTAssertThrowsError(try CSVTable(parsing: "a\n\"x\"y\n"))
        XCTAssertThrowsError(try CSVTable(parsing: ""))
    }
}
