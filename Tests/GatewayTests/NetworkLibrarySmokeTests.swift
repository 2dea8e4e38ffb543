import CCurl
import CMicroHTTPD
import XCTest

/// The HTTP libraries are linked and have the features the router relies on.
final class NetworkLibrarySmokeTests: XCTestCase {
    func testLibmicrohttpdVersionSupportsSuspendResumeAndEpoll() throws {
        let version = String(cString: MHD_get_version())
        let parts = version.split(separator: ".").compactMap { Int($0) }
        XCTAssertGreaterThanOrEqual(parts.count, 3, version)
        // Suspend/resume with epoll and MHD_quiesce_daemon are solid from 0.9.7x on.
        XCTAssertTrue(parts[0] > 0 || parts[2] >= 70, version)
        XCTAssertEqual(finops_mhd_has_epoll(), 1)
    }

    func testLibcurlHasHTTP2AndTLS() throws {
        let info = try XCTUnwrap(finops_curl_version_info())
        let features = info.pointee.features
        XCTAssertNotEqual(features & CURL_VERSION_HTTP2, 0, "HTTP/2 for provider connections")
        XCTAssertNotEqual(features & CURL_VERSION_SSL, 0, "TLS for provider connections")
        XCTAssertGreaterThanOrEqual(info.pointee.version_num, 0x074200, "curl_multi_poll/wakeup need 7.68+")
    }
}
