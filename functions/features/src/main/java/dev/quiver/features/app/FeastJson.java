package dev.quiver.features.app;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.quiver.feature.OnlineFeaturesRequest;
import dev.quiver.feature.OnlineFeaturesResponse;
import dev.quiver.feature.PushRequest;
import dev.quiver.feature.PushResult;
import dev.quiver.features.online.OnlineFeaturesJson;
import io.quarkus.jackson.ObjectMapperCustomizer;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Singleton;

/**
 * Feast's JSON on the Feast types, and only on them: {@code snake_case} names ({@code feature_service},
 * {@code full_feature_names}, {@code push_source_name}) through mix-ins, so every other type keeps its own
 * names (API Gateway's camelCase events on Lambda in particular, which a global naming strategy would break);
 * the {@code get-online-features} answer written by {@link OnlineFeaturesJson}.
 *
 * <p>A push may carry the fields Feast's push body has that mean nothing here ({@code allow_registry_cache},
 * {@code transform_on_write}); any other unknown property is still an error naming it.
 */
@Singleton
public class FeastJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.addMixIn(OnlineFeaturesRequest.class, SnakeCase.class);
        mapper.addMixIn(PushRequest.class, FeastPush.class);
        mapper.addMixIn(PushResult.class, SnakeCase.class);
        mapper.registerModule(new SimpleModule("quiver-feast").addSerializer(OnlineFeaturesResponse.class, new OnlineFeaturesJson()));
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @RegisterForReflection
    abstract static class SnakeCase {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties({"allow_registry_cache", "transform_on_write"})
    @RegisterForReflection
    abstract static class FeastPush {
    }
}
