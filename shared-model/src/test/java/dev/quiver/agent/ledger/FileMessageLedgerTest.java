package dev.quiver.agent.ledger;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class FileMessageLedgerTest extends MessageLedgerContract {

    @TempDir
    Path dir;

    @Override
    protected MessageLedger ledger() {
        return new FileMessageLedger(dir.resolve("ledger"));
    }

    @Override
    protected MessageLedger reopened() {
        return new FileMessageLedger(dir.resolve("ledger"));
    }
}
