import NIOCore
import NIOPosix
import PosternCore

/// Binds each address once before anything starts, so a listener that cannot bind stops the gateway with the
/// address and the cause (`cannot listen on 127.0.0.1:8080: Address already in use`), before the store opens.
enum ListenerCheck {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func requireBindable(_ addresses: [ListenAddress]) async throws {
        for address in addresses {
            do {
                // As the listeners bind: a port left in TIME_WAIT by the last run is free to take.
                let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .bind(host: address.host, port: address.port).get()
                try await channel.close()
            } catch {
                throw Failure(description: "cannot listen on \(address): \(error)")
            }
        }
    }
}
