package dev.quiver.function.http;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How much a request may cost before the function reads it, under {@code quiver.http}. Uploads (multipart) are capped
 * by {@code quarkus.http.limits.max-body-size} and streamed to disk instead.
 */
@ConfigMapping(prefix = "quiver.http")
public interface HttpLimitsConfig {

    /**
     * The largest JSON body; a larger one is refused with 413 from its {@code Content-Length}, before it is read, or
     * as soon as a chunked body passes it. 1,000 rows of the churn model are about 0.5 MB. A lower
     * {@code quarkus.http.limits.max-body-size} wins.
     */
    @WithDefault("4M")
    MemorySize maxJsonBodySize();
}
