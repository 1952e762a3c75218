package dev.quiver.agent.memory;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The embedded memories: a JSON file per memory. */
class FileMemoriesTest extends MemoryContract {

    @TempDir
    Path dir;

    @Override
    protected Memories memories() {
        return new FileMemories(dir);
    }
}
