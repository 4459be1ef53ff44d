import Foundation

/// Tells systemd (`Type=notify`) where the gateway is in its life: `READY=1` once it listens and the store is open,
/// `RELOADING=1` then `READY=1` around a reload, `STOPPING=1` when shutdown begins. It writes datagrams to the
/// `NOTIFY_SOCKET` systemd passes (a path, or an abstract name starting with `@`), as sd_notify(3) does; without that
/// variable it does nothing. A message that cannot be sent is dropped: systemd's absence never stops the gateway.
public struct SystemdNotifier: Sendable {
    private let address: (socket: sockaddr_un, length: socklen_t)?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        address = environment["NOTIFY_SOCKET"].flatMap(Self.address)
    }

    public func ready() { send("READY=1\nSTATUS=listening") }

    /// Before a reload; `MONOTONIC_USEC` lets `Type=notify-reload` units match it to the signal they sent.
    public func reloading() {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        send("RELOADING=1\nMONOTONIC_USEC=\(Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000)")
    }

    public func stopping() { send("STOPPING=1") }

    private func send(_ message: String) {
        guard let (socketAddress, length) = address else { return }
        var target = socketAddress
        let socket = Foundation.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { return }
        defer { close(socket) }
        _ = Array(message.utf8).withUnsafeBytes { bytes in
            withUnsafePointer(to: &target) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(socket, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), $0, length)
                }
            }
        }
    }

    /// The socket's address and its length: `@name` is Linux's abstract namespace (a leading NUL, no trailing one);
    /// nil when it is neither a path nor a name, or does not fit.
    static func address(_ text: String) -> (socket: sockaddr_un, length: socklen_t)? {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.first == UInt8(ascii: "/") || bytes.first == UInt8(ascii: "@") else { return nil }
        if bytes[0] == UInt8(ascii: "@") { bytes[0] = 0 }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { path in
            path.copyBytes(from: bytes)
        }
        return (address, socklen_t(MemoryLayout<sa_family_t>.size + bytes.count))
    }
}
