package dev.quiver.function.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.VertxByteBufAllocator;
import io.vertx.core.http.HttpServerResponse;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link PooledJsonWriter} against a response that records what it is given: the JSON in pooled memory, the writes a
 * large answer is split into, and when the memory goes back.
 */
class PooledJsonWriterTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int PART = PooledJsonWriter.WRITE_PART_BYTES;

    public record Answer(String text) {
    }

    /** An answer whose second property fails after the first has filled Jackson's buffer more than once. */
    public record Broken(String text, String broken) {
        @Override
        public String broken() {
            throw new IllegalStateException("cannot write this");
        }
    }

    /**
     * A response that keeps each write's bytes and the promise it answered with, so the test decides when the socket
     * is done with them; {@code failFromWrite} (from 0) makes that write and the later ones throw, as on a closed
     * connection.
     */
    private static final class Recorded {
        final List<byte[]> writes = new CopyOnWriteArrayList<>();
        final List<Promise<Void>> promises = new CopyOnWriteArrayList<>();
        final Map<String, String> headers = new LinkedHashMap<>();
        volatile boolean ended;
        int failFromWrite = Integer.MAX_VALUE;
        final HttpServerResponse response = (HttpServerResponse) Proxy.newProxyInstance(
                PooledJsonWriterTest.class.getClassLoader(), new Class<?>[] {HttpServerResponse.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "putHeader" -> {
                        headers.put(args[0].toString(), args[1].toString());
                        yield proxy;
                    }
                    case "write" -> sent(((Buffer) args[0]).getBytes(), false);
                    case "end" -> sent(args == null ? new byte[0] : ((Buffer) args[0]).getBytes(), true);
                    case "ended" -> ended;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "recorded response";
                    default -> throw new UnsupportedOperationException(method.getName());
                });

        private Future<Void> sent(byte[] bytes, boolean end) {
            if (writes.size() >= failFromWrite) {
                throw new IllegalStateException("Response is closed");
            }
            writes.add(bytes);
            ended |= end;
            Promise<Void> p = Promise.promise();
            promises.add(p);
            return p.future();
        }

        /** The socket takes every write made so far. */
        void flush() {
            promises.forEach(Promise::tryComplete);
        }

        String body() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            writes.forEach(all::writeBytes);
            return all.toString(StandardCharsets.UTF_8);
        }
    }

    private static ByteBuf encoded(int textLength) throws IOException {
        return PooledJsonWriter.encode(MAPPER.writer(), new Answer("x".repeat(textLength)));
    }

    private static String json(int textLength) throws IOException {
        return MAPPER.writeValueAsString(new Answer("x".repeat(textLength)));
    }

    @Test
    void encodesTheJsonIntoPooledDirectMemoryThatTheCallerOwns() throws Exception {
        ByteBuf out = encoded(100_000);

        assertThat(out.isDirect()).isTrue();
        assertThat(out.alloc()).isSameAs(VertxByteBufAllocator.POOLED_ALLOCATOR);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(json(100_000));
        assertThat(out.refCnt()).isEqualTo(1);
        out.release();
    }

    @Test
    void givesTheMemoryBackWhenWritingFails() {
        PooledByteBufAllocator pool = (PooledByteBufAllocator) VertxByteBufAllocator.POOLED_ALLOCATOR;
        long before = pool.pinnedDirectMemory();

        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> PooledJsonWriter.encode(MAPPER.writer(), new Broken("y".repeat(100_000), null)))
                    .isInstanceOf(IOException.class).hasMessageContaining("cannot write this");
        }

        assertThat(pool.pinnedDirectMemory()).isLessThanOrEqualTo(before);
    }

    @Test
    void aSmallAnswerIsOneWriteAndIsReleasedOnceTheSocketTookIt() throws Exception {
        Recorded r = new Recorded();
        ByteBuf body = encoded(PART - 100);

        PooledJsonWriter.send(r.response, body);

        assertThat(r.writes).hasSize(1);
        assertThat(r.ended).isTrue();
        assertThat(r.headers).doesNotContainKey("content-length");
        assertThat(r.body()).isEqualTo(json(PART - 100));
        assertThat(body.refCnt()).as("still the socket's").isEqualTo(1);
        r.flush();
        assertThat(body.refCnt()).isZero();
    }

    @Test
    void aLargeAnswerGoesInPartsWithItsLengthAndIsReleasedOnceEveryPartWasTaken() throws Exception {
        Recorded r = new Recorded();
        String expected = json(3 * PART);
        ByteBuf body = encoded(3 * PART);

        PooledJsonWriter.send(r.response, body);

        int length = expected.getBytes(StandardCharsets.UTF_8).length;
        assertThat(r.headers).containsEntry("content-length", Integer.toString(length));
        List<Integer> sizes = new ArrayList<>();
        r.writes.forEach(w -> sizes.add(w.length));
        // three full parts, the rest, and the end
        assertThat(sizes).containsExactly(PART, PART, PART, length - 3 * PART, 0);
        assertThat(r.body()).isEqualTo(expected);
        r.promises.get(0).complete();
        r.promises.get(1).complete();
        assertThat(body.refCnt()).as("parts still in the socket").isEqualTo(1);
        r.flush();
        assertThat(body.refCnt()).isZero();
    }

    @Test
    void onAnEventLoopTheLargeAnswerIsWrittenFromALaterTaskOfThatLoop() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Recorded r = new Recorded();
            ByteBuf body = encoded(2 * PART);
            Context loop = vertx.getOrCreateContext();
            CompletableFuture<Integer> writesDuringTheCall = new CompletableFuture<>();
            CompletableFuture<Integer> writesInTheNextTask = new CompletableFuture<>();

            loop.runOnContext(v -> {
                PooledJsonWriter.send(r.response, body);
                writesDuringTheCall.complete(r.writes.size());
                loop.runOnContext(w -> writesInTheNextTask.complete(r.writes.size()));
            });

            assertThat(writesDuringTheCall.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(writesInTheNextTask.get(10, TimeUnit.SECONDS)).isEqualTo(4);
            r.flush();
            assertThat(body.refCnt()).isZero();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aConnectionThatClosesMidwayStillGetsTheMemoryBack() throws Exception {
        Recorded r = new Recorded();
        r.failFromWrite = 2;
        ByteBuf body = encoded(3 * PART);

        PooledJsonWriter.send(r.response, body);

        assertThat(r.writes).hasSize(2);
        assertThat(r.ended).isFalse();
        r.flush();
        assertThat(body.refCnt()).isZero();
    }

    @Test
    void aSmallAnswerThatCannotBeSentIsReleasedAndTheFailureThrown() throws Exception {
        Recorded r = new Recorded();
        r.failFromWrite = 0;
        ByteBuf body = encoded(10);

        assertThatThrownBy(() -> PooledJsonWriter.send(r.response, body)).hasMessage("Response is closed");
        assertThat(body.refCnt()).isZero();
    }
}
