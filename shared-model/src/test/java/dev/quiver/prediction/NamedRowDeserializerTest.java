package dev.quiver.prediction;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.quiver.inference.NamedRow;
import dev.quiver.json.Json;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NamedRowDeserializerTest {

    private static final String ROW = "{\"state\":\"KS\",\"account_length\":128,\"total_day_minutes\":265.1,"
            + "\"big\":12345678901,\"huge\":123456789012345678901234567890,\"flag\":true,\"none\":null,"
            + "\"nested\":{\"a\":[1,2.5]},\"exp\":1e3}";

    @Test
    void aRequestsRowsAreReadAsNamedRowsHoldingWhatAMapOfTheSameJsonHolds() throws Exception {
        PredictRequest request = Json.MAPPER.readValue("{\"model\":\"churn\",\"rows\":[" + ROW + ",null]}",
                PredictRequest.class);
        Map<String, Object> plain = Json.MAPPER.readValue(ROW, new TypeReference<LinkedHashMap<String, Object>>() {
        });

        Map<String, Object> row = request.rows().get(0);
        assertThat(row).isInstanceOf(NamedRow.class).isEqualTo(plain);
        assertThat(row.keySet()).containsExactlyElementsOf(plain.keySet());
        assertThat(row.get("account_length")).isInstanceOf(Integer.class);
        assertThat(row.get("big")).isInstanceOf(Long.class).isEqualTo(12345678901L);
        assertThat(row.get("huge")).isInstanceOf(BigInteger.class);
        assertThat(row.get("exp")).isEqualTo(1000.0);
        assertThat(request.rows().get(1)).as("a null row stays null, for the encoder to name").isNull();
    }

    @Test
    void aRowThatIsNotAnObjectIsRefusedAsAMapWouldBe() {
        assertThatThrownBy(() -> Json.MAPPER.readValue("{\"model\":\"churn\",\"rows\":[[1,2]]}", PredictRequest.class))
                .isInstanceOf(MismatchedInputException.class).hasMessageContaining("Map");
    }
}
