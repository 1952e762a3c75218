package dev.quiver.registry;

import dev.quiver.model.ModelDescriptor;
import dev.quiver.model.ModelKey;
import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;
import dev.quiver.inference.InferenceEngine;
import dev.quiver.inference.ServedModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Models by name, their versions and aliases, and the live sessions that serve them.
 *
 * <p>Reads ({@link #resolve}) are lock-free lookups in immutable snapshots, so the request path never waits
 * for a registration. Writes are serialised and take effect only once complete: a new version is verified
 * (checksum), loaded, checked against its descriptor and warmed up before it is stored and becomes
 * resolvable; an alias moves only to a version that is loaded. A version that fails any step is rejected
 * and changes nothing, so whatever served before keeps serving.
 *
 * <p>Before every load, of a version being registered or of one already in the store (which an older build or a
 * person may have written), its files pass {@link ModelFileCheck} with this registry's {@link ModelLimits}: the
 * runtime never opens a file outside the version's directory, nor a model over the limits. A version being
 * registered is loaded from a private temporary directory holding only its ONNX file and its external data files;
 * a stored one from its directory in the store.
 *
 * <p>At {@link #start} every version that an alias points to is loaded; other versions load on first use.
 * {@link #startInBackground} does the same on another thread, so that a server can finish starting meanwhile:
 * until it is done, the reads that need aliases or models wait for it.
 */
public final class ModelRegistry implements AutoCloseable {

    /** The alias that requests without a version or alias resolve to. */
    public static final String CHAMPION = "champion";

    private final ModelStore store;
    private final InferenceEngine engine;
    private final Clock clock;
    private final ModelLimits limits;
    private final Map<ModelKey, ServedModel> loaded = new ConcurrentHashMap<>();
    private volatile Map<String, Map<String, String>> aliases = Map.of();
    private final Object writeLock = new Object();
    private volatile boolean started;
    /** Open while a {@link #startInBackground} is loading; null when none was asked for. */
    private volatile CountDownLatch loading;
    private volatile Duration loadingWait = Duration.ZERO;
    private volatile boolean closed;

    /** A registry whose models are checked against {@link ModelLimits#DEFAULTS}. */
    public ModelRegistry(ModelStore store, InferenceEngine engine, Clock clock) {
        this(store, engine, clock, ModelLimits.DEFAULTS);
    }

    public ModelRegistry(ModelStore store, InferenceEngine engine, Clock clock, ModelLimits limits) {
        this.store = store;
        this.engine = engine;
        this.clock = clock;
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Loads every aliased version. A version that fails to load is skipped and reported in the result. */
    public Map<ModelKey, String> start() {
        Map<ModelKey, String> failures = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        synchronized (writeLock) {
            Map<String, Map<String, String>> snapshot = new HashMap<>();
            for (String model : store.modelNames()) {
                Map<String, String> a = store.aliases(model);
                snapshot.put(model, Map.copyOf(a));
                for (String version : a.values()) {
                    try {
                        ensureLoaded(model, version);
                    } catch (RuntimeException e) {
                        failures.put(new ModelKey(model, version), e.getMessage());
                    }
                }
            }
            aliases = Map.copyOf(snapshot);
            started = true;
        }
        return failures;
    }

    /**
     * Runs {@link #start} on {@code executor} and returns at once. Until it is done, {@link #resolve} and
     * {@link #aliases} wait for it, at most {@code wait} each, then fail as UNAVAILABLE (a 503 with a
     * {@code Retry-After}); {@link #championsReady} is false meanwhile. Writes wait for it as they wait for each
     * other.
     */
    public CompletableFuture<Map<ModelKey, String>> startInBackground(Executor executor, Duration wait) {
        CountDownLatch latch = new CountDownLatch(1);
        loadingWait = wait;
        loading = latch;
        return CompletableFuture.supplyAsync(() -> {
            try {
                return start();
            } finally {
                latch.countDown();
            }
        }, executor);
    }

    /** Whether {@link #start} has finished: the aliases are read and every aliased version was tried. */
    public boolean started() {
        return started;
    }

    /**
     * The served model for a request: an explicit {@code version} wins, else {@code alias}, else
     * {@value #CHAMPION}. Fails with NOT_FOUND naming what is missing.
     */
    public ServedModel resolve(String model, String version, String alias) {
        Check.required(model, "model");
        awaitStart();
        if (version != null) {
            ServedModel s = loaded.get(new ModelKey(model, version));
            return s != null ? s : loadOnDemand(model, version);
        }
        String a = alias == null ? CHAMPION : alias;
        Map<String, String> modelAliases = aliases.get(model);
        if (modelAliases == null) {
            // a model registered since start has versions but no aliases yet: the alias is what is missing
            if (store.versions(model).isEmpty()) {
                throw unknownModel(model);
            }
            modelAliases = Map.of();
        }
        String v = modelAliases.get(a);
        if (v == null) {
            throw QuiverException.notFound("alias", "model '" + model + "' has no alias '" + a + "'");
        }
        ServedModel s = loaded.get(new ModelKey(model, v));
        return s != null ? s : loadOnDemand(model, v);
    }

    /** Whether {@link #start} has run and every model that has a {@value #CHAMPION} alias has it loaded and warm. */
    public boolean championsReady() {
        if (!started) {
            return false;
        }
        for (Map.Entry<String, Map<String, String>> e : aliases.entrySet()) {
            String v = e.getValue().get(CHAMPION);
            if (v != null && !loaded.containsKey(new ModelKey(e.getKey(), v))) {
                return false;
            }
        }
        return true;
    }

    /** Whether this version is loaded and warm. */
    public boolean isLoaded(String model, String version) {
        return loaded.containsKey(new ModelKey(model, version));
    }

    public List<String> models() {
        return store.modelNames();
    }

    /** The versions of a model, oldest first; NOT_FOUND for an unknown model. */
    public List<String> versions(String model) {
        List<String> v = store.versions(model);
        if (v.isEmpty()) {
            throw unknownModel(model);
        }
        return v;
    }

    public Map<String, String> aliases(String model) {
        versions(model);
        awaitStart();
        return aliases.getOrDefault(model, Map.of());
    }

    /** The descriptor of a version; NOT_FOUND when model or version is unknown. */
    public ModelDescriptor descriptor(String model, String version) {
        return store.descriptor(model, version).orElseThrow(() -> unknownVersion(model, version));
    }

    /**
     * Registers a new version: checks the descriptor, verifies the checksum when one is declared, checks the
     * model's files ({@link ModelFileCheck}), loads, checks and warms the model, and only then stores it. The version
     * is assigned (the next whole number) when the descriptor has none.
     *
     * @return the stored descriptor, with name, version, sha256 and creation time filled in
     */
    public ModelDescriptor register(String model, ModelDescriptor descriptor, byte[] artifact) {
        return register(model, descriptor, artifact, null);
    }

    /**
     * The same, with the version's reference profile (drift sketches of its training data, checked by the caller)
     * stored with it.
     */
    public ModelDescriptor register(String model, ModelDescriptor descriptor, byte[] artifact, byte[] referenceProfile) {
        Check.name(model, "model");
        Check.required(descriptor, "descriptor");
        Check.that(artifact != null && artifact.length > 0, "model", "the ONNX file is empty");
        String sha = sha256(artifact);
        checkDeclaredSha(descriptor, sha);
        Path staging = privateDirectory();
        try {
            Files.write(staging.resolve(DirectoryModelStore.ARTIFACT), artifact);
            return registerStaged(model, descriptor, sha, staging, Set.of(), referenceProfile, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(staging);
        }
    }

    /**
     * Registers a new version from files: an ONNX file and the external data files its tensors name, which are
     * stored with it (every one of them must be named by a tensor). Otherwise as {@link #register(String,
     * ModelDescriptor, byte[], byte[])}; the descriptor's sha256 is that of the ONNX file.
     */
    public ModelDescriptor register(String model, ModelDescriptor descriptor, ModelArtifact artifact,
                                    byte[] referenceProfile) {
        Check.name(model, "model");
        Check.required(descriptor, "descriptor");
        Check.required(artifact, "model");
        Path staging = privateDirectory();
        try {
            String sha = stage(artifact, staging);
            checkDeclaredSha(descriptor, sha);
            return registerStaged(model, descriptor, sha, staging, artifact.externalData().keySet(),
                    referenceProfile, null);
        } finally {
            deleteQuietly(staging);
        }
    }

    /**
     * Loads a version without registering it, so that it can be measured before it serves: the same steps as
     * {@link #register(String, ModelDescriptor, ModelArtifact, byte[])} short of storing it. The model file's
     * sha256 must be {@code sha256} (BAD_INPUT naming {@code sha256}, with both digests, otherwise), and the
     * descriptor's when it declares one (BAD_INPUT naming {@code descriptor.sha256}); nothing is loaded before. The candidate is named with the version it would be registered as; it serves
     * nothing and no alias can reach it. {@link #register(Candidate, byte[])} registers it; closing it without
     * registering releases its session and its files.
     *
     * @param sha256 the digest the sender declares for the model file, 64 hex digits
     */
    public Candidate candidate(String model, ModelDescriptor descriptor, ModelArtifact artifact, String sha256) {
        Check.name(model, "model");
        Check.required(descriptor, "descriptor");
        Check.required(artifact, "model");
        Check.required(sha256, "sha256");
        Check.that(sha256.length() == 64 && sha256.chars().allMatch(c -> Character.digit(c, 16) >= 0), "sha256",
                "must be the model file's SHA-256 digest, 64 hex digits");
        Path staging = privateDirectory();
        try {
            String actual = stage(artifact, staging);
            Check.that(actual.equalsIgnoreCase(sha256), "sha256", "the model file's sha256 is " + actual
                    + ", not the delivered " + sha256.toLowerCase(java.util.Locale.ROOT));
            Check.that(descriptor.sha256() == null || descriptor.sha256().equalsIgnoreCase(actual), "descriptor.sha256",
                    "the model file's sha256 is " + actual + ", not the declared " + descriptor.sha256());
            Path onnx = staging.resolve(DirectoryModelStore.ARTIFACT);
            ModelDescriptor d;
            synchronized (writeLock) {
                String version = descriptor.version() != null ? descriptor.version() : nextVersion(model);
                d = descriptor.withIdentity(model, version, actual, clock.instant());
                d.validate();
                checkNew(model, version);
            }
            checkFiles(onnx, artifact.externalData().keySet(), limits);
            ServedModel served = new ServedModel(engine.load(d, onnx));
            return new Candidate(descriptor, served, staging, artifact.externalData().keySet());
        } catch (RuntimeException e) {
            deleteQuietly(staging);
            throw e;
        }
    }

    /**
     * Registers a candidate: the version it was loaded as, with its session, when that version is still free and
     * the next; otherwise (another version was registered meanwhile) as the next version, loaded again. Stores the
     * reference profile with it, as {@link #register(String, ModelDescriptor, ModelArtifact, byte[])} does.
     *
     * @return the stored descriptor
     */
    public ModelDescriptor register(Candidate candidate, byte[] referenceProfile) {
        Check.required(candidate, "candidate");
        ModelDescriptor d = candidate.descriptor();
        return registerStaged(d.name(), candidate.sent(), d.sha256(), candidate.staging(), candidate.uploaded(),
                referenceProfile, candidate);
    }

    /** Copies the model file and its external data files into {@code staging}; returns the model file's sha256. */
    private static String stage(ModelArtifact artifact, Path staging) {
        try {
            Path onnx = staging.resolve(DirectoryModelStore.ARTIFACT);
            Files.copy(artifact.model(), onnx);
            Check.that(Files.size(onnx) > 0, "model", "the ONNX file is empty");
            for (Map.Entry<String, Path> e : artifact.externalData().entrySet()) {
                Path target = staging.resolve(ModelFileCheck.location(e.getKey(), "external_data"));
                Files.createDirectories(target.getParent());
                Files.copy(e.getValue(), target);
            }
            return sha256(onnx);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void checkNew(String model, String version) {
        if (store.descriptor(model, version).isPresent()) {
            throw QuiverException.conflict("descriptor.version", "model '" + model + "' already has version '"
                    + version + "'; versions are immutable");
        }
    }

    /** The model's files pass {@link ModelFileCheck}, and every uploaded data file is named by one of its tensors. */
    private static ModelFileCheck.Result checkFiles(Path onnx, Set<String> uploaded, ModelLimits limits) {
        ModelFileCheck.Result checked = ModelFileCheck.check(onnx, limits);
        for (String location : uploaded) {
            if (!checked.externalData().contains(location)) {
                throw QuiverException.rejected("external_data", "'" + location + "' is named by no tensor of the "
                        + "model; send only the data files its tensors name");
            }
        }
        return checked;
    }

    /** A local file holding the version's reference profile; empty when it has none. */
    public Optional<Path> referenceProfile(String model, String version) {
        return store.referenceProfile(model, version);
    }

    /**
     * Registers the version laid out in {@code staging}: {@code model.onnx} and the external data files
     * {@code uploaded} at their locations. The runtime opens it there, and the store copies it from there. A
     * {@code candidate} loaded as the version this assigns hands its session over instead of a new load.
     */
    private ModelDescriptor registerStaged(String model, ModelDescriptor descriptor, String actualSha, Path staging,
                                           Set<String> uploaded, byte[] referenceProfile, Candidate candidate) {
        Path onnx = staging.resolve(DirectoryModelStore.ARTIFACT);
        synchronized (writeLock) {
            String version = descriptor.version() != null ? descriptor.version() : nextVersion(model);
            boolean reuse = candidate != null && candidate.descriptor().version().equals(version)
                    && candidate.descriptor().name().equals(model);
            ModelDescriptor d = reuse ? candidate.descriptor()
                    : descriptor.withIdentity(model, version, actualSha, clock.instant());
            d.validate();
            checkNew(model, version);
            ModelFileCheck.Result checked = checkFiles(onnx, uploaded, limits);
            Map<String, Path> data = new TreeMap<>();
            checked.externalData().forEach(location -> data.put(location, staging.resolve(location)));
            ServedModel served = reuse ? candidate.served() : new ServedModel(engine.load(d, onnx));
            try {
                store.write(d, new ModelArtifact(onnx, data), referenceProfile);
            } catch (RuntimeException e) {
                if (!reuse) {
                    served.model().close();
                }
                throw e;
            }
            if (candidate != null) {
                candidate.registered(reuse);
            }
            loaded.put(new ModelKey(model, version), served);
            return d;
        }
    }

    private static void checkDeclaredSha(ModelDescriptor descriptor, String actualSha) {
        if (descriptor.sha256() != null && !descriptor.sha256().equalsIgnoreCase(actualSha)) {
            throw QuiverException.rejected("descriptor.sha256", "the file's sha256 is " + actualSha
                    + ", not the declared " + descriptor.sha256());
        }
    }

    /**
     * Points {@code alias} of {@code model} at {@code version}, loading the version first if needed. The aliases are
     * read from the store and replaced only if no other instance has moved them since; CONFLICT when others keep
     * winning.
     */
    public Map<String, String> setAlias(String model, String alias, String version) {
        Check.name(alias, "alias");
        Check.required(version, "version");
        return changeAliases(model, aliases -> {
            ensureLoaded(model, version);
            aliases.put(alias, version);
        });
    }

    /** Removes {@code alias} of {@code model}; NOT_FOUND when it does not exist. */
    public Map<String, String> removeAlias(String model, String alias) {
        return changeAliases(model, aliases -> {
            if (aliases.remove(alias) == null) {
                throw QuiverException.notFound("alias", "model '" + model + "' has no alias '" + alias + "'");
            }
        });
    }

    /** How often a change of aliases is tried again when another instance's write got in first. */
    private static final int ALIAS_TRIES = 10;

    private Map<String, String> changeAliases(String model, java.util.function.Consumer<Map<String, String>> change) {
        synchronized (writeLock) {
            for (int i = 0; i < ALIAS_TRIES; i++) {
                ModelStore.Aliases read = store.readAliases(model);
                Map<String, String> next = new TreeMap<>(read.aliases());
                change.accept(next);
                if (store.replaceAliases(model, read.tag(), next)) {
                    publish(model, next);
                    return Map.copyOf(next);
                }
            }
            throw QuiverException.conflict("alias", "the aliases of model '" + model + "' were changed by another"
                    + " instance at each of " + ALIAS_TRIES + " tries; try again");
        }
    }

    /**
     * Reads every model's aliases from the store again and serves what other instances have moved them to, loading
     * the versions they name first; a version that fails to load leaves the model's aliases as they were served and
     * is reported in the result. Called every {@code quiver.registry.refresh-every} by the function.
     */
    public Map<ModelKey, String> refresh() {
        Map<ModelKey, String> failures = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        if (!started) {
            return failures;
        }
        synchronized (writeLock) {
            for (String model : store.modelNames()) {
                Map<String, String> stored = store.aliases(model);
                if (stored.equals(aliases.getOrDefault(model, Map.of()))) {
                    continue;
                }
                boolean loads = true;
                for (String version : stored.values()) {
                    try {
                        ensureLoaded(model, version);
                    } catch (RuntimeException e) {
                        failures.put(new ModelKey(model, version), e.getMessage());
                        loads = false;
                    }
                }
                if (loads) {
                    publish(model, stored);
                }
            }
        }
        return failures;
    }

    @Override
    public void close() {
        closed = true;
        // after a background start still loading: it stops at its next version, and opens nothing after this
        synchronized (writeLock) {
            loaded.values().forEach(s -> s.model().close());
            loaded.clear();
        }
    }

    /** Waits for a background {@link #start} still loading; UNAVAILABLE when it takes longer than allowed. */
    private void awaitStart() {
        CountDownLatch latch = loading;
        if (started || latch == null) {
            return;
        }
        boolean done = false;
        try {
            done = latch.await(loadingWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!done) {
            throw QuiverException.unavailable("the models are still loading; try again shortly", Duration.ofSeconds(1),
                    null);
        }
        if (!started) {
            throw QuiverException.unavailable("the model store could not be read at start", Duration.ofSeconds(1), null);
        }
    }

    private void publish(String model, Map<String, String> modelAliases) {
        Map<String, Map<String, String>> next = new HashMap<>(aliases);
        next.put(model, Map.copyOf(modelAliases));
        aliases = Map.copyOf(next);
    }

    private ServedModel loadOnDemand(String model, String version) {
        synchronized (writeLock) {
            return ensureLoaded(model, version);
        }
    }

    private ServedModel ensureLoaded(String model, String version) {
        ModelKey key = new ModelKey(model, version);
        ServedModel s = loaded.get(key);
        if (s != null) {
            return s;
        }
        if (closed) {
            throw QuiverException.unavailable("the registry is shutting down");
        }
        ModelDescriptor d = store.descriptor(model, version).orElseThrow(() -> unknownVersion(model, version));
        Path artifact = store.artifact(model, version).orElseThrow(() -> unknownVersion(model, version));
        String actual = sha256(artifact);
        if (d.sha256() != null && !d.sha256().equals(actual)) {
            throw QuiverException.rejected("sha256", "stored artifact of " + key + " has sha256 " + actual
                    + " but its descriptor says " + d.sha256());
        }
        try {
            ModelFileCheck.check(artifact, limits);
        } catch (QuiverException e) {
            // a stored version over a limit is refused as any unloadable version is, not as a too large request
            throw QuiverException.rejected(e.field(), "stored version " + key + " cannot be loaded: " + e.reason(), e);
        }
        s = new ServedModel(engine.load(d, artifact));
        loaded.put(key, s);
        return s;
    }

    /** A new temporary directory that only this process's user can read. */
    private static Path privateDirectory() {
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                return Files.createTempDirectory("quiver-register-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            return Files.createTempDirectory("quiver-register-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temporary directory left behind is harmless
        }
    }

    private String nextVersion(String model) {
        long max = 0;
        for (String v : store.versions(model)) {
            if (v.chars().allMatch(Character::isDigit) && v.length() < 18) {
                max = Math.max(max, Long.parseLong(v));
            }
        }
        return Long.toString(max + 1);
    }

    private QuiverException unknownModel(String model) {
        return QuiverException.notFound("model", "no model named '" + model + "'");
    }

    private QuiverException unknownVersion(String model, String version) {
        if (store.versions(model).isEmpty()) {
            return unknownModel(model);
        }
        return QuiverException.notFound("version", "model '" + model + "' has no version '" + version + "'");
    }

    /** The lowercase hex sha256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The lowercase hex sha256 of a file's content. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Optional<ServedModel> loadedModel(ModelKey key) {
        return Optional.ofNullable(loaded.get(key));
    }
}
