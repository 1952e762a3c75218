package dev.quiver.redis.rollouts;

import dev.quiver.error.QuiverException;
import dev.quiver.redis.RedisFixture;
import dev.quiver.rollout.Rollout;
import dev.quiver.rollout.RolloutPolicy;
import dev.quiver.rollout.RolloutStore;
import dev.quiver.rollout.RolloutStoreContract;
import dev.quiver.testing.SimClock;
import dev.quiver.testing.net.Ports;
import io.opentelemetry.api.trace.TracerProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link RedisRolloutStore} against a real redis-server, held to what every rollout store promises. */
class RedisRolloutStoreIT extends RolloutStoreContract {

    /** Each test its own keys, so that tests share one server without seeing each other. */
    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture("quiver:rollouts");

    private RedisRolloutStore open(String uri, Duration tallyRetention) {
        return REDIS.open(new RedisRolloutStore(uri, REDIS.prefix(), Duration.ofSeconds(2), tallyRetention,
                TracerProvider.noop().get("test")));
    }

    @Override
    protected RolloutStore store() {
        return open(REDIS.server().uri(), Duration.ofDays(7));
    }

    @Override
    protected RolloutStore another() {
        return store();
    }

    @Test
    void aTallyExpiresAfterItsRetention() throws InterruptedException {
        RedisRolloutStore store = open(REDIS.server().uri(), Duration.ofMillis(300));
        Rollout r = new Rollout("churn/t1", RolloutPolicy.of(RolloutPolicy.Strategy.CANARY), "1", "2", new SimClock());
        store.replace("churn", null, r.state());
        store.saveTally("churn", "i-1", r.tally());
        assertThat(store.tallies("churn", r.state().window())).containsOnlyKeys("i-1");

        Thread.sleep(800);

        assertThat(store.tallies("churn", r.state().window())).isEmpty();
        assertThat(store.load("churn")).as("the state itself does not expire").isPresent();
    }

    @Test
    void anUnreachableRedisIsUnavailableAndBadOptionsAreNamed() {
        RedisRolloutStore down = open("redis://127.0.0.1:" + Ports.freeLoopbackPort(), Duration.ofDays(1));
        assertThatThrownBy(() -> down.load("churn")).isInstanceOf(QuiverException.class)
                .extracting(e -> ((QuiverException) e).kind()).isEqualTo(QuiverException.Kind.UNAVAILABLE);
        assertThatThrownBy(() -> open(REDIS.server().uri(), Duration.ZERO)).hasMessageStartingWith("tally-retention:");
        assertThatThrownBy(() -> open("http://cache:6379", Duration.ofDays(1))).hasMessageContaining("uri");
    }
}
