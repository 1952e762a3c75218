package dev.quiver.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * One raw, named feature that a client sends, and how it becomes part of the model's input tensor.
 *
 * <p>A {@code number} field fills one slot with its value. A {@code category} field fills one slot per
 * declared category (one-hot, in the declared order): 1 for the sent category, 0 for the others. A value
 * outside {@code categories} is the caller's error, never a silent all-zero row.
 *
 * @param name       the feature's name, as clients send it
 * @param type       {@code number} or {@code category}
 * @param categories   for a category field, the values the model knows, in slot order; empty for numbers
 * @param defaultValue the value used when a prediction by entity id finds no stored value for this feature
 *                     (JSON {@code default}); null when the feature is required
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record InputField(String name, Type type, List<String> categories,
                         @JsonProperty("default") Object defaultValue) {

    /** How a field's value is encoded. */
    public enum Type {
        @JsonProperty("number") NUMBER,
        @JsonProperty("category") CATEGORY
    }

    public InputField {
        categories = categories == null ? List.of() : List.copyOf(categories);
    }

    public InputField(String name, Type type, List<String> categories) {
        this(name, type, categories, null);
    }

    public static InputField number(String name) {
        return new InputField(name, Type.NUMBER, List.of());
    }

    public static InputField category(String name, List<String> categories) {
        return new InputField(name, Type.CATEGORY, categories);
    }

    /** This field with a default value for predictions by entity id. */
    public InputField withDefault(Object value) {
        return new InputField(name, type, categories, value);
    }

    /** How many tensor slots this field fills. */
    public int width() {
        return type == Type.NUMBER ? 1 : categories.size();
    }
}
