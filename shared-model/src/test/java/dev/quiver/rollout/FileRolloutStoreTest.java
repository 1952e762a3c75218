package dev.quiver.rollout;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class FileRolloutStoreTest extends RolloutStoreContract {

    @TempDir
    Path dir;

    @Override
    protected RolloutStore store() {
        return new FileRolloutStore(dir);
    }

    @Override
    protected RolloutStore another() {
        return new FileRolloutStore(dir);
    }
}
