package dev.quiver.feature;

import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Online feature writes into an {@link OnlineStore}: Feast's {@code push} ({@link #push}) and the rows of a bulk
 * load ({@link #check}, then {@link #write}).
 *
 * <p>Contract: every row of a request is checked and typed by the definitions before anything is written, so a
 * request with any bad row writes nothing and fails with a {@link QuiverException} naming the row and field
 * (BAD_INPUT; NOT_FOUND for an unknown push source; TOO_LARGE for more rows than the limit). Written rows keep the
 * newest event time per entity and view, as the store's {@link OnlineStore#write} does. Writes block the calling
 * thread until the store has them, so they are not made on an event loop; the class is safe to use from many
 * threads.
 */
public final class FeatureWriter {

    /** The column of a push or a bulk load that carries each row's event time. */
    public static final String EVENT_TIMESTAMP = "event_timestamp";
    private static final String CREATED = "created";

    private final FeatureDefinitions defs;
    private final OnlineStore store;
    private final int maxRows;

    /**
     * @param maxRows the most rows one push may carry; more is TOO_LARGE
     */
    public FeatureWriter(FeatureDefinitions defs, OnlineStore store, int maxRows) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1, was " + maxRows);
        }
        this.defs = defs;
        this.store = store;
        this.maxRows = maxRows;
    }

    public FeatureDefinitions definitions() {
        return defs;
    }

    public OnlineStore store() {
        return store;
    }

    /** Writes the rows of a push to every view its push source feeds, after checking all of them. */
    public PushResult push(PushRequest request) {
        Check.required(request, "body");
        String source = Check.required(request.pushSourceName(), "push_source_name");
        String to = request.to() == null ? "online" : request.to();
        Check.that(to.equals("online") || to.equals("online_and_offline"), "to", "'" + to
                + "' is not served: this server writes the online store only (online or online_and_offline)");
        List<FeatureView> targets = defs.pushTargets(source, "push_source_name");
        Map<String, List<Object>> df = request.df();
        Check.that(df != null && !df.isEmpty(), "df", "must map column names to lists of values");
        int n = Columns.rows(df, "df", "column",
                (column, at, values) -> Check.that(values != null, at, "must be a list of values"));
        Check.that(n > 0, "df", "must hold at least one row");
        Columns.withinLimit(n, maxRows, "df", "rows");
        Set<String> known = new HashSet<>(List.of(EVENT_TIMESTAMP, CREATED));
        targets.forEach(v -> {
            known.addAll(v.joinKeys());
            v.features().forEach(f -> known.add(f.name()));
        });
        for (String column : df.keySet()) {
            Check.that(known.contains(column), "df." + column, "unknown column: push source '" + source
                    + "' feeds " + targets.stream().map(FeatureView::name).toList() + ", which have no such feature or join key");
        }
        List<Map<String, Object>> rows = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            Map<String, Object> row = new HashMap<>();
            for (Map.Entry<String, List<Object>> e : df.entrySet()) {
                row.put(e.getKey(), e.getValue().get(r));
            }
            rows.add(row);
        }
        List<List<FeatureRow>> checked = new ArrayList<>();
        for (FeatureView v : targets) {
            checked.add(rows(v, rows, i -> "df[" + i + "]", true));
        }
        int written = 0;
        for (int i = 0; i < targets.size(); i++) {
            written += store.write(targets.get(i), checked.get(i));
        }
        return new PushResult(n, written, n * targets.size() - written);
    }

    /**
     * Checks and types rows of one view as a bulk load reads them: its join keys, {@code event_timestamp} and
     * every feature; other columns are errors. The first bad row fails the whole call.
     *
     * @param rows  rows as decoded from JSON (numbers, strings, booleans) or, with {@code text} true, as
     *              text cells
     * @param where names row {@code i} in errors, for example {@code "line 12"}
     */
    public List<FeatureRow> check(FeatureView view, List<Map<String, Object>> rows, IntFunction<String> where,
                                  boolean text) {
        return text ? textRows(view, rows, where) : rows(view, rows, where, false);
    }

    /**
     * Writes rows of {@code view} that {@link #check} returned, newest event time winning.
     *
     * @return how many rows were written; the others were not newer than what the store held
     */
    public int write(FeatureView view, List<FeatureRow> rows) {
        return store.write(view, rows);
    }

    private List<FeatureRow> rows(FeatureView view, List<Map<String, Object>> rows, IntFunction<String> where,
                                  boolean ignoreOthers) {
        List<FeatureRow> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = rows.get(i);
            out.add(inRow(where, i, () -> row(view, row, ignoreOthers)));
        }
        return out;
    }

    /** One row, its problems naming the field within the row ({@link #inRow} puts the row in front). */
    private static FeatureRow row(FeatureView view, Map<String, Object> row, boolean ignoreOthers) {
        Map<String, Object> key = new HashMap<>();
        for (Entity e : view.entities()) {
            Object v = row.get(e.joinKey());
            Check.that(v != null, e.joinKey(), "missing join key of feature view '" + view.name() + "'");
            key.put(e.joinKey(), e.valueType().coerce(v, e.joinKey()));
        }
        Object ts = row.get(EVENT_TIMESTAMP);
        Check.that(ts != null, EVENT_TIMESTAMP, "missing event timestamp");
        Instant time = timestamp(ts, EVENT_TIMESTAMP);
        Map<String, Object> values = new HashMap<>();
        for (Feature f : view.features()) {
            Check.that(row.containsKey(f.name()), f.name(), "missing feature of view '" + view.name() + "'");
            values.put(f.name(), f.dtype().coerce(row.get(f.name()), f.name()));
        }
        if (!ignoreOthers) {
            for (String column : row.keySet()) {
                Check.that(column.equals(EVENT_TIMESTAMP) || column.equals(CREATED) || values.containsKey(column)
                        || key.containsKey(column), column, "unknown column: view '" + view.name()
                        + "' has no such feature or join key");
            }
        }
        return new FeatureRow(EntityKey.of(key), time, values);
    }

    /**
     * {@code work} on row {@code i}, a problem's field put after the row's name ({@code where}: {@code df[3]},
     * {@code line 12}) only when there is one: naming every value up front cost more than checking it, on the
     * thousands of rows of a batch source.
     */
    private static <T> T inRow(IntFunction<String> where, int i, Supplier<T> work) {
        try {
            return work.get();
        } catch (QuiverException e) {
            throw e.field() == null ? e : new QuiverException(e.kind(), where.apply(i) + "." + e.field(), e.reason(), e);
        }
    }

    private List<FeatureRow> textRows(FeatureView view, List<Map<String, Object>> rows, IntFunction<String> where) {
        List<Map<String, Object>> typed = new ArrayList<>(rows.size());
        Map<String, ValueType> types = new HashMap<>();
        view.entities().forEach(e -> types.put(e.joinKey(), e.valueType()));
        view.features().forEach(f -> types.put(f.name(), f.dtype()));
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = rows.get(i);
            typed.add(inRow(where, i, () -> {
                Map<String, Object> t = new HashMap<>();
                for (Map.Entry<String, Object> e : row.entrySet()) {
                    ValueType type = types.get(e.getKey());
                    t.put(e.getKey(), type == null ? e.getValue() : type.parse((String) e.getValue(), e.getKey()));
                }
                return t;
            }));
        }
        return rows(view, typed, where, false);
    }

    /** Event times as Feast's push accepts them: ISO-8601 or pandas text, or epoch seconds as a number. */
    static Instant timestamp(Object v, String field) {
        if (v instanceof Number n) {
            double s = n.doubleValue();
            Check.that(Double.isFinite(s), field, "must be a timestamp");
            long secs = (long) Math.floor(s);
            return Instant.ofEpochSecond(secs, Math.round((s - secs) * 1e9));
        }
        if (v instanceof String s) {
            return ValueType.instant(s, field);
        }
        if (v instanceof Instant i) {
            return i;
        }
        throw QuiverException.badInput(field, "must be a timestamp string such as 2022-05-13T10:59:42Z or epoch seconds");
    }
}
