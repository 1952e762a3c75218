package dev.quiver.feature;

/**
 * An entity: what features describe (a customer, a driver), identified by one join key.
 *
 * @param name      the entity's name, referenced by feature views
 * @param joinKey   the key clients send, such as {@code customer_id}
 * @param valueType the join key's type; one of the types {@link ValueType#canBeKey()} allows
 */
public record Entity(String name, String joinKey, ValueType valueType, String description) {
}
