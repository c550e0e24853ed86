package io.sipvane.sip.dns;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.sipvane.core.config.DnsSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Resolves destination host names off the SIP listener threads, with a cache that honours
 * {@code dns.ttl_ms} and remembers failures for {@code dns.negative_ttl_ms}.
 *
 * <p>Implementation note: a Caffeine {@link AsyncCache} of futures, so concurrent calls to the
 * same name share one lookup, and a per-entry expiry that gives answers and failures their
 * own lifetimes. Lookups run on a small dedicated pool; a call waiting for one is parked in
 * its future, not on a thread. the stack's hop router hands the cached address to the stack, so
 * the stack does not look the name up again; where it still does (an in-dialog request to a
 * Contact named by host), the JVM's address cache has the same lifetimes.
 */
public final class DnsCache implements AutoCloseable {
    /** Looks a name up; {@code InetAddress::getByName} outside tests. */
    public interface Resolver {
        InetAddress resolve(String host) throws UnknownHostException;
    }

    private final ExecutorService pool;
    private final AsyncCache<String, Result> cache;
    private final Resolver resolver;
    private final java.util.function.Function<String, String> users;
    private final int negativeTtlMs;

    public DnsCache(DnsSettings settings, Resolver resolver) {
        this(settings, resolver, host -> "");
    }

    /**
     * @param users names the origination URIs (id, name, URI) that use a host name, for the
     *              WARN logged once per failed lookup
     */
    public DnsCache(DnsSettings settings, Resolver resolver, java.util.function.Function<String, String> users) {
        this.resolver = resolver;
        this.users = users;
        this.negativeTtlMs = settings.negativeTtlMs();
        this.pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "sipvane-dns");
            t.setDaemon(true);
            return t;
        });
        long ttl = TimeUnit.MILLISECONDS.toNanos(settings.ttlMs());
        long negative = TimeUnit.MILLISECONDS.toNanos(settings.negativeTtlMs());
        this.cache = Caffeine.newBuilder().maximumSize(10_000).executor(pool)
                .expireAfter(new Expiry<String, Result>() {
                    @Override
                    public long expireAfterCreate(String host, Result r, long now) {
                        return r.address() != null ? ttl : negative;
                    }

                    @Override
                    public long expireAfterUpdate(String host, Result r, long now, long current) {
                        return expireAfterCreate(host, r, now);
                    }

                    @Override
                    public long expireAfterRead(String host, Result r, long now, long current) {
                        return current;
                    }
                }).buildAsync();
    }

    /** Sets the JVM's address cache to the configured lifetimes; call before any lookup. */
    public static void configureJvmCache(DnsSettings settings) {
        java.security.Security.setProperty("networkaddress.cache.ttl", Long.toString(Math.max(1, settings.ttlMs() / 1000)));
        java.security.Security.setProperty("networkaddress.cache.negative.ttl",
                Long.toString(Math.max(0, settings.negativeTtlMs() / 1000)));
    }

    /** The address of {@code host}; fails with {@link UnknownHostException}. Never blocks. */
    public CompletableFuture<InetAddress> resolve(String host) {
        return cache.get(host, (name, executor) -> lookup(name, executor)).thenCompose(r -> r.address() != null
                ? CompletableFuture.completedFuture(r.address())
                : CompletableFuture.failedFuture(new UnknownHostException(name(host, r))));
    }

    /** The cached address of {@code host}, or {@code null} when none is known now. */
    public InetAddress cached(String host) {
        CompletableFuture<Result> f = cache.getIfPresent(host);
        if (f == null || !f.isDone() || f.isCompletedExceptionally()) {
            return null;
        }
        return f.join().address();
    }

    private CompletableFuture<Result> lookup(String host, Executor executor) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new Result(resolver.resolve(host), null);
            } catch (UnknownHostException | RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(DnsCache.class).warn(
                        "cannot resolve {} for {}: {}; calls skip it, next lookup in {} ms", host, users.apply(host),
                        e.toString(), negativeTtlMs);
                return new Result(null, e.getMessage() == null ? host : e.getMessage());
            }
        }, executor);
    }

    private static String name(String host, Result r) {
        return r.error() == null ? host : r.error();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** An answer or a remembered failure. */
    private record Result(InetAddress address, String error) {}
}
