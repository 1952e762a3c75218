package dev.quiver.wiring.features;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * Reads {@code quiver.features.redis.entity-key-serialization-version}: 1, 2 or 3. Any other text fails the
 * conversion, which SmallRye Config reports at start with the key and the value, so a typo never reaches Redis as
 * keys nobody can read.
 */
public final class EntityKeySerializationVersion implements Converter<Integer> {

    @Override
    public Integer convert(String value) {
        String text = value.strip();
        int version;
        try {
            version = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            version = 0;
        }
        if (version < 1 || version > 3) {
            throw new IllegalArgumentException("must be 1, 2 or 3 (Feast's entity_key_serialization_version of the "
                    + "store), not '" + text + "'");
        }
        return version;
    }
}
