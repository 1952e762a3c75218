package dev.quiver.agent.ledger;

import dev.quiver.agent.ledger.MessageLedger.Claim;
import dev.quiver.error.Stages;
import dev.quiver.testing.SimClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileMessageLedgerTest extends MessageLedgerContract {

    @TempDir
    Path dir;

    private final List<FileMessageLedger> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(FileMessageLedger::close);
    }

    @Override
    protected MessageLedger ledger() {
        return open(Duration.ofDays(30), 1000, Clock.systemUTC());
    }

    /** The directory as a restarted function opens it: the process before it has let go. */
    @Override
    protected MessageLedger reopened() {
        opened.forEach(FileMessageLedger::close);
        return ledger();
    }

    private FileMessageLedger open(Duration retention, int maxIds, Clock clock) {
        FileMessageLedger l = new FileMessageLedger(dir.resolve("ledger"), retention, maxIds, clock);
        opened.add(l);
        return l;
    }

    private static <T> T now(java.util.concurrent.CompletionStage<T> stage) {
        return Stages.join(stage);
    }

    private long logLines() throws IOException {
        try (var lines = Files.lines(dir.resolve("ledger").resolve("ledger.jsonl"))) {
            return lines.count();
        }
    }

    @Test
    void anIdIsForgottenAfterItsRetentionAndActsAgain() {
        SimClock clock = new SimClock();
        FileMessageLedger l = open(Duration.ofHours(1), 1000, clock);
        now(l.claim("old"));
        now(l.record("old", "answered"));
        clock.now = clock.now.plus(Duration.ofMinutes(59));
        assertThat(now(l.claim("old")).answer()).isEqualTo("answered");

        clock.now = clock.now.plus(Duration.ofMinutes(2));
        assertThat(now(l.claim("old"))).isEqualTo(Claim.FIRST);
    }

    @Test
    void theOldestIdsGoFirstOverTheBoundAndTheLogStaysBounded() throws IOException {
        FileMessageLedger l = open(Duration.ofDays(1), 100, Clock.systemUTC());
        for (int i = 0; i < 30_000; i++) {
            now(l.claim("m-" + i));
            now(l.record("m-" + i, "answer " + i));
        }
        assertThat(now(l.claim("m-29999")).answer()).isEqualTo("answer 29999");
        assertThat(now(l.claim("m-29900")).answer()).isEqualTo("answer 29900");
        assertThat(now(l.claim("m-29899"))).as("the 101st newest").isEqualTo(Claim.FIRST);
        assertThat(logLines()).isLessThan(2 * 100 + 10_000 + 2);
    }

    @Test
    void answersSurviveTheLogBeingRewrittenAndReopened() {
        FileMessageLedger l = open(Duration.ofDays(1), 50_000, Clock.systemUTC());
        now(l.claim("kept"));
        now(l.record("kept", "{\"status\":\"done\",\"note\":\"line\\nbreak\"}"));
        for (int i = 0; i < 12_000; i++) {
            now(l.claim("churn"));
            now(l.release("churn"));
        }
        assertThat(now(l.claim("kept")).answer()).isEqualTo("{\"status\":\"done\",\"note\":\"line\\nbreak\"}");
        assertThat(now(reopened().claim("kept")).answer()).isEqualTo("{\"status\":\"done\",\"note\":\"line\\nbreak\"}");
    }

    @Test
    void aLineTornByACrashIsSkipped() throws IOException {
        FileMessageLedger l = open(Duration.ofDays(1), 1000, Clock.systemUTC());
        now(l.claim("whole"));
        now(l.record("whole", "the answer"));
        l.close();
        Files.writeString(dir.resolve("ledger").resolve("ledger.jsonl"), "{\"op\":\"claim\",\"id\":\"tor",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        MessageLedger after = ledger();
        assertThat(now(after.claim("whole")).answer()).isEqualTo("the answer");
        assertThat(now(after.claim("tor"))).isEqualTo(Claim.FIRST);
    }

    @Test
    void aSecondLedgerOnTheDirectoryIsRefusedUntilTheFirstCloses() {
        FileMessageLedger first = open(Duration.ofDays(1), 1000, Clock.systemUTC());
        assertThatThrownBy(this::ledger).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("open in another process").hasMessageContaining("Redis");
        first.close();
        assertThat(now(ledger().claim("after"))).isEqualTo(Claim.FIRST);
    }

    @Test
    void boundsThatAreNotPositiveAreRefusedByName() {
        assertThatThrownBy(() -> open(Duration.ZERO, 10, Clock.systemUTC())).hasMessageStartingWith("retention:");
        assertThatThrownBy(() -> open(Duration.ofDays(1), 0, Clock.systemUTC())).hasMessageStartingWith("max-ids:");
    }
}
