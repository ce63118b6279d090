package jp.mynaguard.bench;

import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import jp.mynaguard.certs.CaKeyType;
import jp.mynaguard.certs.CertLimits;
import jp.mynaguard.certs.CertificateAuthority;
import jp.mynaguard.certs.LeafCertificateCache;
import jp.mynaguard.certs.LeafMinter;

/**
 * The interception leaf cache as the proxy uses it, per CA key type. {@code firstCertificate}:
 * a host never seen before (normalise the name, miss, mint with one CA signature, insert; the
 * cache is full after the first 1 000 hosts, so most inserts also evict). {@code cachedLookup}:
 * the same host again (normalise, hit). Targets: first ≤ 5 ms median, cached ≤ 5 µs.
 */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class CertificateBenchmark {
    @Param({"EC_P256", "RSA_3072"})
    public String caKey;

    LeafCertificateCache cache;
    long next;

    @Setup
    public void setUp() throws GeneralSecurityException {
        CertificateAuthority ca = CertificateAuthority.create("Benchmark CA", Instant.now(), CaKeyType.valueOf(caKey));
        cache = new LeafCertificateCache(new LeafMinter(ca), CertLimits.LEAF_CACHE_SIZE, Clock.systemUTC());
        cache.forHost("www.example.co.jp");
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object firstCertificate() throws GeneralSecurityException {
        return cache.forHost("host" + (next++) + ".example.co.jp");
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Object cachedLookup() throws GeneralSecurityException {
        return cache.forHost("www.example.co.jp");
    }
}
