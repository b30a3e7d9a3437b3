import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loopback TCP ports for test servers, so tests running in parallel never listen on the same one.
public enum Ports {
    private static let handedOut = Mutex(Set<Int>())

    /// A loopback TCP port nothing listens on right now (the kernel's pick for port 0), never the
    /// same one twice in this test process.
    public static func free() throws -> Int {
        let held = try RefusedPort()
        held.release()
        return held.port
    }

    /// Binds a socket to a loopback port of the kernel's choosing, never one handed out before in
    /// this test process; returns the socket, still bound, and its port.
    fileprivate static func bindNew() throws -> (descriptor: Int32, port: Int) {
        for _ in 0..<50 {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { throw SetupFailure("socket() failed: errno \(errno)") }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = 0
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                    bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
                }
            }
            guard bound else {
                close(descriptor)
                throw SetupFailure("bind() to 127.0.0.1:0 failed: errno \(errno)")
            }
            let port = Int(UInt16(bigEndian: address.sin_port))
            if handedOut.withLock({ $0.insert(port).inserted }) { return (descriptor, port) }
            close(descriptor)
        }
        throw SetupFailure("no free loopback port")
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    public static func accepts(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

/// A loopback port held bound but not listening, for a relay that is down: a connection to it is
/// refused at once, and no other program (a server another test starts on a port of the kernel's
/// choosing) can take it and leave the client waiting for a greeting, until `release()`.
public final class RefusedPort: @unchecked Sendable {
    public let port: Int
    private let descriptor: Mutex<Int32?>

    public init() throws {
        let (descriptor, port) = try Ports.bindNew()
        self.port = port
        self.descriptor = Mutex(descriptor)
    }

    /// Frees the port, for a server to listen on it.
    public func release() {
        descriptor.withLock { held in
            if let open = held { close(open) }
            held = nil
        }
    }

    deinit { release() }
}
