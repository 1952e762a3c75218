package dev.quiver.s3.store;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a writer claims a version with, stored as {@value S3ModelStore#MANIFEST} in the version's place before any
 * of its files: who writes it, since when, and the sha256 and size of every file it is about to write, by location
 * relative to the version (the ONNX file, its external data files, the reference profile). Readers check each file
 * they download against it, so external data files and profiles are verified as the ONNX file is against its
 * descriptor.
 *
 * @param writer    a random id of the writing store instance, for the operator reading an unfinished write
 * @param startedAt when the write began
 * @param files     location to digest and size, sorted
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Manifest(String writer, Instant startedAt, Map<String, FileDigest> files) {

    Manifest {
        files = files == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(files));
    }

    /**
     * One file of a version.
     *
     * @param sha256 lowercase hex
     * @param size   bytes
     */
    record FileDigest(String sha256, long size) {
    }
}
