import NIOSSL
import PostgresNIO

/// `sslmode` as libpq means it. `prefer` and `require` encrypt without asking who answers: a
/// PostgreSQL server's certificate is most often self-signed, and whoever can stand between client
/// and server can strip `prefer` to plain text anyway. So neither reads the system's trust store,
/// which alone cost about 10 ms per connection setting (twice per command). `verify-full` checks the
/// certificate against the system's trust roots and the host name, and refuses a server without TLS.
extension PostgresLocation.TLSMode {
    /// For the pool.
    var clientTLS: PostgresClient.Configuration.TLS {
        switch self {
        case .disable: .disable
        case .prefer: .prefer(Self.encryptOnly)
        case .require: .require(Self.encryptOnly)
        case .verifyFull: .require(.makeClientConfiguration())
        }
    }

    /// For the one connection that runs the migrations.
    func connectionTLS() throws -> PostgresConnection.Configuration.TLS {
        switch self {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: Self.encryptOnly))
        case .require: .require(try NIOSSLContext(configuration: Self.encryptOnly))
        case .verifyFull: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }

    private static var encryptOnly: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        return configuration
    }
}
