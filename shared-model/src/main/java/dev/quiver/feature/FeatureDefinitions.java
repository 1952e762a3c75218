package dev.quiver.feature;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;
import dev.quiver.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code config/features.yaml} declares: the project, entities, feature views and feature services.
 * Immutable; every cross-reference is checked when it is built, so a bad file fails at start, naming the entry.
 */
public final class FeatureDefinitions {

    private final String project;
    private final Map<String, Entity> entities;
    private final Map<String, Entity> entitiesByJoinKey;
    private final Map<String, FeatureView> views;
    private final Map<String, List<FeatureRef>> services;
    private Path base = Path.of("");

    public FeatureDefinitions(String project, List<Entity> entities, List<FeatureView> views,
                              Map<String, List<FeatureRef>> services) {
        this.project = Check.name(project, "project");
        this.entities = new LinkedHashMap<>();
        this.entitiesByJoinKey = new LinkedHashMap<>();
        for (Entity e : entities) {
            Check.name(e.name(), "entities." + e.name());
            Check.name(e.joinKey(), "entities." + e.name() + ".join_key");
            Check.required(e.valueType(), "entities." + e.name() + ".value_type");
            Check.that(e.valueType().canBeKey(), "entities." + e.name() + ".value_type",
                    e.valueType().yamlName() + " cannot be a join key; use string, bytes, int32 or int64");
            Check.that(this.entities.put(e.name(), e) == null, "entities." + e.name(), "is declared twice");
            Check.that(entitiesByJoinKey.put(e.joinKey(), e) == null, "entities." + e.name() + ".join_key",
                    "join key '" + e.joinKey() + "' is used by another entity");
        }
        this.views = new LinkedHashMap<>();
        for (FeatureView v : views) {
            String at = "feature_views." + v.name();
            Check.name(v.name(), at);
            Check.that(!v.entities().isEmpty(), at + ".entities", "must name at least one entity");
            Check.that(!v.features().isEmpty(), at + ".features", "must declare at least one feature");
            Check.that(!v.ttl().isNegative(), at + ".ttl", "must not be negative");
            for (Entity e : v.entities()) {
                Check.that(this.entities.get(e.name()) == e, at + ".entities", "unknown entity '" + e.name() + "'");
            }
            Map<String, Feature> seen = new LinkedHashMap<>();
            for (Feature f : v.features()) {
                Check.name(f.name(), at + ".features");
                Check.required(f.dtype(), at + ".features." + f.name() + ".dtype");
                Check.that(seen.put(f.name(), f) == null, at + ".features." + f.name(), "is declared twice");
                Check.that(!v.joinKeys().contains(f.name()), at + ".features." + f.name(), "is also a join key");
            }
            Check.that(this.views.put(v.name(), v) == null, at, "is declared twice");
        }
        this.services = new LinkedHashMap<>();
        services.forEach((name, refs) -> {
            Check.name(name, "feature_services." + name);
            for (FeatureRef r : refs) {
                ref(r, "feature_services." + name);
            }
            this.services.put(name, List.copyOf(refs));
        });
    }

    /** Reads and checks a definitions file. */
    public static FeatureDefinitions read(Path file) {
        Yaml y;
        try {
            y = Json.YAML.readValue(file.toFile(), Yaml.class);
        } catch (IOException e) {
            if (!Files.exists(file)) {
                throw new UncheckedIOException("feature definitions " + file + " do not exist", e);
            }
            throw new IllegalArgumentException("cannot read feature definitions " + file + ": " + e.getMessage(), e);
        }
        try {
            FeatureDefinitions defs = y.toDefinitions();
            defs.base = file.toAbsolutePath().getParent();
            return defs;
        } catch (QuiverException e) {
            throw new IllegalArgumentException("feature definitions " + file + ": " + e.getMessage(), e);
        }
    }

    /** The file a view's batch source reads: its path resolved against the definitions file's directory. */
    public Path sourceFile(FeatureView view) {
        Check.that(view.source() != null && view.source().path() != null, "feature_views." + view.name() + ".source",
                "the view declares no batch source file");
        return base.resolve(view.source().path()).normalize();
    }

    public String project() {
        return project;
    }

    public List<Entity> entities() {
        return List.copyOf(entities.values());
    }

    public List<FeatureView> views() {
        return List.copyOf(views.values());
    }

    public Map<String, List<FeatureRef>> services() {
        return services;
    }

    /** The entity whose join key is {@code joinKey}, or null. */
    public Entity entityByJoinKey(String joinKey) {
        return entitiesByJoinKey.get(joinKey);
    }

    /** The view called {@code name}; NOT_FOUND on {@code field} when there is none. */
    public FeatureView view(String name, String field) {
        FeatureView v = views.get(name);
        if (v == null) {
            throw QuiverException.notFound(field, "unknown feature view '" + name + "'; known: " + views.keySet());
        }
        return v;
    }

    /** The features of service {@code name}; NOT_FOUND on {@code field} when there is none. */
    public List<FeatureRef> service(String name, String field) {
        List<FeatureRef> refs = services.get(name);
        if (refs == null) {
            throw QuiverException.notFound(field, "unknown feature service '" + name + "'; known: " + services.keySet());
        }
        return refs;
    }

    /** The views a push source writes to; NOT_FOUND on {@code field} when none does. */
    public List<FeatureView> pushTargets(String pushSource, String field) {
        List<FeatureView> out = views.values().stream().filter(v -> pushSource.equals(v.pushSource())).toList();
        if (out.isEmpty()) {
            List<String> known = views.values().stream().map(FeatureView::pushSource)
                    .filter(java.util.Objects::nonNull).distinct().toList();
            throw QuiverException.notFound(field, "unknown push source '" + pushSource + "'; known: " + known);
        }
        return out;
    }

    /** Checks that {@code r} names a declared view and feature; NOT_FOUND on {@code field} otherwise. */
    public Feature ref(FeatureRef r, String field) {
        Feature f = view(r.view(), field).feature(r.feature());
        if (f == null) {
            throw QuiverException.notFound(field, "feature view '" + r.view() + "' has no feature '" + r.feature() + "'");
        }
        return f;
    }

    /** TTLs as people write them: {@code 90d}, {@code 12h}, {@code 30m}, {@code 45s}, ISO-8601 {@code P90D}, or 0. */
    static Duration duration(String text, String field) {
        if (text == null || text.isBlank() || text.trim().equals("0")) {
            return Duration.ZERO;
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 'd' -> Duration.ofDays(n);
                case 'h' -> Duration.ofHours(n);
                case 'm' -> Duration.ofMinutes(n);
                case 's' -> Duration.ofSeconds(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw QuiverException.badInput(field, "must be a duration such as 90d, 12h, 30m, 45s or P90D, not '" + text + "'");
        }
    }

    /** The file's shape. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Yaml(String project, List<Entity> entities, List<ViewYaml> featureViews, List<ServiceYaml> featureServices) {

        FeatureDefinitions toDefinitions() {
            List<Entity> ents = entities == null ? List.of() : entities;
            Map<String, Entity> byName = new LinkedHashMap<>();
            ents.forEach(e -> byName.put(e.name(), e));
            List<FeatureView> vs = new ArrayList<>();
            for (ViewYaml v : featureViews == null ? List.<ViewYaml>of() : featureViews) {
                String at = "feature_views." + v.name();
                List<Entity> ve = new ArrayList<>();
                for (String e : v.entities() == null ? List.<String>of() : v.entities()) {
                    Entity found = byName.get(e);
                    Check.that(found != null, at + ".entities", "unknown entity '" + e + "'");
                    ve.add(found);
                }
                vs.add(new FeatureView(v.name(), ve, v.features() == null ? List.of() : v.features(),
                        duration(v.ttl(), at + ".ttl"), v.pushSource(), v.source()));
            }
            Map<String, FeatureView> viewsByName = new LinkedHashMap<>();
            vs.forEach(v -> viewsByName.put(v.name(), v));
            Map<String, List<FeatureRef>> svc = new LinkedHashMap<>();
            for (ServiceYaml s : featureServices == null ? List.<ServiceYaml>of() : featureServices) {
                List<FeatureRef> refs = new ArrayList<>();
                for (String f : s.features() == null ? List.<String>of() : s.features()) {
                    String at = "feature_services." + s.name() + ".features";
                    if (f.contains(":")) {
                        refs.add(FeatureRef.parse(f, at));
                    } else {
                        FeatureView v = viewsByName.get(f);
                        Check.that(v != null, at, "unknown feature view '" + f + "'");
                        v.features().forEach(x -> refs.add(new FeatureRef(v.name(), x.name())));
                    }
                }
                svc.put(s.name(), refs);
            }
            return new FeatureDefinitions(project, ents, vs, svc);
        }
    }

    /** A feature view in the file; {@code ttl} as text. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ViewYaml(String name, List<String> entities, String ttl, String pushSource, FeatureView.BatchSource source,
                    List<Feature> features) {
    }

    /** A feature service in the file: whole views by name, or single {@code view:feature} references. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ServiceYaml(String name, List<String> features) {
    }
}
