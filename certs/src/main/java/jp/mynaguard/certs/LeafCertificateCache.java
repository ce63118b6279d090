package jp.mynaguard.certs;

import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import com.google.common.cache.CacheBuilder;
import com.google.common.cache.CacheLoader;
import com.google.common.cache.LoadingCache;
import com.google.common.util.concurrent.UncheckedExecutionException;

/**
 * The interception leaves by host: a bounded least-recently-used cache in front of a
 * {@link LeafMinter}. A burst of tunnels to a host not seen before mints its certificate once:
 * the first caller mints, the others wait for that result (Guava's per-key loading). Host names
 * are normalised first ({@link HostName}), so {@code Bücher.example}, {@code bücher.example.} and
 * {@code xn--bcher-kva.example} share one entry.
 */
public final class LeafCertificateCache implements HostCertificates {
    private final LeafMinter minter;
    private final Clock clock;
    private final AtomicLong minted = new AtomicLong();
    private final LoadingCache<HostName, CertificateAuthority.ServerCertificate> cache;

    /**
     * @param maxEntries at most this many leaves are kept; the least recently used go first
     */
    public LeafCertificateCache(LeafMinter minter, int maxEntries, Clock clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("the leaf cache needs room for at least one certificate");
        }
        this.minter = Objects.requireNonNull(minter, "minter");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cache = CacheBuilder.newBuilder()
                // One segment: eviction is exact LRU over the whole cache, not per segment. Reads
                // stay lock-free; only inserting a new host takes the lock, and minting runs outside it.
                .concurrencyLevel(1)
                .maximumSize(maxEntries)
                .expireAfterWrite(CertLimits.LEAF_CACHE_TTL)
                .build(new CacheLoader<>() {
                    @Override
                    public CertificateAuthority.ServerCertificate load(HostName host) throws GeneralSecurityException {
                        minted.incrementAndGet();
                        return LeafCertificateCache.this.minter.mint(host, LeafCertificateCache.this.clock.instant());
                    }
                });
    }

    /** A cache of {@link CertLimits#LEAF_CACHE_SIZE} leaves from a new minter for {@code ca}. */
    public static LeafCertificateCache forAuthority(CertificateAuthority ca) throws GeneralSecurityException {
        return new LeafCertificateCache(new LeafMinter(ca), CertLimits.LEAF_CACHE_SIZE, Clock.systemUTC());
    }

    /**
     * @throws IllegalArgumentException when {@code host} is not a host name or IP literal
     */
    @Override
    public CertificateAuthority.ServerCertificate forHost(String host) throws GeneralSecurityException {
        HostName name = HostName.of(host);
        try {
            return cache.get(name);
        } catch (ExecutionException | UncheckedExecutionException e) {
            if (e.getCause() instanceof GeneralSecurityException g) {
                throw g;
            }
            throw new GeneralSecurityException("cannot mint a certificate for " + name, e.getCause());
        }
    }

    /** How many leaves were minted so far (cache misses that completed or failed). */
    public long mintedCount() {
        return minted.get();
    }

    /** Leaves held now. */
    public long size() {
        cache.cleanUp();
        return cache.size();
    }

    public CertificateAuthority authority() {
        return minter.authority();
    }
}
