package dev.quiver.rollout;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Which arm of a rollout answers a request: the champion or the challenger, by the challenger's weight.
 *
 * <p>Sticky: a request with a key (an entity id or a request key) is placed by a stable hash of the rollout's
 * salt and the key into one of {@value #BUCKETS} buckets, and the challenger takes the buckets below its weight.
 * The same key therefore lands on the same arm for the whole rollout, on every instance (the hash depends on
 * nothing but its input), and a key that reached the challenger at 5% stays on it as the weight grows. A request
 * without a key is placed at random by weight. Thread-safe and allocation-free apart from the key's bytes.
 */
public final class Assignment {

    /** The weight resolution: weights are in basis points (1/100 of a percent). */
    public static final int BUCKETS = 10_000;

    private Assignment() {
    }

    /**
     * @param salt             the rollout's identity (model and rollout id), so that separate rollouts split
     *                         independently
     * @param key              the request's key, or null to assign at random
     * @param challengerBasisPoints the challenger's weight, 0 to {@value #BUCKETS}
     * @return true when the challenger answers
     */
    public static boolean challenger(String salt, String key, int challengerBasisPoints) {
        if (challengerBasisPoints <= 0) {
            return false;
        }
        if (challengerBasisPoints >= BUCKETS) {
            return true;
        }
        int bucket = key == null ? ThreadLocalRandom.current().nextInt(BUCKETS) : bucket(salt, key);
        return bucket < challengerBasisPoints;
    }

    /** The bucket, 0 to {@value #BUCKETS} - 1, of {@code key} in the rollout {@code salt}. */
    public static int bucket(String salt, String key) {
        long h = fnv1a(salt.getBytes(StandardCharsets.UTF_8), 0xcbf29ce484222325L);
        h = fnv1a(new byte[] {0}, h);
        h = fnv1a(key.getBytes(StandardCharsets.UTF_8), h);
        // FNV alone leaves the low bits weakly mixed for short, similar keys; finish with a 64-bit avalanche
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) Long.remainderUnsigned(h, BUCKETS);
    }

    private static long fnv1a(byte[] bytes, long h) {
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
