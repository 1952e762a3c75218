package dev.quiver.prediction;

import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;
import dev.quiver.inference.BadRowException;
import dev.quiver.inference.ServedModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Scores requests by entity id: each entity's features are read from the online store ({@link EntityFeatures}), the
 * rows that could be filled are scored in one run, and every entity is answered in order, with its join keys and
 * what it lacked (missing, stale, degraded).
 *
 * <p>A row fails alone, with its own {@code error} and no label, when a required feature is missing or a stored value
 * is one the model cannot take (a category it never saw); the request fails as a whole only for what is wrong with
 * the request itself: BAD_INPUT (rows and entities together, malformed ids, a model that reads no features), TOO_LARGE
 * (more than {@code maxRows} entity rows), or UNAVAILABLE (the store cannot be read and no defaults stand in).
 *
 * <p>Threading: {@link #predict} checks the request on the calling thread and throws what it finds; the stage it
 * returns completes where the store's read completes (for a network store, the thread its reply arrives on), and
 * the rows are scored there.
 */
final class EntityPredictions {

    private final RowPredictions rows;
    private final EntityFeatures features;
    private final int maxRows;

    /** @param features where the features are read; null when this deployment serves only rows of features */
    EntityPredictions(RowPredictions rows, EntityFeatures features, int maxRows) {
        this.rows = rows;
        this.features = features;
        this.maxRows = maxRows;
    }

    /** Reads the request's entities' features and scores them (see the class comment). */
    CompletionStage<PredictResult> predict(PredictRequest request) {
        request.check();
        Check.that(request.rows() == null, "rows", "give either rows of features or entities, not both");
        Check.that(features != null, "entities", "this deployment reads no online features; send rows instead");
        int n = request.entities().values().stream().filter(Objects::nonNull).mapToInt(List::size).max().orElse(0);
        if (n > maxRows) {
            throw QuiverException.tooLarge("entities", n + " entity rows is more than the limit of " + maxRows);
        }
        ServedModel served = rows.namedInputModel(request);
        return features.rows(served, request.entities()).thenApply(f -> score(request, served, f));
    }

    /** Scores the rows read for a request by entity id; a row that cannot be scored fails alone. */
    private PredictResult score(PredictRequest request, ServedModel served, EntityFeatures.Rows f) {
        int size = f.rows().size();
        String id = RowPredictions.requestId(request);
        String[] errors = new String[size];
        f.errors().forEach(e -> errors[e.row()] = e.reason());
        List<PredictResult.Row> scored;
        try {
            scored = scoreValid(served, f.rows(), errors, new RowPredictions.Served(id, request.rowNumbers()));
        } catch (BadRowException e) {
            // a stored value the model cannot take fails its own row, not the batch: find every such row with one
            // single-row encoding each, then score the rest once
            for (RowError bad : unencodable(served, f.rows(), errors)) {
                errors[bad.row()] = bad.reason();
            }
            scored = scoreValid(served, f.rows(), errors, new RowPredictions.Served(id, request.rowNumbers()));
        }
        List<PredictResult.Row> out = new ArrayList<>(size);
        int next = 0;
        Boolean degraded = f.degraded() ? Boolean.TRUE : null;
        for (int e = 0; e < size; e++) {
            Map<String, Object> entity = new LinkedHashMap<>();
            for (int k = 0; k < f.keys().get(e).size(); k++) {
                entity.put(f.keys().get(e).joinKey(k), f.keys().get(e).value(k));
            }
            if (errors[e] != null) {
                out.add(new PredictResult.Row(null, null, served.key().name(), served.key().version(), entity,
                        f.missing().get(e), f.stale().get(e), degraded, errors[e]));
            } else {
                PredictResult.Row r = scored.get(next++);
                out.add(new PredictResult.Row(r.label(), r.probabilities(), r.model(), r.version(), entity,
                        f.missing().get(e), f.stale().get(e), degraded, null));
            }
        }
        return new PredictResult(id, served.key().name(), served.key().version(), out);
    }

    /** The rows without an error so far whose stored values the model cannot take, each with the reason. */
    private static List<RowError> unencodable(ServedModel served, List<Map<String, Object>> rows, String[] errors) {
        List<RowError> bad = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            if (errors[r] == null) {
                try {
                    served.encoder().encodeDouble(List.of(rows.get(r)));
                } catch (BadRowException e) {
                    bad.add(RowError.stored(r, e));
                }
            }
        }
        return bad;
    }

    /** Scores the rows without an error, in order; an empty list when there are none. */
    private List<PredictResult.Row> scoreValid(ServedModel served, List<Map<String, Object>> all, String[] errors,
                                               RowPredictions.Served as) {
        List<Map<String, Object>> ok = new ArrayList<>(all.size());
        List<Integer> numbers = new ArrayList<>(all.size());
        for (int r = 0; r < all.size(); r++) {
            if (errors[r] == null) {
                ok.add(all.get(r));
                numbers.add(as.rowNumbers() == null ? r : as.rowNumbers().get(r));
            }
        }
        return ok.isEmpty() ? List.of() : rows.score(served, ok, new RowPredictions.Served(as.requestId(), numbers));
    }
}
