package dev.quiver.predict.lambda.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.util.Optional;

/** Where batch scoring reads rows and writes predictions. */
@ConfigMapping(prefix = "quiver.batch-scoring")
public interface BatchScoringConfig {

    /** The bucket predictions are written to; unset: the input object's own bucket (an SQS request then needs it). */
    Optional<String> bucket();

    /** The prefix objects of rows are read under, as {@code <input-prefix><model>/<name>}; other keys are refused. */
    @WithDefault("batch/in/")
    String inputPrefix();

    /** The prefix predictions are written under: {@code <output-prefix><model>/<name>}, beside no input. */
    @WithDefault("batch/out/")
    String outputPrefix();

    /** The rows scored by one call of the model; a file is scored chunk by chunk so that its size is not bounded. */
    @WithDefault("1000")
    int chunkRows();

    /** The S3 client. */
    S3 s3();

    /** The S3 client's settings; credentials come from the SDK's default chain (the function's role on Lambda). */
    interface S3 {

        /** The region; unset: the SDK's default chain ({@code AWS_REGION}, which Lambda sets). */
        Optional<String> region();

        /** An S3-compatible server's address instead of AWS's; unset: AWS. */
        Optional<URI> endpoint();

        /** Whether buckets are addressed in the path ({@code http://host/bucket/key}), as most S3-compatible servers want. */
        @WithDefault("false")
        boolean pathStyle();
    }
}
