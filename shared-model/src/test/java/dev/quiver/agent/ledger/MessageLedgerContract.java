package dev.quiver.agent.ledger;

import dev.quiver.agent.ledger.MessageLedger.Claim;
import dev.quiver.error.Stages;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link MessageLedger} promises, run against each implementation: extend it with the store to test.
 */
public abstract class MessageLedgerContract {

    /** A ledger over a fresh, empty store. */
    protected abstract MessageLedger ledger();

    /** Another ledger over the same store, as a restarted function or a second instance would open it. */
    protected abstract MessageLedger reopened();

    private static <T> T now(java.util.concurrent.CompletionStage<T> stage) {
        return Stages.join(stage);
    }

    @Test
    void theFirstClaimActsADuplicateWaitsThenGetsTheRecordedAnswer() {
        MessageLedger l = ledger();

        assertThat(now(l.claim("m-1"))).isEqualTo(Claim.FIRST);
        Claim whileActing = now(l.claim("m-1"));
        assertThat(whileActing.first()).isFalse();
        assertThat(whileActing.pending()).isTrue();

        now(l.record("m-1", "{\"status\":\"done\"}"));

        Claim duplicate = now(l.claim("m-1"));
        assertThat(duplicate.first()).isFalse();
        assertThat(duplicate.pending()).isFalse();
        assertThat(duplicate.answer()).isEqualTo("{\"status\":\"done\"}");
        assertThat(now(l.claim("m-2"))).isEqualTo(Claim.FIRST);
    }

    @Test
    void aReleasedClaimMayActAgainButARecordedAnswerStays() {
        MessageLedger l = ledger();
        now(l.claim("failed"));
        now(l.release("failed"));
        assertThat(now(l.claim("failed"))).isEqualTo(Claim.FIRST);

        now(l.claim("answered"));
        now(l.record("answered", "first answer"));
        now(l.release("answered"));
        assertThat(now(l.claim("answered")).answer()).isEqualTo("first answer");
    }

    @Test
    void ofConcurrentClaimsExactlyOneIsFirst() throws Exception {
        MessageLedger l = ledger();
        int n = 16;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Claim>> claims = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                claims.add(pool.submit(() -> {
                    go.await();
                    return now(l.claim("race"));
                }));
            }
            go.countDown();
            int first = 0;
            for (Future<Claim> c : claims) {
                first += c.get().first() ? 1 : 0;
            }
            assertThat(first).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void whatIsRecordedSurvivesARestart() {
        MessageLedger l = ledger();
        now(l.claim("kept"));
        now(l.record("kept", "the answer"));
        now(l.claim("in-flight"));

        MessageLedger after = reopened();
        assertThat(now(after.claim("kept")).answer()).isEqualTo("the answer");
        assertThat(now(after.claim("in-flight")).pending()).isTrue();
    }

    @Test
    void idsAreAnyTextAndKeptApart() {
        MessageLedger l = ledger();
        for (String id : List.of("a/b", "a\\b", "../x", "a b", "é", "a:b", "A/B")) {
            assertThat(now(l.claim(id))).as(id).isEqualTo(Claim.FIRST);
        }
        now(l.record("a/b", "slash"));
        assertThat(now(l.claim("a\\b")).pending()).isTrue();
        assertThat(now(l.claim("a/b")).answer()).isEqualTo("slash");
    }

    @Test
    void idsNoLedgerKeepsAndAnswersWithoutAClaimAreRefused() {
        MessageLedger l = ledger();
        assertThatThrownBy(() -> now(l.claim(" "))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> now(l.claim("x".repeat(MessageLedger.MAX_ID_LENGTH + 1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(now(l.claim("x".repeat(MessageLedger.MAX_ID_LENGTH)))).isEqualTo(Claim.FIRST);
        assertThatThrownBy(() -> now(l.record("never-claimed", "answer"))).isInstanceOf(IllegalStateException.class);
        now(l.claim("claimed"));
        assertThatThrownBy(() -> now(l.record("claimed", ""))).isInstanceOf(IllegalArgumentException.class);
    }
}
