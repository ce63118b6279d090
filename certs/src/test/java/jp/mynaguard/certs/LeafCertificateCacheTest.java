package jp.mynaguard.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LeafCertificateCacheTest {
    static CertificateAuthority ca;

    @BeforeAll
    static void ca() throws Exception {
        ca = CertificateAuthority.create("Cache Test CA", Instant.now());
    }

    @Test
    void aBurstForOneNewHostMintsOnce() throws Exception {
        LeafCertificateCache cache = new LeafCertificateCache(new LeafMinter(ca), CertLimits.LEAF_CACHE_SIZE, Clock.systemUTC());
        int threads = 50;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<CertificateAuthority.ServerCertificate>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return cache.forHost("burst.example.com");
                }));
            }
            CertificateAuthority.ServerCertificate first = results.get(0).get();
            for (Future<CertificateAuthority.ServerCertificate> f : results) {
                assertSame(first, f.get(), "every thread got the one minted certificate");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, cache.mintedCount());
    }

    @Test
    void aSlowMintMakesConcurrentCallersWaitForItInsteadOfMintingAgain() throws Exception {
        // The minting thread is held until every other caller has entered forHost and is waiting:
        // without single-flight they would each have started a mint of their own by then.
        int threads = 50;
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger mints = new java.util.concurrent.atomic.AtomicInteger();
        LeafMinter real = new LeafMinter(ca);
        LeafCertificateCache cache = new LeafCertificateCache(real, 10, new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                // Called once per mint, inside the loader.
                mints.incrementAndGet();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Instant.now();
            }
        });
        List<Thread> callers = new ArrayList<>();
        ConcurrentHashMap<CertificateAuthority.ServerCertificate, Boolean> seen = new ConcurrentHashMap<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    seen.put(cache.forHost("slow.example.com"), true);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            callers.add(t);
            t.start();
        }
        for (Thread t : callers) {
            while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING
                    && t.getState() != Thread.State.BLOCKED) {
                Thread.onSpinWait();
            }
        }
        release.countDown();
        for (Thread t : callers) {
            t.join();
        }
        assertEquals(1, mints.get());
        assertEquals(1, cache.mintedCount());
        assertEquals(1, seen.size());
    }

    @Test
    void keepsAtMostItsBoundAndDropsTheLeastRecentlyUsed() throws Exception {
        int bound = 5;
        LeafCertificateCache cache = new LeafCertificateCache(new LeafMinter(ca), bound, Clock.systemUTC());
        for (int i = 0; i < bound; i++) {
            cache.forHost("h" + i + ".example");
        }
        assertEquals(bound, cache.mintedCount());
        cache.forHost("h0.example"); // h0 is now the most recently used; h1 the least
        cache.forHost("new.example");
        assertEquals(bound + 1, cache.mintedCount());
        assertEquals(bound, cache.size());
        cache.forHost("h0.example");
        assertEquals(bound + 1, cache.mintedCount(), "h0 was kept");
        cache.forHost("h1.example");
        assertEquals(bound + 2, cache.mintedCount(), "h1 was dropped and minted again");
        for (int i = 0; i < 3 * bound; i++) {
            cache.forHost("more" + i + ".example");
            assertTrue(cache.size() <= bound);
        }
    }

    @Test
    void spellingsOfOneHostShareAnEntry() throws Exception {
        LeafCertificateCache cache = LeafCertificateCache.forAuthority(ca);
        CertificateAuthority.ServerCertificate a = cache.forHost("Bücher.Example");
        assertSame(a, cache.forHost("xn--bcher-kva.example."));
        assertSame(a, cache.forHost("bücher.example"));
        assertEquals(1, cache.mintedCount());
    }

    @Test
    void refusesNonHosts() throws Exception {
        LeafCertificateCache cache = LeafCertificateCache.forAuthority(ca);
        assertThrows(IllegalArgumentException.class, () -> cache.forHost("*.example.com"));
        assertThrows(IllegalArgumentException.class, () -> cache.forHost("a b"));
        assertEquals(0, cache.mintedCount());
    }
}
