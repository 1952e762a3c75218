package dev.quiver.wiring.models;

import dev.quiver.registry.DirectoryModelStore;
import dev.quiver.registry.ModelStore;
import dev.quiver.s3.store.S3ModelStore;
import dev.quiver.s3.store.S3ModelStoreOptions;
import org.jboss.logging.Logger;

import java.nio.file.Path;

/** Opens the model store that {@link ModelStoreConfig} names. */
public final class ModelStores {

    private static final Logger LOG = Logger.getLogger(ModelStores.class);

    private ModelStores() {
    }

    /**
     * The store: the directory {@code path} (the function's {@code quiver.store.path}), or the S3 bucket.
     *
     * @throws IllegalArgumentException naming the setting that is missing or invalid
     */
    public static ModelStore open(ModelStoreConfig config, String path) {
        if (config.kind() == ModelStoreConfig.Kind.DIRECTORY) {
            return new DirectoryModelStore(Path.of(path));
        }
        ModelStoreConfig.S3 s3 = config.s3();
        String bucket = s3.bucket().orElseThrow(() -> new IllegalArgumentException(S3ModelStoreOptions.BUCKET
                + ": required with quiver.store.kind=s3"));
        String region = s3.region().or(() -> java.util.Optional.ofNullable(System.getenv("AWS_REGION")))
                .orElseThrow(() -> new IllegalArgumentException(S3ModelStoreOptions.REGION
                        + ": required with quiver.store.kind=s3 where AWS_REGION is not set"));
        S3ModelStoreOptions options = S3ModelStoreOptions.of(bucket, region, Path.of(s3.cacheDir()))
                .withPrefix(s3.prefix().orElse(""));
        if (s3.endpoint().isPresent()) {
            options = options.withEndpoint(s3.endpoint().get(), s3.pathStyle());
        }
        S3ModelStore store = S3ModelStore.create(options);
        LOG.infof("models in s3://%s/%s (region %s), cached in %s", bucket, s3.prefix().orElse(""), region,
                Path.of(s3.cacheDir()).toAbsolutePath());
        return store;
    }
}
