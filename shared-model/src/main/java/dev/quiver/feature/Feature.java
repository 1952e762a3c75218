package dev.quiver.feature;

/**
 * A typed feature of a feature view.
 *
 * @param name  its name, unique within the view
 * @param dtype its type
 */
public record Feature(String name, ValueType dtype) {
}
