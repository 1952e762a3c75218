package dev.quiver.rollout;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The shadow queue's own contract: its bound, its batches, its one thread, and how it stops. */
class ShadowQueueTest {

    /** A copy of {@code rows} rows, named for the assertions. */
    record Copy(String name, int rows) {
    }

    private final List<List<String>> scored = new CopyOnWriteArrayList<>();
    private final List<String> threads = new CopyOnWriteArrayList<>();
    private ShadowQueue<Copy> queue;

    private ShadowQueue<Copy> queue(int capacity, int maxRows, Consumer<List<Copy>> score) {
        queue = new ShadowQueue<>(capacity, maxRows, Copy::rows, batch -> {
            threads.add(Thread.currentThread().getName());
            score.accept(batch);
            scored.add(batch.stream().map(Copy::name).toList());
        }, "test-shadow");
        return queue;
    }

    @AfterEach
    void tearDown() {
        if (queue != null) {
            queue.close();
        }
    }

    @Test
    void aFullQueueDropsTheCopyAndCountsItWithoutWaiting() throws Exception {
        CountDownLatch scoring = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ShadowQueue<Copy> q = queue(2, 100, batch -> {
            scoring.countDown();
            hold(release);
        });
        assertThat(q.offer(new Copy("busy", 1))).isTrue();
        assertThat(scoring.await(5, TimeUnit.SECONDS)).as("the thread holds the first copy").isTrue();

        assertThat(q.offer(new Copy("a", 1))).isTrue();
        assertThat(q.offer(new Copy("b", 1))).isTrue();
        assertThat(q.offer(new Copy("c", 1))).as("beyond the bound").isFalse();
        assertThat(q.dropped()).isEqualTo(1);
        assertThat(q.waiting()).isEqualTo(2);

        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> scored.size() == 2);
        assertThat(scored).containsExactly(List.of("busy"), List.of("a", "b"));
        assertThat(q.waiting()).isZero();
    }

    @Test
    void aBatchTakesCopiesInOrderUpToTheRowLimitAndAtLeastOneCopy() throws Exception {
        CountDownLatch scoring = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ShadowQueue<Copy> q = queue(100, 4, batch -> {
            if (batch.get(0).name().equals("hold")) {
                scoring.countDown();
                hold(release);
            }
        });
        q.offer(new Copy("hold", 1));
        assertThat(scoring.await(5, TimeUnit.SECONDS)).isTrue();
        q.offer(new Copy("a", 3));
        q.offer(new Copy("b", 2));
        q.offer(new Copy("c", 2));
        q.offer(new Copy("big", 9));
        q.offer(new Copy("d", 1));

        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> scored.size() == 5);
        assertThat(scored).containsExactly(List.of("hold"), List.of("a"), List.of("b", "c"), List.of("big"),
                List.of("d"));
    }

    @Test
    void everyBatchIsScoredOnTheQueuesOneThreadAndAFailureDoesNotStopIt() {
        ShadowQueue<Copy> q = queue(100, 1, batch -> {
            if (batch.get(0).name().equals("bad")) {
                throw new IllegalStateException("the challenger failed");
            }
        });
        q.offer(new Copy("bad", 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> threads.size() == 1);
        q.offer(new Copy("good", 1));

        await().atMost(Duration.ofSeconds(5)).until(() -> scored.contains(List.of("good")));
        assertThat(threads).containsOnly("test-shadow");
        assertThat(scored).doesNotContain(List.of("bad"));
    }

    @Test
    void aCopyWakesTheThreadAfterItFellAsleep() {
        ShadowQueue<Copy> q = queue(100, 10, batch -> { });
        q.offer(new Copy("first", 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> scored.size() == 1);
        // a second without copies: the thread parks until the next one
        await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> true);

        q.offer(new Copy("later", 1));

        await().atMost(Duration.ofSeconds(2)).until(() -> scored.size() == 2);
        assertThat(scored.get(1)).containsExactly("later");
    }

    @Test
    void closeStopsTheThreadAfterItsBatchAndLaterCopiesAreIgnored() throws Exception {
        CountDownLatch scoring = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ShadowQueue<Copy> q = queue(100, 1, batch -> {
            if (batch.get(0).name().equals("hold")) {
                scoring.countDown();
                hold(release);
            }
        });
        q.offer(new Copy("hold", 1));
        assertThat(scoring.await(5, TimeUnit.SECONDS)).isTrue();
        q.offer(new Copy("waiting", 1));

        q.close();
        release.countDown();

        assertThat(q.awaitStopped(5000)).isTrue();
        assertThat(scored).containsExactly(List.of("hold"));
        assertThat(q.offer(new Copy("after", 1))).isFalse();
        assertThat(q.dropped()).as("ignored, not dropped").isZero();
    }

    @Test
    void aQueueThatNeverGotACopyStartsNoThread() throws Exception {
        ShadowQueue<Copy> q = queue(1, 1, batch -> { });
        q.close();
        assertThat(q.awaitStopped(0)).isTrue();
        assertThat(threads).isEmpty();
    }

    @Test
    void itsLimitsAreChecked() {
        assertThatThrownBy(() -> new ShadowQueue<Copy>(-1, 1, Copy::rows, b -> { }, "t"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ShadowQueue<Copy>(1, 0, Copy::rows, b -> { }, "t"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void hold(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
