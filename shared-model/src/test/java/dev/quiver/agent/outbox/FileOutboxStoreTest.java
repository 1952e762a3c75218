package dev.quiver.agent.outbox;

/** The outbox over the embedded store, a folder of files. */
class FileOutboxStoreTest extends OutboxContract {

    @Override
    protected OutboxStore store() {
        return new FileOutboxStore(dir);
    }
}
