package dev.quiver.train;

import dev.quiver.model.InputField;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each training feature sits in a model's input row, following the same order as the serving side's
 * encoder: the descriptor's fields in order, a number in one slot, a category in one slot per category.
 * Tribuo features are named {@code field} for numbers and {@code field=category} for categories.
 */
public final class SlotLayout {

    private final Map<String, Integer> slots = new HashMap<>();
    private final int width;

    public SlotLayout(List<InputField> fields) {
        int at = 0;
        for (InputField f : fields) {
            if (f.type() == InputField.Type.NUMBER) {
                slots.put(f.name(), at++);
            } else {
                for (String c : f.categories()) {
                    slots.put(featureName(f.name(), c), at++);
                }
            }
        }
        this.width = at;
    }

    /** The Tribuo feature name of one category of a field. */
    public static String featureName(String field, String category) {
        return field + "=" + category;
    }

    public int slot(String featureName) {
        Integer s = slots.get(featureName);
        if (s == null) {
            throw new IllegalArgumentException("feature '" + featureName + "' is not in the layout");
        }
        return s;
    }

    public int width() {
        return width;
    }
}
