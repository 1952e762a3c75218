package dev.quiver.inference;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NamedRowTest {

    @Test
    void aRowIsTheMapAParserWouldHaveFilledInTheSameOrder() {
        NamedRow row = new NamedRow.Builder().add("state", "KS").addInt("account_length", 128)
                .addDouble("total_day_minutes", 265.1).add("note", null).add("tags", List.of("a")).build();
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("state", "KS");
        map.put("account_length", 128);
        map.put("total_day_minutes", 265.1);
        map.put("note", null);
        map.put("tags", List.of("a"));

        assertThat(row).isEqualTo(map).hasSameHashCodeAs(map);
        assertThat(new ArrayList<>(row.keySet())).containsExactlyElementsOf(map.keySet());
        assertThat(row.get("account_length")).isInstanceOf(Integer.class).isEqualTo(128);
        assertThat(row.get("total_day_minutes")).isInstanceOf(Double.class).isEqualTo(265.1);
        assertThat(row.get(new String("state"))).isEqualTo("KS");
        assertThat(row.containsKey("note")).isTrue();
        assertThat(row.get("note")).isNull();
        assertThat(row.containsKey("missing")).isFalse();
        assertThat(row.get(42)).isNull();
        assertThat(row.isNumberAt(1)).isTrue();
        assertThat(row.numberAt(1)).isEqualTo(128.0);
        assertThat(row.isNumberAt(0)).isFalse();
    }

    @Test
    void aNameGivenTwiceKeepsItsLastValueInItsFirstPlace() {
        NamedRow row = new NamedRow.Builder().addDouble("a", 1).add("b", "x").add(new String("a"), "two").build();

        assertThat(row).hasSize(2);
        assertThat(new ArrayList<>(row.keySet())).containsExactly("a", "b");
        assertThat(row.get("a")).isEqualTo("two");
        assertThat(row.isNumberAt(0)).isFalse();
    }

    @Test
    void aWideRowIsLookedUpThroughItsIndex() {
        NamedRow.Builder b = new NamedRow.Builder();
        for (int i = 0; i < 200; i++) {
            b.addInt("f" + i, i);
        }
        b.addInt("f7", -7);
        NamedRow row = b.build();

        assertThat(row).hasSize(200);
        assertThat(row.get("f199")).isEqualTo(199);
        assertThat(row.get("f7")).isEqualTo(-7);
        assertThat(row.nameAt(7)).isEqualTo("f7");
        assertThat(row.get("f200")).isNull();
    }

    @Test
    void aRowCannotBeChanged() {
        NamedRow row = new NamedRow.Builder().addInt("a", 1).build();

        assertThatThrownBy(() -> row.put("b", 2)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> row.entrySet().iterator().next().setValue(3))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
