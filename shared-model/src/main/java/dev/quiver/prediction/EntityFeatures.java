package dev.quiver.prediction;

import dev.quiver.inference.ServedModel;
import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;
import dev.quiver.error.Stages;
import dev.quiver.feature.EntityKey;
import dev.quiver.feature.FeatureMatrix;
import dev.quiver.feature.FeatureRef;
import dev.quiver.feature.FeatureStatus;
import dev.quiver.feature.OnlineFeatures;
import dev.quiver.model.InputField;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Turns entity ids into rows of named features for a model, from the online store: the model's feature service
 * (as the catalog names it) read for the whole batch in one store round trip, each of the model's inputs filled
 * from the feature of the same name.
 *
 * <p>Per row: a feature the store does not hold (or holds as null) takes the model's declared default and is
 * listed as missing, or, without a default, fails that row alone; a feature older than its view's TTL is used
 * and listed as stale. When the store cannot be read, the call fails UNAVAILABLE, unless defaults are allowed
 * to stand in and every input declares one, in which case each row is scored on defaults and marked degraded.
 */
public final class EntityFeatures {

    /**
     * Rows for a model, with what each row lacked.
     *
     * @param errors the rows that cannot be scored (a required feature missing), by ascending row index
     */
    record Rows(List<Map<String, Object>> rows, List<EntityKey> keys, List<List<String>> missing,
                List<List<String>> stale, List<RowError> errors, boolean degraded) {
    }

    private final OnlineFeatures features;
    private final Map<String, String> serviceByModel;
    private final boolean defaultsWhenUnavailable;

    /**
     * @param serviceByModel          the feature service each model reads, by model name
     * @param defaultsWhenUnavailable score on declared defaults, marked degraded, when the store cannot be read
     */
    public EntityFeatures(OnlineFeatures features, Map<String, String> serviceByModel, boolean defaultsWhenUnavailable) {
        this.features = features;
        this.serviceByModel = Map.copyOf(serviceByModel);
        this.defaultsWhenUnavailable = defaultsWhenUnavailable;
        serviceByModel.forEach((model, service) ->
                features.definitions().service(service, "models." + model + ".feature_service"));
    }

    /**
     * The rows for {@code served}'s inputs, read without waiting ({@link OnlineFeatures#fetch}): the stage
     * completes where the read does (for a store that reads on the calling thread, before this returns). What is
     * wrong with the entities or the model's feature service is thrown on the calling thread.
     */
    CompletionStage<Rows> rows(ServedModel served, Map<String, List<Object>> entities) {
        String model = served.key().name();
        String service = serviceByModel.get(model);
        Check.that(service != null, "entities", "model " + model
                + " reads no features by entity id: its catalog entry names no feature_service; send rows instead");
        List<FeatureRef> refs = features.definitions().service(service, "feature_service");
        Map<String, FeatureRef> byName = new HashMap<>();
        refs.forEach(r -> byName.put(r.feature(), r));
        List<InputField> inputs = served.descriptor().inputs();
        List<FeatureRef> wanted = new ArrayList<>(inputs.size());
        for (InputField f : inputs) {
            FeatureRef r = byName.get(f.name());
            Check.that(r != null, "entities", "model " + served.key() + " takes feature '" + f.name()
                    + "', which feature service '" + service + "' does not provide");
            wanted.add(r);
        }
        List<EntityKey> keys = features.keys(entities, wanted);
        return features.fetch(wanted, keys).handle((m, failure) -> {
            if (failure == null) {
                return filled(inputs, keys, m);
            }
            RuntimeException e = Stages.cause(failure);
            if (e instanceof QuiverException q && q.kind() == QuiverException.Kind.UNAVAILABLE
                    && defaultsWhenUnavailable && inputs.stream().allMatch(f -> f.defaultValue() != null)) {
                return onDefaults(inputs, keys);
            }
            throw e;
        });
    }

    /** Each input filled from the read, or from its default; what each row lacked. */
    private static Rows filled(List<InputField> inputs, List<EntityKey> keys, FeatureMatrix m) {
        List<Map<String, Object>> rows = new ArrayList<>(keys.size());
        List<List<String>> missing = new ArrayList<>(keys.size());
        List<List<String>> stale = new ArrayList<>(keys.size());
        List<RowError> errors = new ArrayList<>();
        for (int e = 0; e < keys.size(); e++) {
            Map<String, Object> row = new LinkedHashMap<>();
            List<String> miss = new ArrayList<>();
            List<String> old = new ArrayList<>();
            List<String> required = new ArrayList<>();
            for (int c = 0; c < inputs.size(); c++) {
                InputField f = inputs.get(c);
                FeatureStatus s = m.statuses()[c][e];
                Object v = m.values()[c][e];
                if (s == FeatureStatus.NOT_FOUND || s == FeatureStatus.NULL_VALUE || v == null) {
                    miss.add(f.name());
                    if (f.defaultValue() == null) {
                        required.add(f.name());
                    }
                    v = f.defaultValue();
                } else if (s == FeatureStatus.OUTSIDE_MAX_AGE) {
                    old.add(f.name());
                }
                row.put(f.name(), v);
            }
            rows.add(row);
            missing.add(miss);
            stale.add(old);
            if (!required.isEmpty()) {
                errors.add(new RowError(e, miss.size() == inputs.size() ? "no features stored for " + keys.get(e)
                        : "missing feature" + (required.size() > 1 ? "s " : " ") + String.join(", ", required)
                        + " for " + keys.get(e) + ", and the model declares no default"));
            }
        }
        return new Rows(rows, keys, missing, stale, errors, false);
    }

    private static Rows onDefaults(List<InputField> inputs, List<EntityKey> keys) {
        Map<String, Object> row = new LinkedHashMap<>();
        inputs.forEach(f -> row.put(f.name(), f.defaultValue()));
        List<String> all = inputs.stream().map(InputField::name).toList();
        List<Map<String, Object>> rows = new ArrayList<>();
        List<List<String>> missing = new ArrayList<>();
        List<List<String>> stale = new ArrayList<>();
        for (int e = 0; e < keys.size(); e++) {
            rows.add(row);
            missing.add(all);
            stale.add(List.of());
        }
        return new Rows(rows, keys, missing, stale, List.of(), true);
    }
}
