package dev.quiver.function.http;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link EventLoopBatcher} on real Vert.x event loops: which items share a batch, and what a failing flush does. */
class EventLoopBatcherTest {

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** What a batcher under test did: each flushed batch with its thread, and each item handed to failed. */
    private static final class Recorder {
        final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
        final List<String> flushThreads = new CopyOnWriteArrayList<>();
        final Map<Integer, Throwable> failed = new ConcurrentHashMap<>();

        EventLoopBatcher<Integer> batcher(Consumer<List<Integer>> then) {
            return batcher(then, failed::put);
        }

        EventLoopBatcher<Integer> batcher(Consumer<List<Integer>> then, BiConsumer<Integer, Throwable> onFailed) {
            return new EventLoopBatcher<>(batch -> {
                batches.add(List.copyOf(batch));
                flushThreads.add(Thread.currentThread().getName());
                then.accept(batch);
            }, onFailed);
        }
    }

    /** Runs {@code task} as one task of {@code context} and waits for it; what it returns is what it saw. */
    private static <T> T onLoop(Context context, java.util.function.Supplier<T> task) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                done.complete(task.get());
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done.get(10, TimeUnit.SECONDS);
    }

    /** A new event-loop context: made on a new thread, since Vert.x gives a thread outside it the same one again. */
    private static Context freshContext() throws Exception {
        CompletableFuture<Context> made = new CompletableFuture<>();
        new Thread(() -> made.complete(vertx.getOrCreateContext())).start();
        return made.get(10, TimeUnit.SECONDS);
    }

    private static void awaitBatches(Recorder r, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (r.batches.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(r.batches).hasSizeGreaterThanOrEqualTo(count);
    }

    @Test
    void itemsAddedInOneTurnAreFlushedTogetherOnceTheTurnEnds() throws Exception {
        Recorder r = new Recorder();
        EventLoopBatcher<Integer> batcher = r.batcher(batch -> { });
        Context loop = freshContext();

        String[] addThread = new String[1];
        int flushedDuringTheTurn = onLoop(loop, () -> {
            addThread[0] = Thread.currentThread().getName();
            batcher.add(loop, 1);
            batcher.add(loop, 2);
            batcher.add(loop, 3);
            return r.batches.size();
        });
        awaitBatches(r, 1);

        assertThat(flushedDuringTheTurn).isZero();
        assertThat(r.batches).containsExactly(List.of(1, 2, 3));
        assertThat(r.flushThreads).containsExactly(addThread[0]);
    }

    @Test
    void anItemOfALaterTurnStartsABatchOfItsOwn() throws Exception {
        Recorder r = new Recorder();
        EventLoopBatcher<Integer> batcher = r.batcher(batch -> { });
        Context loop = freshContext();

        onLoop(loop, () -> {
            batcher.add(loop, 1);
            return null;
        });
        awaitBatches(r, 1);
        onLoop(loop, () -> {
            batcher.add(loop, 2);
            return null;
        });
        awaitBatches(r, 2);

        assertThat(r.batches).containsExactly(List.of(1), List.of(2));
    }

    @Test
    void eachEventLoopGathersItsOwnItems() throws Exception {
        Recorder r = new Recorder();
        EventLoopBatcher<Integer> batcher = r.batcher(batch -> { });
        Context first = freshContext();
        String firstThread = onLoop(first, () -> Thread.currentThread().getName());
        Context second = freshContext();
        String secondThread = onLoop(second, () -> Thread.currentThread().getName());
        for (int i = 0; i < 4 && secondThread.equals(firstThread); i++) {
            second = freshContext();
            secondThread = onLoop(second, () -> Thread.currentThread().getName());
        }
        assertThat(secondThread).as("a second event loop").isNotEqualTo(firstThread);

        // each loop adds, then waits until the other has added too, so both batches are open at once
        java.util.concurrent.CountDownLatch added = new java.util.concurrent.CountDownLatch(2);
        for (Context loop : List.of(first, second)) {
            int base = loop == first ? 0 : 10;
            loop.runOnContext(v -> {
                batcher.add(loop, base);
                batcher.add(loop, base + 1);
                added.countDown();
                try {
                    added.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        awaitBatches(r, 2);

        List<List<Integer>> sorted = new ArrayList<>(r.batches);
        sorted.sort((a, b) -> a.get(0) - b.get(0));
        assertThat(sorted).containsExactly(List.of(0, 1), List.of(10, 11));
        assertThat(r.flushThreads).containsExactlyInAnyOrder(firstThread, secondThread);
    }

    @Test
    void aFlushThatThrowsHandsEachOfItsItemsToFailedAndTheNextTurnStartsClean() throws Exception {
        Recorder r = new Recorder();
        IllegalStateException boom = new IllegalStateException("boom");
        boolean[] throwNext = {true};
        EventLoopBatcher<Integer> batcher = r.batcher(batch -> {
            if (throwNext[0]) {
                throwNext[0] = false;
                throw boom;
            }
        });
        Context loop = freshContext();

        onLoop(loop, () -> {
            batcher.add(loop, 1);
            batcher.add(loop, 2);
            return null;
        });
        awaitBatches(r, 1);
        onLoop(loop, () -> {
            batcher.add(loop, 3);
            return null;
        });
        awaitBatches(r, 2);

        assertThat(r.failed).containsOnlyKeys(1, 2).containsValue(boom);
        assertThat(r.batches).containsExactly(List.of(1, 2), List.of(3));
    }

    @Test
    void anItemWhoseFailureHandlerThrowsDoesNotKeepTheOthersFromTheirs() throws Exception {
        List<Integer> failed = Collections.synchronizedList(new ArrayList<>());
        Recorder r = new Recorder();
        EventLoopBatcher<Integer> batcher = r.batcher(batch -> {
            throw new IllegalStateException("boom");
        }, (item, t) -> {
            failed.add(item);
            if (item == 1) {
                throw new IllegalStateException("the connection is gone");
            }
        });
        Context loop = freshContext();

        onLoop(loop, () -> {
            batcher.add(loop, 1);
            batcher.add(loop, 2);
            return null;
        });
        awaitBatches(r, 1);
        Thread.sleep(50);

        assertThat(failed).containsExactly(1, 2);
    }

    @Test
    void anErrorIsHandedToEveryItemAndThenRethrownForVertxToReport() throws Exception {
        Recorder r = new Recorder();
        StackOverflowError deep = new StackOverflowError("deep inside");
        EventLoopBatcher<Integer> batcher = r.batcher(batch -> {
            throw deep;
        });
        CompletableFuture<Throwable> reported = new CompletableFuture<>();
        Context loop = freshContext();
        loop.exceptionHandler(reported::complete);

        onLoop(loop, () -> {
            batcher.add(loop, 1);
            batcher.add(loop, 2);
            return null;
        });

        assertThat(reported.get(10, TimeUnit.SECONDS)).isSameAs(deep);
        assertThat(r.failed).containsOnlyKeys(1, 2).containsValue(deep);
    }
}
