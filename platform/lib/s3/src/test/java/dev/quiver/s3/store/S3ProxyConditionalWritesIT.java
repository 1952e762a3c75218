package dev.quiver.s3.store;

import dev.quiver.testing.s3.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What the test server (s3proxy 4.0.0, {@code filesystem-nio2} backend) does with {@code If-None-Match: *} on PUT,
 * the one condition {@link S3ModelStore} relies on: like S3, it refuses to overwrite an existing key with HTTP 412,
 * and of writers racing to create one key exactly one succeeds. The store's tests of versions claimed and aliases
 * replaced by exactly one writer mean something only while this holds. Each writer's body is its own, so a writer
 * whose create the SDK retried after a lost answer, and whose retry met its own object, is told apart from a loser.
 */
class S3ProxyConditionalWritesIT {

    private static S3Server server;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        server = S3Server.start("conditional");
        s3 = TestS3.client(server);
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    @Test
    void ifNoneMatchStarOverAnExistingKeyIsRefusedWith412AndWritesNothing() {
        s3.putObject(r -> r.bucket(server.bucket()).key("claimed"), RequestBody.fromString("first"));

        S3Exception refused = catchThrowableOfType(() -> s3.putObject(
                r -> r.bucket(server.bucket()).key("claimed").ifNoneMatch("*"), RequestBody.fromString("second")),
                S3Exception.class);

        assertThat(refused).isNotNull();
        assertThat(refused.statusCode()).isEqualTo(412);
        assertThat(s3.getObjectAsBytes(r -> r.bucket(server.bucket()).key("claimed")).asUtf8String())
                .isEqualTo("first");
    }

    @Test
    void ofWritersCreatingOneKeyAtOnceWithIfNoneMatchStarExactlyOneSucceeds() throws Exception {
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int round = 0; round < 20; round++) {
                String key = "race/" + round;
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> created = new ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    String body = "writer " + i;
                    created.add(pool.submit(() -> {
                        go.await();
                        try {
                            s3.putObject(r -> r.bucket(server.bucket()).key(key).ifNoneMatch("*"),
                                    RequestBody.fromString(body));
                            return true;
                        } catch (S3Exception e) {
                            assertThat(e.statusCode()).isEqualTo(412);
                            // the SDK's retry of a create whose answer was lost meets the object it made
                            return s3.getObjectAsBytes(r -> r.bucket(server.bucket()).key(key)).asUtf8String()
                                    .equals(body);
                        }
                    }));
                }
                go.countDown();
                List<Integer> winners = new ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    if (created.get(i).get()) {
                        winners.add(i);
                    }
                }
                assertThat(winners).as("round " + round).hasSize(1);
                assertThat(s3.getObjectAsBytes(r -> r.bucket(server.bucket()).key(key)).asUtf8String())
                        .isEqualTo("writer " + winners.get(0));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
