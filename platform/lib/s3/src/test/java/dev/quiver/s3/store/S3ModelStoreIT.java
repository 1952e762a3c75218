package dev.quiver.s3.store;

import dev.quiver.registry.ModelStore;
import dev.quiver.registry.ModelStoreContract;
import dev.quiver.testing.files.TempDirectory;
import dev.quiver.testing.s3.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every model store promises, held by {@link S3ModelStore} over a real S3-compatible server: each test gets a
 * fresh key prefix in one bucket, and every store, the other instances' included, a cache directory of its own. The
 * server refuses a second {@code If-None-Match: *} put of a key as S3 does (see {@link S3ProxyConditionalWritesIT}),
 * so the contract's tests of instances racing for the same aliases hold the store to S3's answer.
 */
class S3ModelStoreIT extends ModelStoreContract {

    private static final AtomicInteger TESTS = new AtomicInteger();
    private static S3Server server;

    private final List<S3ModelStore> stores = new ArrayList<>();
    private final List<Path> caches = new ArrayList<>();
    private String prefix;

    @BeforeAll
    static void startServer() {
        server = S3Server.start("models");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void closeStores() {
        stores.forEach(S3ModelStore::close);
        caches.forEach(TempDirectory::delete);
    }

    @Override
    protected ModelStore store() {
        prefix = "contract-" + TESTS.incrementAndGet() + "/";
        return open();
    }

    @Override
    protected ModelStore another() {
        return open();
    }

    private S3ModelStore open() {
        Path cache = TempDirectory.create("s3-cache-");
        caches.add(cache);
        S3ModelStore store = S3ModelStore.create(TestS3.options(server, prefix, cache));
        stores.add(store);
        return store;
    }
}
