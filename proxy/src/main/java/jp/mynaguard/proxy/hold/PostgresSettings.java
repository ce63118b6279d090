package jp.mynaguard.proxy.hold;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The shared hold store on PostgreSQL ({@code hold: store:} in gateway.yaml). The password is
 * read from a file so the configuration can be shared and checked in.
 *
 * @param jdbcUrl      e.g. {@code jdbc:postgresql://db.example.co.jp:5432/mynaguard}
 * @param passwordFile first line is the password; {@code null} for none (e.g. peer or certificate authentication)
 * @param poolSize     connections per gateway instance
 */
public record PostgresSettings(String jdbcUrl, String user, Path passwordFile, int poolSize) {
    /** Enough for the console, the scheduler and the SMTP workers of one instance at once. */
    public static final int DEFAULT_POOL_SIZE = 8;

    public PostgresSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbc_url must start with jdbc:postgresql:");
        }
        if (poolSize < 1 || poolSize > 100) {
            throw new IllegalArgumentException("pool_size must be between 1 and 100");
        }
    }

    @Override
    public String toString() {
        // Never the password; the URL may carry a user name, which is fine to log.
        return jdbcUrl + (user == null ? "" : " as " + user);
    }
}
