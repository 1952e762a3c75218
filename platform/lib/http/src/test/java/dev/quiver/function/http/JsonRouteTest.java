package dev.quiver.function.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.error.QuiverException;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.impl.VertxByteBufAllocator;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JsonRoute} on a real Vert.x HTTP server, called over loopback: how each way a function can answer or fail
 * reaches the caller, and which thread answers.
 */
class JsonRouteTest {

    /** The request: what to say and how the function should answer. */
    public record Ask(String text) {
    }

    /** The answer: the text, and whether an event loop or a worker thread produced it. */
    public record Said(String text, String thread) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private static Vertx vertx;
    private static HttpServer server;
    /**
     * The same door on a server that compresses, behind a handler that marks every answer identity, as Quarkus does.
     */
    private static HttpServer compressing;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        Router router = Router.router(vertx);
        door(ask -> ask.text().equals("block")).install(router, "/ask", 1 << 20);
        JsonRoute.async(MAPPER, Ask.class, Said.class, JsonRouteTest::answer, ask -> new Said(ask.text(), thread()),
                ask -> false, calls -> calls.stream().map(call -> (CompletionStage<Said>) CompletableFuture
                        .completedFuture(new Said(call.request().text() + " of " + calls.size(), thread()))).toList())
                .install(router, "/batch", 1 << 20);
        server = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);

        Router marked = Router.router(vertx);
        marked.route("/ask").order(-200).handler(ctx -> {
            ctx.response().putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
            ctx.next();
        });
        door(ask -> false).onCompressingServer(true).install(marked, "/ask", 1 << 20);
        // a door that does not let the server compress, with nothing else marking its answers
        door(ask -> false).onCompressingServer(false).install(marked, "/quiet", 1 << 20);
        compressing = vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(true)
                        .setCompressionLevel(1)).requestHandler(marked).listen(0).toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The door under test: {@link #answer} on the event loop, or the echo on a worker thread when it blocks. */
    private static JsonRoute<Ask, Said> door(Predicate<Ask> blocks) {
        return JsonRoute.async(MAPPER, Ask.class, Said.class, JsonRouteTest::answer,
                ask -> new Said(ask.text(), thread()), blocks, null);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The event-loop function: the text picks the way it answers. */
    private static CompletionStage<Said> answer(Ask ask) {
        String text = ask.text();
        return switch (text) {
            case "later" -> CompletableFuture.supplyAsync(() -> new Said(text, thread()),
                    CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
            case "cancelled" -> {
                CompletableFuture<Said> f = new CompletableFuture<>();
                CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS).execute(() -> f.cancel(false));
                yield f;
            }
            case "bad" -> CompletableFuture.failedFuture(QuiverException.badInput("text", "must not be 'bad'"));
            case "down" -> CompletableFuture.failedFuture(QuiverException.unavailable("the store is down"));
            case "error" -> CompletableFuture.failedFuture(new StackOverflowError("deep inside"));
            case "throws" -> throw QuiverException.notFound("text", "no such thing");
            case "null" -> null;
            case "large" -> CompletableFuture.completedFuture(new Said(large(), thread()));
            default -> CompletableFuture.completedFuture(new Said(text, thread()));
        };
    }

    /** An answer text of over 100 KB, more than three write parts, every part of it different. */
    private static String large() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; b.length() < 3 * JsonRoute.WRITE_PART_BYTES + 10_000; i++) {
            b.append(i).append(',');
        }
        return b.toString();
    }

    private static String thread() {
        return Context.isOnEventLoopThread() ? "event-loop" : Context.isOnWorkerThread() ? "worker" : "other";
    }

    private record Reply(int status, JsonNode body, HttpResponse<String> raw) {
    }

    private static Reply post(String body) throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.actualPort() + "/ask"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), MAPPER.readTree(r.body()), r);
    }

    private static Reply ask(String text) throws Exception {
        return post(MAPPER.writeValueAsString(new Ask(text)));
    }

    /** Asks the compressing server, saying whether gzip is accepted; the body as it came over the wire. */
    private static HttpResponse<byte[]> askCompressing(String text, boolean acceptGzip) throws Exception {
        return askOn(compressing, "/ask", text, acceptGzip);
    }

    private static HttpResponse<byte[]> askOn(HttpServer on, String path, String text, boolean acceptGzip)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + on.actualPort() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(new Ask(text))));
        if (acceptGzip) {
            request.header("Accept-Encoding", "gzip");
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String gunzip(byte[] body) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aSmallRequestIsAnsweredOnTheEventLoop() throws Exception {
        Reply r = ask("hello");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.raw().headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body().path("text").asText()).isEqualTo("hello");
        assertThat(r.body().path("thread").asText()).isEqualTo("event-loop");
    }

    @Test
    void aStageThatCompletesLaterOnAnotherThreadIsAnswered() throws Exception {
        Reply r = ask("later");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("text").asText()).isEqualTo("later");
    }

    @Test
    void aCancelledStageIsA503WithRetryAfter() throws Exception {
        Reply r = ask("cancelled");

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.raw().headers().firstValue("Retry-After")).hasValue("1");
        assertThat(r.body().path("error").asText()).contains("cancelled");
    }

    @Test
    void aStageFailedWithBadInputNamesTheField() throws Exception {
        Reply r = ask("bad");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().path("field").asText()).isEqualTo("text");
        assertThat(r.body().path("reason").asText()).isEqualTo("must not be 'bad'");
    }

    @Test
    void aStageFailedUnavailableIsA503WithRetryAfter() throws Exception {
        Reply r = ask("down");

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.raw().headers().firstValue("Retry-After")).hasValue("1");
        assertThat(r.body().path("error").asText()).contains("the store is down");
    }

    @Test
    void aFunctionThatThrowsInsteadOfReturningAStageIsAnsweredTheSameWay() throws Exception {
        Reply r = ask("throws");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body().path("field").asText()).isEqualTo("text");
    }

    @Test
    void anErrorInsideTheStageIsA500ThatShowsNothingOfIt() throws Exception {
        Reply r = ask("error");

        assertThat(r.status()).isEqualTo(500);
        assertThat(r.raw().body()).doesNotContain("StackOverflow").doesNotContain("deep inside");
        assertThat(r.body().path("error").asText()).contains("internal error");
        // the server goes on serving
        assertThat(ask("after").status()).isEqualTo(200);
    }

    @Test
    void aFunctionThatGivesNoStageIsA500() throws Exception {
        assertThat(ask("null").status()).isEqualTo(500);
    }

    @Test
    void malformedJsonIsA400NamingTheBody() throws Exception {
        Reply r = post("{\"text\": ");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().path("field").asText()).isEqualTo("body");
        assertThat(r.body().path("reason").asText()).startsWith("malformed JSON");
    }

    @Test
    void aRequestThatBlocksGoesToAWorkerThread() throws Exception {
        Reply r = ask("block");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("thread").asText()).isEqualTo("worker");
    }

    @Test
    void aLargeAnswerIsGzippedForACallerThatAcceptsIt() throws Exception {
        String text = "feature ".repeat(JsonRoute.COMPRESS_FROM_BYTES / 8);

        HttpResponse<byte[]> r = askCompressing(text, true);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(r.body().length).isLessThan(JsonRoute.COMPRESS_FROM_BYTES / 10);
        assertThat(MAPPER.readTree(gunzip(r.body())).path("text").asText()).isEqualTo(text);
    }

    @Test
    void anAnswerOfSeveralWritePartsArrivesWholeAndInOrder() throws Exception {
        Reply onLoop = ask("large");
        String big = "y".repeat(200_000);
        Reply onWorker = ask(big);

        assertThat(onLoop.status()).isEqualTo(200);
        assertThat(onLoop.body().path("thread").asText()).isEqualTo("event-loop");
        assertThat(onLoop.body().path("text").asText()).isEqualTo(large());
        assertThat(onLoop.raw().headers().firstValueAsLong("Content-Length"))
                .hasValue(onLoop.raw().body().getBytes(StandardCharsets.UTF_8).length);
        assertThat(onWorker.status()).isEqualTo(200);
        assertThat(onWorker.body().path("thread").asText()).isEqualTo("worker");
        assertThat(onWorker.body().path("text").asText()).isEqualTo(big);
    }

    @Test
    void anAnswerOfSeveralWritePartsIsGzippedWhole() throws Exception {
        HttpResponse<byte[]> r = askCompressing("large", true);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(MAPPER.readTree(gunzip(r.body())).path("text").asText()).isEqualTo(large());
    }

    @Test
    void aLargeAnswerGoesAsItIsToACallerThatDoesNotAcceptGzip() throws Exception {
        String text = "feature ".repeat(JsonRoute.COMPRESS_FROM_BYTES / 8);

        HttpResponse<byte[]> r = askCompressing(text, false);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(MAPPER.readTree(r.body()).path("text").asText()).isEqualTo(text);
    }

    @Test
    void aSmallAnswerIsNotCompressedAndCarriesNoIdentityMark() throws Exception {
        HttpResponse<byte[]> r = askCompressing("hello", true);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(MAPPER.readTree(r.body()).path("text").asText()).isEqualTo("hello");
    }

    @Test
    void aDoorThatDoesNotLetTheServerCompressSendsALargeAnswerAsItIs() throws Exception {
        String text = "feature ".repeat(JsonRoute.COMPRESS_FROM_BYTES / 8);

        HttpResponse<byte[]> r = askOn(compressing, "/quiet", text, true);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(MAPPER.readTree(r.body()).path("text").asText()).isEqualTo(text);
    }

    @Test
    void aDoorOnAServerThatDoesNotCompressMarksNothing() throws Exception {
        HttpResponse<byte[]> r = askOn(server, "/ask", "hello", true);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();
    }

    @Test
    void aBodyOverTheInlineLimitIsParsedAndAnsweredOnAWorkerThread() throws Exception {
        String big = "x".repeat(JsonRoute.INLINE_BODY_BYTES + 1);

        Reply r = ask(big);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("text").asText()).isEqualTo(big);
        assertThat(r.body().path("thread").asText()).isEqualTo("worker");
    }

    @Test
    void callsAnsweredInBatchesEachGetTheirOwnAnswer() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            sent.add(CLIENT.sendAsync(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.actualPort() + "/batch"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(new Ask("call-" + i)))).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }

        for (int i = 0; i < sent.size(); i++) {
            HttpResponse<String> r = sent.get(i).get(10, TimeUnit.SECONDS);
            JsonNode body = MAPPER.readTree(r.body());
            assertThat(r.statusCode()).isEqualTo(200);
            // alone, a call is answered by the function; gathered with others, by the batch, which names their count
            assertThat(body.path("text").asText()).matches("call-" + i + "( of \\d+)?");
            assertThat(body.path("thread").asText()).isEqualTo("event-loop");
        }
    }

    @Test
    void everyAnswerGivesItsPooledMemoryBackOnceSent() throws Exception {
        PooledByteBufAllocator pool = (PooledByteBufAllocator) VertxByteBufAllocator.POOLED_ALLOCATOR;
        long before = pool.pinnedDirectMemory();
        String onLoop = "x".repeat(JsonRoute.INLINE_BODY_BYTES - 100);
        String onWorker = "y".repeat(200_000);

        for (int i = 0; i < 20; i++) {
            assertThat(ask(onLoop).status()).isEqualTo(200);
            assertThat(ask(onWorker).status()).isEqualTo(200);
            assertThat(ask("large").status()).isEqualTo(200);
            assertThat(ask("bad").status()).isEqualTo(400);
        }

        // answers of 16 KB, 200 KB (in parts, from workers) and 100 KB (in parts, from the loop) went out, and errors;
        // none of that memory may stay taken
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (pool.pinnedDirectMemory() > before && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(pool.pinnedDirectMemory()).isLessThanOrEqualTo(before);
    }
}
