import Foundation
import PosternCore

/// The bytes libFuzzer hands a target.
public func fuzzBytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
    Array(UnsafeBufferPointer(start: data, count: size))
}

/// `METHOD target HTTP/1.1`, `Name:value` lines, a blank line, the body; anything malformed becomes something.
/// The AWS test suite's signed requests are in this form, and so are the HMAC targets' seeds.
public func parseRequest(_ bytes: [UInt8]) -> WebhookRequest {
    let text = String(decoding: bytes, as: UTF8.self)
    let sections = text.components(separatedBy: "\n\n")
    var lines = sections[0].components(separatedBy: "\n")
    let requestLine = lines.isEmpty ? "" : lines.removeFirst()
    let words = requestLine.split(separator: " ", maxSplits: 1)
    let method = words.first.map(String.init) ?? "POST"
    let target = words.count > 1 ? String(words[1].replacingOccurrences(of: " HTTP/1.1", with: "")) : "/"
    var headers = RequestHeaders()
    for line in lines {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers.append(String(line[..<colon]), String(line[line.index(after: colon)...]))
    }
    let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
    let body = Array(sections.dropFirst().joined(separator: "\n\n").utf8)
    return WebhookRequest(method: method, path: parts.first.map(String.init) ?? "/",
                          query: parts.count > 1 ? String(parts[1]) : nil, headers: headers, body: body)
}

/// Stops the run with a finding: libFuzzer saves the input that broke the property.
public func require(_ condition: @autoclosure () -> Bool, _ property: String) {
    if !condition() { fatalError("property broken: \(property)") }
}
