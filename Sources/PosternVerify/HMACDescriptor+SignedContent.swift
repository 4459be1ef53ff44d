import Foundation
import PosternCore

/// What a descriptor's sender signs and how it writes its timestamp, for the verifier and the signer.
extension HMACDescriptor {
    /// The bytes that are signed, with the timestamp and id exactly as the sender wrote them.
    func signedBytes(body: [UInt8], timestamp: String?, id: String?) -> [UInt8] {
        switch signedContent {
        case .body: body
        case .timestampDotBody: Array("\(timestamp ?? "").".utf8) + body
        case .idDotTimestampDotBody: Array("\(id ?? "").\(timestamp ?? "").".utf8) + body
        }
    }

    /// Reads a timestamp written in `timestampFormat`.
    func parseTimestamp(_ text: String) -> Date? {
        switch timestampFormat {
        case .unix:
            guard let seconds = Int64(text) else { return nil }
            return Date(timeIntervalSince1970: TimeInterval(seconds))
        case .unixMilliseconds:
            guard let millis = Int64(text) else { return nil }
            return Date(timeIntervalSince1970: TimeInterval(millis) / 1000)
        case .rfc3339:
            return RFC3339.parse(text)
        }
    }

    /// Writes a timestamp in `timestampFormat`, as a sender would.
    func formatTimestamp(_ date: Date) -> String {
        switch timestampFormat {
        case .unix: String(Int64(date.timeIntervalSince1970.rounded(.down)))
        case .unixMilliseconds: String(Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
        case .rfc3339: RFC3339.format(date)
        }
    }
}
