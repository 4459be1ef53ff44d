import NIOSSL

/// Who a verified client certificate says the caller is: its subject (RFC 4514), common name and alternative names.
public struct ClientIdentity: Sendable, Equatable {
    public var subject: String
    public var commonName: String?
    public var alternativeNames: [String]

    public init(subject: String, commonName: String?, alternativeNames: [String]) {
        self.subject = subject
        self.commonName = commonName
        self.alternativeNames = alternativeNames
    }

    init(_ certificate: NIOSSLCertificate) {
        let names = certificate.subjectName
        // RFC 4514 writes the most specific attribute first, the reverse of the certificate's order.
        subject = names.reversed().map { "\(Self.label($0.type))=\(Self.escape($0.value))" }.joined(separator: ",")
        commonName = names.last { $0.type == .commonName }?.value
        alternativeNames = certificate._subjectAlternativeNames().compactMap { name in
            switch name.nameType {
            case .dnsName, .email, .uri: String(decoding: name.contents, as: UTF8.self)
            case .ipAddress: IPAddressText(name.contents)
            default: nil
            }
        }
    }

    /// Whether any of the allowed names is this certificate's common name or whole subject.
    func matchesSubject(in allowed: [String]) -> Bool {
        allowed.contains { $0 == subject || $0 == commonName }
    }

    func matchesAlternativeName(in allowed: [String]) -> Bool {
        alternativeNames.contains { allowed.contains($0) }
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

/// An IP address SAN as text (4 or 16 bytes).
private func IPAddressText(_ bytes: some Collection<UInt8>) -> String? {
    let bytes = Array(bytes)
    switch bytes.count {
    case 4: return bytes.map(String.init).joined(separator: ".")
    case 16: return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":")
    default: return nil
    }
}
