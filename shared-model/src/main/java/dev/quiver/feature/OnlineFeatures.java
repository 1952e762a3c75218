package dev.quiver.feature;

import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;
import dev.quiver.error.Stages;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Online feature reads over an {@link OnlineStore}, with Feast's request and answer shapes; writes are
 * {@link FeatureWriter}'s.
 *
 * <p>Contract: a read ({@link #get}, {@link #fetch}) checks every reference and entity value first, reads all
 * views in one store round trip, and gives each value a status: NOT_FOUND when nothing is stored, INVALID with a
 * null value when the store holds something it cannot decode ({@link StoredRow#INVALID}), NULL_VALUE for a stored
 * null, OUTSIDE_MAX_AGE when the row is older than its view's TTL (the value is still returned, as Feast's Java
 * server returns it), PRESENT otherwise. A read never waits on a network and never throws: it returns a stage that completes
 * where the store's read completes ({@link OnlineStore#read}: on the calling thread for the embedded store, on the
 * calling event loop or the store's own for Redis), and that fails with a {@link QuiverException} for bad input
 * (BAD_INPUT, NOT_FOUND or TOO_LARGE, naming the field) or a store that cannot be read (UNAVAILABLE). Each store
 * read, answered or failed, is told to the {@link FetchObserver}, once per view; each answered one to the
 * {@link GapObserver} too, with the rows that lacked features or were stale. Safe to use from many threads.
 */
public final class OnlineFeatures {

    private final FeatureDefinitions defs;
    private final OnlineStore store;
    private final Clock clock;
    private final int maxEntities;
    private final FetchObserver observer;
    private final GapObserver gaps;

    /**
     * @param maxEntities the most entity rows one read may carry; more is TOO_LARGE
     */
    public OnlineFeatures(FeatureDefinitions defs, OnlineStore store, Clock clock, int maxEntities,
                          FetchObserver observer) {
        this(defs, store, clock, maxEntities, observer, GapObserver.NONE);
    }

    /**
     * @param maxEntities the most entity rows one read may carry; more is TOO_LARGE
     * @param gaps        told, per view of every answered read, how many rows lacked features or were stale
     */
    public OnlineFeatures(FeatureDefinitions defs, OnlineStore store, Clock clock, int maxEntities,
                          FetchObserver observer, GapObserver gaps) {
        if (maxEntities < 1) {
            throw new IllegalArgumentException("maxEntities must be at least 1, was " + maxEntities);
        }
        this.defs = defs;
        this.store = store;
        this.clock = clock;
        this.maxEntities = maxEntities;
        this.observer = observer;
        this.gaps = gaps;
    }

    public FeatureDefinitions definitions() {
        return defs;
    }

    public OnlineStore store() {
        return store;
    }

    /**
     * Answers a {@code get-online-features} request. Bad input fails the stage, as does a store that cannot be
     * read; the stage completes where the store's read completes ({@link OnlineStore#read}).
     */
    public CompletionStage<OnlineFeaturesResponse> get(OnlineFeaturesRequest request) {
        return Stages.call(() -> answer(request));
    }

    private CompletionStage<OnlineFeaturesResponse> answer(OnlineFeaturesRequest request) {
        Check.required(request, "body");
        boolean byService = request.featureService() != null;
        Check.that(byService != (request.features() != null), "features",
                "give either 'features' (a list of 'view:feature') or 'feature_service', not " + (byService ? "both" : "neither"));
        List<FeatureRef> refs;
        if (byService) {
            refs = defs.service(request.featureService(), "feature_service");
        } else {
            Check.that(!request.features().isEmpty(), "features", "must name at least one feature");
            refs = new ArrayList<>();
            Set<FeatureRef> seen = new HashSet<>();
            for (int i = 0; i < request.features().size(); i++) {
                String at = "features[" + i + "]";
                FeatureRef r = FeatureRef.parse(request.features().get(i), at);
                defs.ref(r, at);
                Check.that(seen.add(r), at, "'" + r + "' is asked twice");
                refs.add(r);
            }
        }
        boolean full = Boolean.TRUE.equals(request.fullFeatureNames());
        List<String> names = new ArrayList<>();
        Map<String, FeatureRef> byName = new HashMap<>();
        for (FeatureRef r : refs) {
            String name = full ? r.view() + "__" + r.feature() : r.feature();
            FeatureRef clash = byName.put(name, r);
            Check.that(clash == null, "features", "'" + clash + "' and '" + r + "' are both called '" + name
                    + "'; ask with full_feature_names: true");
            names.add(name);
        }
        Map<String, List<Object>> entities = request.entities();
        List<EntityKey> keys = keys(entities, refs);
        return read(refs, keys).thenApply(m -> response(entities, keys, refs, names, m));
    }

    /** The answer to a read: the entity columns as asked, then one column per feature, named as asked. */
    private static OnlineFeaturesResponse response(Map<String, List<Object>> entities, List<EntityKey> keys,
                                                   List<FeatureRef> refs, List<String> names, FeatureMatrix m) {
        List<String> columns = new ArrayList<>(entities.keySet());
        List<OnlineFeaturesResponse.FeatureVector> results = new ArrayList<>();
        int n = keys.size();
        for (String joinKey : entities.keySet()) {
            List<Object> vals = new ArrayList<>(n);
            for (EntityKey k : keys) {
                vals.add(valueOf(k, joinKey));
            }
            results.add(new OnlineFeaturesResponse.FeatureVector(vals, repeat(FeatureStatus.PRESENT, n), repeat(Instant.EPOCH, n)));
        }
        for (int c = 0; c < refs.size(); c++) {
            columns.add(names.get(c));
            results.add(new OnlineFeaturesResponse.FeatureVector(Arrays.asList(m.values()[c]),
                    Arrays.asList(m.statuses()[c]), Arrays.asList(m.eventTimestamps()[c])));
        }
        return new OnlineFeaturesResponse(new OnlineFeaturesResponse.Metadata(columns), results);
    }

    /**
     * Reads features for entity rows (already checked and typed, as {@link #keys} makes them) in one store
     * round trip. Each view reads the part of each key that holds its join keys. The stage completes where the
     * store's read completes ({@link OnlineStore#read}), and fails with the reason when a reference names no
     * declared view or the store cannot be read.
     */
    public CompletionStage<FeatureMatrix> fetch(List<FeatureRef> refs, List<EntityKey> keys) {
        return Stages.call(() -> read(refs, keys));
    }

    private CompletionStage<FeatureMatrix> read(List<FeatureRef> refs, List<EntityKey> keys) {
        Map<String, List<String>> perView = new LinkedHashMap<>();
        for (FeatureRef r : refs) {
            perView.computeIfAbsent(r.view(), v -> new ArrayList<>()).add(r.feature());
        }
        List<OnlineStore.ViewRead> reads = new ArrayList<>(perView.size());
        for (Map.Entry<String, List<String>> e : perView.entrySet()) {
            FeatureView view = defs.view(e.getKey(), "features");
            reads.add(new OnlineStore.ViewRead(view, project(keys, view), e.getValue()));
        }
        long start = System.nanoTime();
        return store.read(reads).handle((rows, failure) -> {
            long nanos = System.nanoTime() - start;
            if (failure != null) {
                for (OnlineStore.ViewRead r : reads) {
                    observer.fetched(store.kind(), r.view().name(), keys.size(), nanos,
                            new int[FeatureStatus.values().length], false);
                }
                throw Stages.cause(failure);
            }
            return matrix(refs, keys, reads, rows, nanos);
        });
    }

    /** Gives each stored value its status, and tells the observer what each view's read came to. */
    private FeatureMatrix matrix(List<FeatureRef> refs, List<EntityKey> keys, List<OnlineStore.ViewRead> reads,
                                 List<List<StoredRow>> rows, long nanos) {
        Instant now = clock.instant();
        int n = keys.size();
        Object[][] values = new Object[refs.size()][n];
        FeatureStatus[][] statuses = new FeatureStatus[refs.size()][n];
        Instant[][] times = new Instant[refs.size()][n];
        Map<String, Integer> readIndex = new HashMap<>();
        for (int i = 0; i < reads.size(); i++) {
            readIndex.put(reads.get(i).view().name(), i);
        }
        Map<String, int[]> counts = new HashMap<>();
        // whether each view's row is older than the view's TTL: one answer per row, shared by its features
        boolean[][] staleRows = new boolean[reads.size()][];
        // which rows of each view lacked a feature, and how many rows lacked each feature: made only for a view
        // where something is missing, so that a healthy read allocates nothing more
        boolean[][] missingRows = new boolean[reads.size()][];
        int[][] missingByFeature = new int[reads.size()][];
        for (int c = 0; c < refs.size(); c++) {
            FeatureRef r = refs.get(c);
            int ri = readIndex.get(r.view());
            List<StoredRow> viewRows = rows.get(ri);
            if (staleRows[ri] == null) {
                staleRows[ri] = staleRows(reads.get(ri).view().ttl(), viewRows, now);
            }
            boolean[] stale = staleRows[ri];
            int[] count = counts.computeIfAbsent(r.view(), v -> new int[FeatureStatus.values().length]);
            int missingBefore = count[FeatureStatus.NOT_FOUND.ordinal()] + count[FeatureStatus.NULL_VALUE.ordinal()]
                    + count[FeatureStatus.INVALID.ordinal()];
            for (int e = 0; e < n; e++) {
                StoredRow row = viewRows.get(e);
                // one lookup: a feature stored as null is present, with a null value
                Object v = row == null ? ABSENT : row.values().getOrDefault(r.feature(), ABSENT);
                FeatureStatus s;
                if (v == ABSENT) {
                    s = FeatureStatus.NOT_FOUND;
                    times[c][e] = Instant.EPOCH;
                } else if (v == StoredRow.INVALID) {
                    // stale or not, a value nobody can read is answered as such, never as data
                    s = FeatureStatus.INVALID;
                    times[c][e] = row.eventTime();
                } else {
                    values[c][e] = v;
                    times[c][e] = row.eventTime();
                    if (stale[e]) {
                        s = FeatureStatus.OUTSIDE_MAX_AGE;
                    } else {
                        s = v == null ? FeatureStatus.NULL_VALUE : FeatureStatus.PRESENT;
                    }
                }
                statuses[c][e] = s;
                count[s.ordinal()]++;
            }
            int missing = count[FeatureStatus.NOT_FOUND.ordinal()] + count[FeatureStatus.NULL_VALUE.ordinal()]
                    + count[FeatureStatus.INVALID.ordinal()] - missingBefore;
            if (missing > 0) {
                markMissing(reads.get(ri), ri, r.feature(), statuses[c], missing, missingRows, missingByFeature);
            }
        }
        for (int ri = 0; ri < reads.size(); ri++) {
            OnlineStore.ViewRead r = reads.get(ri);
            observer.fetched(store.kind(), r.view().name(), n, nanos, counts.get(r.view().name()), true);
            gaps.read(r.view(), r.features(), n, count(missingRows[ri]), count(staleRows[ri]), missingByFeature[ri]);
        }
        return new FeatureMatrix(List.copyOf(refs), n, values, statuses, times);
    }

    /**
     * Checks and types the entity rows of a request: every list has the same length (at least one, at most
     * the limit), every key is a declared join key, and every view of {@code refs} finds its join keys. Unlike a
     * read, it throws: BAD_INPUT, NOT_FOUND or TOO_LARGE naming the field.
     */
    public List<EntityKey> keys(Map<String, List<Object>> entities, List<FeatureRef> refs) {
        Check.that(entities != null && !entities.isEmpty(), "entities",
                "must map at least one join key to a list of values");
        int n = Columns.rows(entities, "entities", "join key", (joinKey, at, values) -> {
            Check.that(defs.entityByJoinKey(joinKey) != null, at, "unknown join key; known: "
                    + defs.entities().stream().map(Entity::joinKey).toList());
            Check.that(values != null && !values.isEmpty(), at, "must hold at least one value");
        });
        Columns.withinLimit(n, maxEntities, "entities", "entity rows");
        Set<String> views = new HashSet<>();
        for (FeatureRef r : refs) {
            if (views.add(r.view())) {
                for (String k : defs.view(r.view(), "features").joinKeys()) {
                    Check.that(entities.containsKey(k), "entities", "feature view '" + r.view() + "' is keyed by '"
                            + k + "', which the request does not give");
                }
            }
        }
        List<EntityKey> keys = new ArrayList<>(n);
        for (int row = 0; row < n; row++) {
            Map<String, Object> key = new HashMap<>();
            for (Map.Entry<String, List<Object>> e : entities.entrySet()) {
                String at = "entities." + e.getKey() + "[" + row + "]";
                Object v = e.getValue().get(row);
                Check.that(v != null, at, "must not be null");
                key.put(e.getKey(), defs.entityByJoinKey(e.getKey()).valueType().coerce(v, at));
            }
            keys.add(EntityKey.of(key));
        }
        return keys;
    }

    private static boolean stale(Duration ttl, Instant eventTime, Instant now) {
        return !ttl.isZero() && Duration.between(eventTime, now).compareTo(ttl) > 0;
    }

    /** A feature's value where the row has none: not a value any store returns. */
    private static final Object ABSENT = new Object();

    /** For each row (null: none), whether it is older than {@code ttl} at {@code now}, as {@link #stale} decides. */
    /** Notes the rows of a view's read where {@code feature} is missing, and how many they are. */
    private static void markMissing(OnlineStore.ViewRead read, int ri, String feature, FeatureStatus[] statuses,
                                    int missing, boolean[][] missingRows, int[][] missingByFeature) {
        if (missingRows[ri] == null) {
            missingRows[ri] = new boolean[statuses.length];
            missingByFeature[ri] = new int[read.features().size()];
        }
        missingByFeature[ri][read.features().indexOf(feature)] = missing;
        for (int e = 0; e < statuses.length; e++) {
            FeatureStatus s = statuses[e];
            if (s == FeatureStatus.NOT_FOUND || s == FeatureStatus.NULL_VALUE || s == FeatureStatus.INVALID) {
                missingRows[ri][e] = true;
            }
        }
    }

    private static int count(boolean[] rows) {
        int n = 0;
        if (rows != null) {
            for (boolean b : rows) {
                if (b) {
                    n++;
                }
            }
        }
        return n;
    }

    private static boolean[] staleRows(Duration ttl, List<StoredRow> rows, Instant now) {
        boolean[] stale = new boolean[rows.size()];
        for (int e = 0; e < stale.length; e++) {
            StoredRow row = rows.get(e);
            stale[e] = row != null && stale(ttl, row.eventTime(), now);
        }
        return stale;
    }

    private static List<EntityKey> project(List<EntityKey> keys, FeatureView view) {
        List<String> joinKeys = view.joinKeys();
        if (!keys.isEmpty() && keys.get(0).joinKeys().equals(joinKeys.stream().sorted(EntityKey::compareCodePoints).toList())) {
            return keys;
        }
        List<EntityKey> out = new ArrayList<>(keys.size());
        for (EntityKey k : keys) {
            Map<String, Object> m = new HashMap<>();
            for (String j : joinKeys) {
                m.put(j, valueOf(k, j));
            }
            out.add(EntityKey.of(m));
        }
        return out;
    }

    private static Object valueOf(EntityKey k, String joinKey) {
        for (int i = 0; i < k.size(); i++) {
            if (k.joinKey(i).equals(joinKey)) {
                return k.value(i);
            }
        }
        return null;
    }

    private static <T> List<T> repeat(T v, int n) {
        return java.util.Collections.nCopies(n, v);
    }
}
