package dev.quiver.redis.ledger;

import dev.quiver.agent.ledger.MessageLedger;
import dev.quiver.agent.ledger.MessageLedger.Claim;
import dev.quiver.agent.ledger.MessageLedgerContract;
import dev.quiver.error.QuiverException;
import dev.quiver.error.Stages;
import dev.quiver.testing.redis.RedisServer;
import io.opentelemetry.api.trace.TracerProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link RedisMessageLedger} against a real redis-server: the ledger contract, expiry, and a Redis that is down. */
class RedisMessageLedgerIT extends MessageLedgerContract {

    private static RedisServer server;
    private final List<RedisMessageLedger> opened = new ArrayList<>();
    private String prefix = "quiver:test:" + UUID.randomUUID();

    @BeforeAll
    static void start() {
        server = RedisServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void closeLedgers() {
        opened.forEach(RedisMessageLedger::close);
    }

    private RedisMessageLedger open(Duration retention) {
        RedisMessageLedger l = new RedisMessageLedger(server.uri(), prefix, Duration.ofSeconds(2), retention,
                TracerProvider.noop().get("test"));
        opened.add(l);
        return l;
    }

    @Override
    protected MessageLedger ledger() {
        prefix = "quiver:test:" + UUID.randomUUID();
        return open(Duration.ofHours(1));
    }

    @Override
    protected MessageLedger reopened() {
        return open(Duration.ofHours(1));
    }

    @Test
    void anIdIsForgottenAfterTheRetentionCountedFromItsClaim() throws InterruptedException {
        prefix = "quiver:test:" + UUID.randomUUID();
        RedisMessageLedger l = open(Duration.ofMillis(300));
        assertThat(Stages.join(l.claim("old"))).isEqualTo(Claim.FIRST);
        Stages.join(l.record("old", "answer"));
        assertThat(server.client().call("PTTL", prefix + ":old")).isInstanceOf(Long.class)
                .satisfies(ttl -> assertThat((Long) ttl).isBetween(1L, 300L));

        Thread.sleep(600);

        assertThat(Stages.join(l.claim("old"))).isEqualTo(Claim.FIRST);
    }

    @Test
    void aRedisThatIsDownFailsTheCallAsUnavailable() {
        RedisMessageLedger l = new RedisMessageLedger("redis://127.0.0.1:1", "quiver:test", Duration.ofMillis(200),
                Duration.ofHours(1), TracerProvider.noop().get("test"));
        opened.add(l);

        assertThatThrownBy(() -> Stages.join(l.claim("m"))).isInstanceOfSatisfying(QuiverException.class,
                e -> assertThat(e.kind()).isEqualTo(QuiverException.Kind.UNAVAILABLE));
    }

    @Test
    void invalidOptionsAreNamed() {
        var tracer = TracerProvider.noop().get("t");
        assertThatThrownBy(() -> new RedisMessageLedger("http://x", "p", Duration.ofSeconds(1), Duration.ofHours(1),
                tracer)).hasMessageStartingWith("uri:");
        assertThatThrownBy(() -> new RedisMessageLedger(server.uri(), " ", Duration.ofSeconds(1), Duration.ofHours(1),
                tracer)).hasMessageStartingWith("key-prefix:");
        assertThatThrownBy(() -> new RedisMessageLedger(server.uri(), "p", Duration.ofSeconds(1), Duration.ZERO,
                tracer)).hasMessageStartingWith("retention:");
    }
}
