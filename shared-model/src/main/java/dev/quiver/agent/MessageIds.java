package dev.quiver.agent;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * New message, task and outbox ids: random (version 4) UUIDs drawn from the calling thread's generator. An id only
 * has to be unique, not unguessable, and {@link UUID#randomUUID()} serialises every caller on one secure generator.
 */
public final class MessageIds {

    private MessageIds() {
    }

    public static String next() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long high = (r.nextLong() & ~0xF000L) | 0x4000L;
        long low = (r.nextLong() & ~(0xC0L << 56)) | (0x80L << 56);
        return new UUID(high, low).toString();
    }
}
