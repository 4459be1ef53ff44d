import NIOSSL
import PosternCore
import SwiftASN1
import X509

/// Who a verified client certificate says the caller is: its subject (RFC 4514), common names and alternative names,
/// and how `allowedSubjects` and `allowedSANs` match them: exactly, never by a part that an attacker can add to.
public struct ClientIdentity: Sendable, Equatable {
    public var subject: String
    /// Every common name in the subject, most specific first; matching by name needs exactly one.
    public var commonNames: [String]
    public var alternativeNames: [SubjectAlternativeName]

    public init(subject: String, commonNames: [String], alternativeNames: [SubjectAlternativeName]) {
        self.subject = subject
        self.commonNames = commonNames
        self.alternativeNames = alternativeNames
    }

    init(_ certificate: NIOSSLCertificate) {
        let names = certificate.subjectName
        // RFC 4514 writes the most specific attribute first, the reverse of the certificate's order.
        subject = names.reversed().map { "\(Self.label($0.type))=\(Self.escape($0.value))" }.joined(separator: ",")
        commonNames = names.reversed().filter { $0.type == .commonName }.map(\.value)
        alternativeNames = Self.alternativeNames(of: certificate)
    }

    /// The certificate's DNS, email, URI and IP alternative names, read with swift-certificates; none when the
    /// certificate or its extension cannot be parsed, so `allowedSANs` then matches nothing (fail closed).
    static func alternativeNames(of certificate: NIOSSLCertificate) -> [SubjectAlternativeName] {
        guard let der = try? certificate.toDERBytes(), let parsed = try? Certificate(derEncoded: der),
              let names = try? parsed.extensions.subjectAlternativeNames else { return [] }
        return names.compactMap { name in
            switch name {
            case .dnsName(let text): SubjectAlternativeName(.dns, text)
            case .rfc822Name(let text): SubjectAlternativeName(.email, text)
            case .uniformResourceIdentifier(let text): SubjectAlternativeName(.uri, text)
            case .ipAddress(let octets): IPAddress(packed: Array(octets.bytes)).map { SubjectAlternativeName(.ip, $0.description) }
            default: nil
            }
        }
    }

    /// Why this certificate cannot be matched by name at all: a control character (a NUL can hide a second name
    /// behind the first) in its subject or alternative names. Nil when it is unambiguous.
    var ambiguity: String? {
        let texts = [subject] + commonNames + alternativeNames.map(\.value)
        guard texts.contains(where: { $0.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } }) else { return nil }
        return "the client certificate's names contain control characters"
    }

    /// Whether an allowed entry is this certificate: a whole RFC 4514 subject (an entry with `=`, compared exactly),
    /// or a bare name, which is the common name and matches only a certificate with exactly one.
    func matchesSubject(in allowed: [String]) -> Bool {
        allowed.contains { entry in
            entry.contains("=") ? entry == subject : commonNames.count == 1 && commonNames[0] == entry
        }
    }

    func matchesAlternativeName(in allowed: [SubjectAlternativeName]) -> Bool {
        alternativeNames.contains { name in allowed.contains { $0.matches(name) } }
    }

    private static func label(_ type: SSLCertificateNameType) -> String {
        switch type {
        case .commonName: "CN"
        case .organization: "O"
        case .organizationalUnit: "OU"
        case .country: "C"
        case .state: "ST"
        case .city: "L"
        case .emailAddress: "emailAddress"
        case .userId: "UID"
        default: "OID"
        }
    }

    /// RFC 4514 §2.4 escaping of an attribute value.
    private static func escape(_ value: String) -> String {
        var escaped = ""
        for (index, character) in value.enumerated() {
            if ",+\"\\<>;=".contains(character) || (index == 0 && (character == " " || character == "#"))
                || (index == value.count - 1 && character == " ") {
                escaped.append("\\")
            }
            escaped.append(character)
        }
        return escaped
    }
}
