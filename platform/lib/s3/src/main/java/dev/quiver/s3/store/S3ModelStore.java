package dev.quiver.s3.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;
import dev.quiver.json.Json;
import dev.quiver.model.ModelDescriptor;
import dev.quiver.registry.DirectoryModelStore;
import dev.quiver.registry.ModelArtifact;
import dev.quiver.registry.ModelFileCheck;
import dev.quiver.registry.ModelRegistry;
import dev.quiver.registry.ModelStore;
import dev.quiver.registry.Versions;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The model store in an S3 bucket (or an S3-compatible server), in the layout of {@link DirectoryModelStore}
 * under a key prefix:
 * <pre>
 * &lt;prefix&gt;&lt;model&gt;/&lt;version&gt;/.manifest.json          the writer's claim: sha256 and size of each file
 * &lt;prefix&gt;&lt;model&gt;/&lt;version&gt;/model.onnx
 * &lt;prefix&gt;&lt;model&gt;/&lt;version&gt;/&lt;location&gt;             each external data file, at its relative location
 * &lt;prefix&gt;&lt;model&gt;/&lt;version&gt;/reference-profile.json   when the version has one
 * &lt;prefix&gt;&lt;model&gt;/&lt;version&gt;/descriptor.json          written last: the version exists once it does
 * &lt;prefix&gt;&lt;model&gt;/aliases.json
 * </pre>
 *
 * <p><b>Consistency.</b> S3 is strongly consistent: a read or a list that starts after a write has returned sees
 * it, from any client. So once {@link #write} returns, every instance lists and reads the version, and once
 * {@link #replaceAliases} returns true, every instance's {@link #readAliases} sees the new map.
 *
 * <p><b>Writing a version.</b> S3 cannot rename, so a version is committed rather than moved into place:
 * <ol>
 *   <li>the writer claims the version by putting {@value #MANIFEST} with {@code If-None-Match: *}; S3 lets exactly one
 *       of several writers create a key that way, and the others get HTTP 412 (or 409 while the winner's request is
 *       still in flight), which fails here with CONFLICT on {@code version};</li>
 *   <li>it puts the ONNX file, the external data files and the reference profile;</li>
 *   <li>it puts {@value DirectoryModelStore#DESCRIPTOR}, again with {@code If-None-Match: *}, as the commit marker.</li>
 * </ol>
 * Versions are listed, and read, by their descriptors only; each object is put whole (a single PUT is atomic), so
 * a reader never sees a version without its descriptor, nor a file of it only partly written. One PUT takes at most
 * 5 GB, which bounds each file (the ONNX file, and each external data file on its own).
 *
 * <p><b>A writer that fails or crashes.</b> A write that fails with an error deletes what it put, its claim last, so
 * that the version can be written again. A writer that crashes leaves its claim and the files it had put, and no
 * descriptor: the version is invisible (not listed; {@link #descriptor}, {@link #artifact} and
 * {@link #referenceProfile} are empty), and a new write of it fails with CONFLICT saying when the unfinished write
 * began. The operator deletes the keys under {@code <prefix><model>/<version>/} to free the version; nothing takes a
 * claim over on its own, since a slow writer cannot be told from a dead one.
 *
 * <p><b>Aliases.</b> {@link #readAliases} tags the map with the object's ETag; {@link #replaceAliases} puts the new
 * map with {@code If-Match: <etag>}, or {@code If-None-Match: *} when none were stored, so S3 itself compares and
 * swaps: of several writers holding the same tag exactly one succeeds, the others get 412 (or 409, or 404 when the
 * object is gone), and false.
 *
 * <p><b>The cache.</b> {@link #artifact} downloads the ONNX file and its external data files into a fresh folder under
 * the cache directory, checks the ONNX file against the descriptor's sha256 (and every file against the manifest),
 * and only then moves the folder into place as {@code <cache>/<bucket>/<prefix>artifacts/<model>/<version>/}; a
 * mismatch fails with REJECTED on {@code sha256} and leaves nothing behind. Versions are immutable, so a folder in
 * place is used without downloading again as long as the checksum it was verified against is still the
 * descriptor's. Reference profiles are cached the same way under {@code profiles/}. A version put into the bucket by
 * other means (such as a directory store copied there) has no manifest: its external data files are found by listing
 * its place, and only what its descriptor's sha256 covers is checked.
 *
 * <p>Names are checked as {@link DirectoryModelStore} checks them, so no key leaves its model's place. Safe to call
 * from several threads; the S3 client is thread-safe, and downloads of one version take turns within the process.
 * S3 that cannot be reached, refuses access or lacks the bucket fails with UNAVAILABLE naming the bucket.
 */
public final class S3ModelStore implements ModelStore, AutoCloseable {

    /** The writer's claim on a version, and the digests of its files; hidden, as no model's file starts with '.'. */
    public static final String MANIFEST = ".manifest.json";
    private static final String VERIFIED = ".sha256";
    private static final String NO_DIGEST = "-";

    /** What {@link Check#name} accepts; anything else (such as "..") could name a key outside the model's place. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);
    /** A bound on one call with its retries, so that an unreachable endpoint fails rather than hangs. */
    private static final Duration API_CALL_TIMEOUT = Duration.ofMinutes(10);

    private final S3Client s3;
    private final boolean ownsClient;
    private final String bucket;
    private final String prefix;
    private final Path cacheRoot;
    private final Path staging;
    private final String writerId = UUID.randomUUID().toString();
    /** By cache folder: the threads of this process download a version once, in turn. */
    private final Map<Path, Object> downloads = new ConcurrentHashMap<>();

    /**
     * A store over {@code bucket} through {@code s3}, which the caller keeps and closes.
     *
     * @param prefix   what every key starts with: empty, or names each followed by '/'
     * @param cacheDir the local folder artifacts are downloaded to, created when missing
     * @throws IllegalArgumentException naming the option ({@link S3ModelStoreOptions#BUCKET}, ...) that is not valid
     */
    public S3ModelStore(S3Client s3, String bucket, String prefix, Path cacheDir) {
        this(s3, false, bucket, prefix, cacheDir);
    }

    private S3ModelStore(S3Client s3, boolean ownsClient, String bucket, String prefix, Path cacheDir) {
        if (s3 == null) {
            throw new IllegalArgumentException("an S3 client is required");
        }
        this.s3 = s3;
        this.ownsClient = ownsClient;
        this.bucket = S3ModelStoreOptions.bucket(bucket);
        this.prefix = S3ModelStoreOptions.prefix(prefix);
        if (cacheDir == null) {
            throw new IllegalArgumentException(S3ModelStoreOptions.CACHE_DIR + " is required");
        }
        // by bucket and prefix, so that stores over different places can share one cache directory
        this.cacheRoot = cacheDir.resolve(this.bucket).resolve(this.prefix.isEmpty() ? "-" : "-/" + this.prefix);
        this.staging = cacheDir.resolve(".staging");
        try {
            Files.createDirectories(cacheRoot);
            Files.createDirectories(staging);
        } catch (IOException e) {
            throw new IllegalArgumentException(S3ModelStoreOptions.CACHE_DIR + " '" + cacheDir
                    + "' cannot be created: " + e.getMessage(), e);
        }
    }

    /**
     * A store with its own S3 client, built from validated {@code options}: the URL-connection HTTP client (the JDK's
     * own, with no threads or native code of its own: light at start and in a native image), the default
     * credentials chain unless others are given, and path-style addressing when asked. {@link #close} closes it.
     *
     * @throws IllegalArgumentException naming the option that is not valid
     */
    public static S3ModelStore create(S3ModelStoreOptions options) {
        S3ModelStoreOptions o = options.validated();
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(o.region()))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT).socketTimeout(SOCKET_TIMEOUT))
                .credentialsProvider(o.credentials() != null ? o.credentials()
                        : DefaultCredentialsProvider.builder().build())
                .forcePathStyle(o.pathStyle())
                .overrideConfiguration(c -> c.apiCallTimeout(API_CALL_TIMEOUT));
        if (o.endpoint() != null) {
            // S3-compatible servers often refuse the CRC checksums in aws-chunked trailers that the SDK sends to AWS
            // by default; the store checks every file's sha256 itself
            builder.endpointOverride(o.endpoint())
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        S3Client s3 = builder.build();
        try {
            return new S3ModelStore(s3, true, o.bucket(), o.prefix(), o.cacheDir());
        } catch (RuntimeException e) {
            s3.close();
            throw e;
        }
    }

    public String bucket() {
        return bucket;
    }

    public String prefix() {
        return prefix;
    }

    // ---------------------------------------------------------------------------------------------- listing

    @Override
    public List<String> modelNames() {
        TreeSet<String> names = new TreeSet<>();
        for (String key : keys(prefix)) {
            String[] parts = key.substring(prefix.length()).split("/", -1);
            if (parts.length == 3 && parts[2].equals(DirectoryModelStore.DESCRIPTOR) && isName(parts[0])
                    && isName(parts[1])) {
                names.add(parts[0]);
            }
        }
        return List.copyOf(names);
    }

    @Override
    public List<String> versions(String model) {
        if (!isName(model)) {
            return List.of();
        }
        String modelPrefix = prefix + model + "/";
        List<String> versions = new ArrayList<>();
        for (String key : keys(modelPrefix)) {
            String[] parts = key.substring(modelPrefix.length()).split("/", -1);
            if (parts.length == 2 && parts[1].equals(DirectoryModelStore.DESCRIPTOR) && isName(parts[0])) {
                versions.add(parts[0]);
            }
        }
        versions.sort(Versions.ORDER);
        return List.copyOf(versions);
    }

    /** Every key under {@code keyPrefix}, page by page (S3 answers at most 1,000 keys a request). */
    private List<String> keys(String keyPrefix) {
        return call("list " + keyPrefix, () -> {
            List<String> keys = new ArrayList<>();
            for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(keyPrefix)).contents()) {
                keys.add(o.key());
            }
            return keys;
        });
    }

    // ---------------------------------------------------------------------------------------------- reading

    @Override
    public Optional<ModelDescriptor> descriptor(String model, String version) {
        if (!isName(model) || !isName(version)) {
            return Optional.empty();
        }
        String key = key(model, version, DirectoryModelStore.DESCRIPTOR);
        return getBytes(key).map(bytes -> {
            try {
                return Json.MAPPER.readValue(bytes, ModelDescriptor.class);
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable descriptor s3://" + bucket + "/" + key, e);
            }
        });
    }

    @Override
    public Optional<Path> artifact(String model, String version) {
        Optional<ModelDescriptor> descriptor = descriptor(model, version);
        if (descriptor.isEmpty()) {
            return Optional.empty();
        }
        Optional<Manifest> manifest = manifest(model, version);
        String expected = descriptor.get().sha256() != null ? descriptor.get().sha256()
                : manifest.map(m -> digest(m, DirectoryModelStore.ARTIFACT)).orElse(null);
        Path entry = cacheRoot.resolve("artifacts").resolve(model).resolve(version);
        synchronized (downloads.computeIfAbsent(entry, e -> new Object())) {
            if (verifiedAs(entry, expected)) {
                return Optional.of(entry.resolve(DirectoryModelStore.ARTIFACT));
            }
            Map<String, String> files = artifactFiles(model, version, manifest.orElse(null));
            Path dir = newStagingDirectory();
            try {
                for (Map.Entry<String, String> f : files.entrySet()) {
                    String sha = f.getKey().equals(DirectoryModelStore.ARTIFACT) ? expected : f.getValue();
                    String key = key(model, version, f.getKey());
                    if (!download(key, dir.resolve(f.getKey()), sha)) {
                        throw QuiverException.rejected("model", "stored version " + model + ":" + version
                                + " lacks its file s3://" + bucket + "/" + key);
                    }
                }
                Files.writeString(dir.resolve(VERIFIED), expected == null ? NO_DIGEST : expected);
                install(dir, entry);
                return Optional.of(entry.resolve(DirectoryModelStore.ARTIFACT));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot cache " + model + ":" + version + " in " + entry, e);
            } finally {
                deleteQuietly(dir);
            }
        }
    }

    @Override
    public Optional<Path> referenceProfile(String model, String version) {
        if (descriptor(model, version).isEmpty()) {
            return Optional.empty();
        }
        String expected = manifest(model, version).map(m -> digest(m, DirectoryModelStore.REFERENCE_PROFILE))
                .orElse(null);
        Path entry = cacheRoot.resolve("profiles").resolve(model).resolve(version);
        synchronized (downloads.computeIfAbsent(entry, e -> new Object())) {
            if (verifiedAs(entry, expected)) {
                return Optional.of(entry.resolve(DirectoryModelStore.REFERENCE_PROFILE));
            }
            String key = key(model, version, DirectoryModelStore.REFERENCE_PROFILE);
            Path dir = newStagingDirectory();
            try {
                if (!download(key, dir.resolve(DirectoryModelStore.REFERENCE_PROFILE), expected)) {
                    return Optional.empty();
                }
                Files.writeString(dir.resolve(VERIFIED), expected == null ? NO_DIGEST : expected);
                install(dir, entry);
                return Optional.of(entry.resolve(DirectoryModelStore.REFERENCE_PROFILE));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot cache the reference profile of " + model + ":" + version, e);
            } finally {
                deleteQuietly(dir);
            }
        }
    }

    /**
     * The files of a version's artifact, by location, with the sha256 each must have (null: none known): the
     * manifest's, or, for a version put by other means (such as a directory store copied into the bucket), what
     * lies under the version's place besides its own files.
     */
    private Map<String, String> artifactFiles(String model, String version, Manifest manifest) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(DirectoryModelStore.ARTIFACT, null);
        if (manifest != null) {
            manifest.files().forEach((location, d) -> {
                if (!location.equals(DirectoryModelStore.REFERENCE_PROFILE)) {
                    files.put(location, d.sha256());
                }
            });
            return files;
        }
        String versionPrefix = key(model, version, "");
        for (String key : keys(versionPrefix)) {
            String location = key.substring(versionPrefix.length());
            if (isExternalData(location)) {
                files.put(location, null);
            }
        }
        return files;
    }

    /** Whether {@code location} may name an external data file: a plain relative path that is not a version's own. */
    private static boolean isExternalData(String location) {
        if (location.equals(DirectoryModelStore.ARTIFACT) || location.equals(DirectoryModelStore.DESCRIPTOR)
                || location.equals(DirectoryModelStore.REFERENCE_PROFILE)) {
            return false;
        }
        try {
            ModelFileCheck.location(location, "external_data");
            return true;
        } catch (QuiverException e) {
            return false;
        }
    }

    private Optional<Manifest> manifest(String model, String version) {
        String key = key(model, version, MANIFEST);
        return getBytes(key).map(bytes -> {
            try {
                return Json.MAPPER.readValue(bytes, Manifest.class);
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable manifest s3://" + bucket + "/" + key, e);
            }
        });
    }

    private static String digest(Manifest manifest, String location) {
        Manifest.FileDigest d = manifest.files().get(location);
        return d == null ? null : d.sha256();
    }

    /** Whether the cache folder {@code entry} is in place and was verified against {@code sha256} (null: none). */
    private static boolean verifiedAs(Path entry, String sha256) {
        try {
            return Files.readString(entry.resolve(VERIFIED)).equals(sha256 == null ? NO_DIGEST : sha256);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cache at " + entry, e);
        }
    }

    /**
     * Downloads {@code key} to {@code target}, hashing as it goes; fails with REJECTED on {@code sha256} when
     * {@code sha256} is given and the bytes differ. Returns false when the key does not exist.
     */
    private boolean download(String key, Path target, String sha256) throws IOException {
        Files.createDirectories(target.getParent());
        MessageDigest digest = sha256Digest();
        Boolean found = call("get " + key, () -> {
            try (InputStream in = new DigestInputStream(s3.getObject(r -> r.bucket(bucket).key(key)), digest)) {
                Files.copy(in, target);
                return true;
            } catch (NoSuchKeyException e) {
                return false;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!found) {
            return false;
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (sha256 != null && !sha256.equalsIgnoreCase(actual)) {
            throw QuiverException.rejected("sha256", "s3://" + bucket + "/" + key + " has sha256 " + actual
                    + " but its version says " + sha256);
        }
        return true;
    }

    /** Moves the verified folder {@code dir} into place at {@code entry}, replacing an entry of another checksum. */
    private void install(Path dir, Path entry) throws IOException {
        Files.createDirectories(entry.getParent());
        if (Files.exists(entry)) {
            // verified against another checksum: the version was deleted and written anew
            Path old = newStagingDirectory();
            Files.delete(old);
            Files.move(entry, old, StandardCopyOption.ATOMIC_MOVE);
            deleteQuietly(old);
        }
        try {
            Files.move(dir, entry, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            // another process sharing the cache put the same verified version in place first
        }
    }

    private Path newStagingDirectory() {
        try {
            return Files.createTempDirectory(staging, "download-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the cache at " + staging, e);
        }
    }

    // ---------------------------------------------------------------------------------------------- writing

    @Override
    public void write(ModelDescriptor descriptor, byte[] artifact, byte[] referenceProfile) {
        Map<String, Part> parts = new LinkedHashMap<>();
        parts.put(DirectoryModelStore.ARTIFACT, Part.of(artifact));
        write(descriptor, parts, referenceProfile);
    }

    /**
     * Writes the ONNX file and its external data files, each under its location in the version's place (the
     * locations are plain relative paths, checked again here).
     */
    @Override
    public void write(ModelDescriptor descriptor, ModelArtifact artifact, byte[] referenceProfile) {
        Map<String, Part> parts = new LinkedHashMap<>();
        parts.put(DirectoryModelStore.ARTIFACT, Part.of(artifact.model()));
        for (Map.Entry<String, Path> e : artifact.externalData().entrySet()) {
            String location = ModelFileCheck.location(e.getKey(), "external_data");
            if (!isExternalData(location)) {
                throw QuiverException.badInput("external_data", "'" + location + "' is one of the version's own files");
            }
            parts.put(location, Part.of(e.getValue()));
        }
        write(descriptor, parts, referenceProfile);
    }

    /** One file to put: its bytes or its local file, with its digest taken before anything is claimed. */
    private record Part(Supplier<RequestBody> body, Manifest.FileDigest digest) {

        static Part of(byte[] bytes) {
            return new Part(() -> RequestBody.fromBytes(bytes),
                    new Manifest.FileDigest(ModelRegistry.sha256(bytes), bytes.length));
        }

        static Part of(Path file) {
            try {
                return new Part(() -> RequestBody.fromFile(file),
                        new Manifest.FileDigest(ModelRegistry.sha256(file), Files.size(file)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
    }

    private void write(ModelDescriptor descriptor, Map<String, Part> parts, byte[] referenceProfile) {
        String model = Check.name(descriptor.name(), "descriptor.name");
        String version = Check.name(descriptor.version(), "descriptor.version");
        if (referenceProfile != null) {
            parts.put(DirectoryModelStore.REFERENCE_PROFILE, Part.of(referenceProfile));
        }
        String sha = parts.get(DirectoryModelStore.ARTIFACT).digest().sha256();
        if (descriptor.sha256() != null && !descriptor.sha256().equalsIgnoreCase(sha)) {
            throw QuiverException.rejected("descriptor.sha256", "the model file's sha256 is " + sha
                    + ", not the declared " + descriptor.sha256());
        }
        byte[] descriptorJson;
        byte[] manifestJson;
        try {
            descriptorJson = Json.MAPPER.writeValueAsBytes(descriptor);
            Map<String, Manifest.FileDigest> digests = new TreeMap<>();
            parts.forEach((location, part) -> digests.put(location, part.digest()));
            manifestJson = Json.MAPPER.writeValueAsBytes(new Manifest(writerId, Instant.now(), digests));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        // a cheap first look, for a clear answer to the common case; the claim below is what decides
        head(key(model, version, MANIFEST)).ifPresent(h -> {
            throw versionTaken(model, version, h);
        });
        if (!putIfAbsent(key(model, version, MANIFEST), manifestJson)) {
            throw versionTaken(model, version, head(key(model, version, MANIFEST)).orElse(null));
        }
        List<String> written = new ArrayList<>();
        try {
            for (Map.Entry<String, Part> p : parts.entrySet()) {
                String key = key(model, version, p.getKey());
                call("put " + key, () -> s3.putObject(r -> r.bucket(bucket).key(key), p.getValue().body().get()));
                written.add(key);
            }
        } catch (RuntimeException e) {
            written.add(key(model, version, MANIFEST));
            for (String key : written) {
                try {
                    s3.deleteObject(r -> r.bucket(bucket).key(key));
                } catch (RuntimeException ignored) {
                    // best effort: what is left is an unfinished write, invisible to readers (see the class comment)
                }
            }
            throw e;
        }
        if (!putIfAbsent(key(model, version, DirectoryModelStore.DESCRIPTOR), descriptorJson)) {
            // only a writer that ignored the claim gets here; the version in place keys what is there, so nothing
            // is deleted
            throw versionTaken(model, version, null);
        }
    }

    private QuiverException versionTaken(String model, String version, HeadObjectResponse claim) {
        if (head(key(model, version, DirectoryModelStore.DESCRIPTOR)).isPresent() || claim == null) {
            return QuiverException.conflict("version", "model '" + model + "' already has version '" + version
                    + "'; versions are immutable");
        }
        return QuiverException.conflict("version", "version '" + version + "' of model '" + model
                + "' is being written, or a write of it that began at " + claim.lastModified() + " did not finish; "
                + "delete the keys under s3://" + bucket + "/" + key(model, version, "") + " to write it again");
    }

    /** Puts {@code bytes} at {@code key} only if no object is there; false when one is (HTTP 412, or 409). */
    private boolean putIfAbsent(String key, byte[] bytes) {
        return conditionalPut("create " + key, () -> s3.putObject(r -> r.bucket(bucket).key(key).ifNoneMatch("*"),
                RequestBody.fromBytes(bytes)));
    }

    /** Runs a conditional put; false when S3 answers that its condition does not hold. */
    private boolean conditionalPut(String what, Runnable put) {
        try {
            call(what, () -> {
                put.run();
                return null;
            });
            return true;
        } catch (ConditionFailed e) {
            return false;
        }
    }

    // ---------------------------------------------------------------------------------------------- aliases

    @Override
    public Aliases readAliases(String model) {
        if (!isName(model)) {
            return Aliases.NONE;
        }
        String key = prefix + model + "/" + DirectoryModelStore.ALIASES;
        Optional<ResponseBytes<GetObjectResponse>> read = call("get " + key, () -> {
            try {
                return Optional.of(s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)));
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            }
        });
        if (read.isEmpty()) {
            return Aliases.NONE;
        }
        try {
            return new Aliases(Json.MAPPER.readValue(read.get().asByteArray(),
                    new TypeReference<Map<String, String>>() { }), read.get().response().eTag());
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable aliases s3://" + bucket + "/" + key, e);
        }
    }

    @Override
    public boolean replaceAliases(String model, String expectedTag, Map<String, String> aliases) {
        Check.name(model, "model");
        String key = prefix + model + "/" + DirectoryModelStore.ALIASES;
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsBytes(new TreeMap<>(aliases));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return conditionalPut("replace " + key, () -> s3.putObject(r -> {
            r.bucket(bucket).key(key);
            if (expectedTag == null) {
                r.ifNoneMatch("*");
            } else {
                r.ifMatch(expectedTag);
            }
        }, RequestBody.fromBytes(json)));
    }

    // ---------------------------------------------------------------------------------------------- S3 calls

    /** The key of {@code file} in a version's place; {@code file} empty: the place itself, ending in '/'. */
    private String key(String model, String version, String file) {
        return prefix + model + "/" + version + "/" + file;
    }

    private Optional<byte[]> getBytes(String key) {
        return call("get " + key, () -> {
            try {
                return Optional.of(s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray());
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            }
        });
    }

    private Optional<HeadObjectResponse> head(String key) {
        return call("head " + key, () -> {
            try {
                return Optional.of(s3.headObject(r -> r.bucket(bucket).key(key)));
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            }
        });
    }

    /** A conditional request's condition did not hold. */
    private static final class ConditionFailed extends RuntimeException {
        ConditionFailed() {
            super(null, null, false, false);
        }
    }

    /**
     * Runs one S3 call, turning what S3 answers into the store's terms: a failed condition into
     * {@link ConditionFailed}; an unreachable endpoint, a missing bucket, denied access or a server error into
     * UNAVAILABLE naming the bucket.
     */
    private <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (S3Exception e) {
            int status = e.statusCode();
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if (status == 412 || (status == 409 && "ConditionalRequestConflict".equals(code))
                    || (status == 404 && what.startsWith("replace ") && !"NoSuchBucket".equals(code))) {
                throw new ConditionFailed();
            }
            if ("NoSuchBucket".equals(code)) {
                throw QuiverException.unavailable("S3 bucket '" + bucket + "' does not exist", null, e);
            }
            if (status == 403 || status == 401) {
                throw QuiverException.unavailable("S3 bucket '" + bucket + "' refuses access (" + code + ")", null, e);
            }
            if (status >= 500 || status == 429) {
                throw QuiverException.unavailable("S3 bucket '" + bucket + "' cannot answer now (HTTP " + status
                        + (code == null ? "" : " " + code) + ")", null, e);
            }
            throw new IllegalStateException("S3 bucket '" + bucket + "' refused to " + what + ": HTTP " + status
                    + (code == null ? "" : " " + code), e);
        } catch (SdkClientException e) {
            throw QuiverException.unavailable("S3 bucket '" + bucket + "' cannot be reached: " + e.getMessage(),
                    null, e);
        } catch (UncheckedIOException e) {
            // a download that broke off, or a cache that cannot be written: either way nothing can be served now
            throw QuiverException.unavailable("S3 bucket '" + bucket + "': cannot " + what + " into the cache: "
                    + e.getCause().getMessage(), null, e);
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static boolean isName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> s = Files.walk(path)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a leftover download folder under .staging is never read: only folders moved into place are
        }
    }

    /** Closes the S3 client when {@link #create} built it; a client given to the constructor stays open. */
    @Override
    public void close() {
        if (ownsClient) {
            s3.close();
        }
    }
}
