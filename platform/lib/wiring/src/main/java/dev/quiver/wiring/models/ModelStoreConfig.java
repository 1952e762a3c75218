package dev.quiver.wiring.models;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.util.Optional;

/**
 * Which model store a function opens, under {@code quiver.store}: the directory at {@code quiver.store.path} (the
 * embedded default, mapped by each function's own configuration) or an S3 bucket that instances share.
 */
@ConfigMapping(prefix = "quiver.store")
public interface ModelStoreConfig {

    enum Kind {
        /** A directory, {@code quiver.store.path}: one machine, a volume or EFS. */
        DIRECTORY,
        /** An S3 bucket ({@code quiver.store.s3.*}), for instances that share no disk. */
        S3
    }

    /** {@code directory} or {@code s3}. */
    @WithDefault("directory")
    Kind kind();

    S3 s3();

    interface S3 {
        /** The bucket; required with {@code kind=s3}. */
        Optional<String> bucket();

        /** The start of every key: unset, or names each followed by {@code /} ({@code quiver/models/}). */
        Optional<String> prefix();

        /** The bucket's region; unset: {@code AWS_REGION}, which Lambda sets. */
        Optional<String> region();

        /** An S3-compatible server instead of AWS's endpoint for the region. */
        Optional<URI> endpoint();

        /** Path-style requests ({@code endpoint/bucket/key}), which most S3-compatible servers want. */
        @WithDefault("false")
        boolean pathStyle();

        /** Where versions are downloaded to and verified before they are loaded; a cache, safe to lose. */
        @WithDefault(".quiver/model-cache")
        String cacheDir();
    }
}
