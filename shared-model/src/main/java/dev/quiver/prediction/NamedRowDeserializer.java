package dev.quiver.prediction;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import dev.quiver.inference.NamedRow;

import java.io.IOException;
import java.util.Map;

/**
 * Reads a request's row of named features into a {@link NamedRow}: the values are those Jackson reads into a map of
 * untyped values (numbers, strings, null, nested values), but the numbers that fit an int or a double stay unboxed and
 * the names stay in order, for the encoder. Anything but a JSON object is refused as a map would be.
 */
public final class NamedRowDeserializer extends StdDeserializer<Map<String, Object>> {

    public NamedRowDeserializer() {
        super(Map.class);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (!p.isExpectedStartObjectToken()) {
            return (Map<String, Object>) ctxt.handleUnexpectedToken(Map.class, p);
        }
        boolean plainFloats = !ctxt.isEnabled(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        boolean plainInts = !ctxt.isEnabled(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
                && !ctxt.isEnabled(DeserializationFeature.USE_LONG_FOR_INTS);
        NamedRow.Builder row = new NamedRow.Builder();
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NUMBER_FLOAT && plainFloats) {
                row.addDouble(name, p.getDoubleValue());
            } else if (t == JsonToken.VALUE_NUMBER_INT && plainInts && p.getNumberType() == JsonParser.NumberType.INT) {
                row.addInt(name, p.getIntValue());
            } else if (t == JsonToken.VALUE_STRING) {
                row.add(name, p.getText());
            } else if (t == JsonToken.VALUE_NULL) {
                row.add(name, null);
            } else {
                row.add(name, ctxt.readValue(p, Object.class));
            }
        }
        return row.build();
    }
}
