package dev.quiver.s3.store;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One generation of a model's aliases, stored as {@code <prefix><model>/.aliases/<19 digits>.json} and never changed:
 * the map, and a random id of the write that created it. The id makes each generation's bytes the writer's own, so a
 * writer whose create is answered with 412 by its own earlier attempt (a retry after a lost answer) recognises it.
 *
 * @param aliases alias name to version, sorted
 * @param write   a random id of the write that created it
 */
record AliasGeneration(Map<String, String> aliases, String write) {

    AliasGeneration {
        aliases = aliases == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(aliases));
    }
}
