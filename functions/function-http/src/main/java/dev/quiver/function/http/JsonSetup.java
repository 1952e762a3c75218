package dev.quiver.function.http;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * JSON as every door of this function reads it: NaN and Infinity are parsed (so that a row holding them is
 * refused naming the field, rather than as malformed JSON), and unknown properties of request objects are
 * errors, not silently dropped. The Java time, Optional and parameter-name modules are the ones Quarkus registers
 * itself; looking them up again through the service loader cost every start about 15 ms.
 */
@Singleton
public class JsonSetup implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS.mappedFeature());
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
