package dev.quiver.feature;

import dev.quiver.agent.FeatureRequest;
import dev.quiver.error.Check;
import dev.quiver.team.TeamChannel;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches online reads for features the store lacks or serves stale, per feature view, and asks the data engineer for
 * them: one {@code feature_store_request} per incident.
 *
 * <p>The rule: the rows read from a view are counted in windows of {@link Settings#windowRows} rows (a window ends
 * with the read that fills it). A window where the share of rows missing one of the view's features, or the share of
 * rows older than the view's TTL, is above {@link Settings#share} is a gap; the first gap starts an incident and
 * sends one request, with a new correlation id, listing as {@code view:feature} the features rows lacked (when the
 * missing share is above) and the features read stale (when the stale share is above), in the view's order. Windows
 * that are gaps too continue the incident and send nothing; the first window at or below the share on both counts
 * ends it, and the next gap is a new incident. The request's {@code update_frequency} is the view's TTL as the team
 * writes it ({@link #updateFrequency}: 1 h is "hourly"), left out for a view without TTL; its
 * {@code latency_requirement} is "real-time", as online features are read inside a prediction; its
 * {@code model_id} is the one model whose feature service reads the view, when there is one.
 *
 * <p>Cost: a read adds a few counters under the view's lock; a row allocates nothing, and a healthy read nothing at
 * all. The incident state lives in this instance's memory: each instance asks once per incident it sees, and a
 * restart forgets an incident in course. Thread-safe; {@link #read} never throws, and sends through the channel,
 * which never blocks.
 */
public final class FeatureGaps implements GapObserver {

    /**
     * When a view's reads are a gap.
     *
     * @param share      the share of a window's rows, missing or stale, above which it is a gap; in (0, 1)
     * @param windowRows the rows of one window, at least 1: fewer rows are never judged
     */
    public record Settings(double share, int windowRows) {

        /** More than 10% of 1,000 rows. */
        public static final Settings DEFAULT = new Settings(0.1, 1000);

        public Settings {
            Check.that(share > 0 && share < 1, "share", "must be between 0 and 1 (exclusive), was " + share);
            Check.that(windowRows >= 1, "window_rows", "must be at least 1, was " + windowRows);
        }
    }

    /** What one window of a view's reads came to. */
    public record Window(String view, long rows, long missingRows, long staleRows) {

        public double missingShare() {
            return rows == 0 ? 0 : (double) missingRows / rows;
        }

        public double staleShare() {
            return rows == 0 ? 0 : (double) staleRows / rows;
        }
    }

    private static final System.Logger LOG = System.getLogger(FeatureGaps.class.getName());

    /** The online latency every request states. */
    public static final String LATENCY = "real-time";

    private final Settings settings;
    private final Map<String, String> modelByView;
    private final TeamChannel channel;
    private final Clock clock;
    private final Map<String, Tracker> trackers = new ConcurrentHashMap<>();

    /**
     * @param modelByView the model that reads each view, for the views exactly one model's feature service reads
     */
    public FeatureGaps(Settings settings, Map<String, String> modelByView, TeamChannel channel, Clock clock) {
        this.settings = settings;
        this.modelByView = Map.copyOf(modelByView);
        this.channel = channel;
        this.clock = clock;
    }

    @Override
    public void read(FeatureView view, List<String> features, int rows, int missingRows, int staleRows,
                     int[] missingByFeature) {
        try {
            FeatureRequest request = trackers.computeIfAbsent(view.name(), v -> new Tracker())
                    .add(view, features, rows, missingRows, staleRows, missingByFeature);
            if (request != null) {
                channel.send(request);
            }
        } catch (RuntimeException e) {
            // a malformed request is a bug here, never a reason to fail the read that found the gap
            LOG.log(System.Logger.Level.WARNING, "feature_store_request for view " + view.name() + " not sent", e);
        }
    }

    /**
     * The model reading each view, for the views that exactly one model reads through its feature service.
     *
     * @param serviceByModel each model's feature service, by model name (the catalog's {@code feature_service})
     */
    public static Map<String, String> modelByView(Map<String, String> serviceByModel, FeatureDefinitions defs) {
        Map<String, Set<String>> readers = new java.util.TreeMap<>();
        serviceByModel.forEach((model, service) -> {
            for (FeatureRef r : defs.services().getOrDefault(service, List.of())) {
                readers.computeIfAbsent(r.view(), v -> new java.util.TreeSet<>()).add(model);
            }
        });
        Map<String, String> out = new java.util.TreeMap<>();
        readers.forEach((view, models) -> {
            if (models.size() == 1) {
                out.put(view, models.iterator().next());
            }
        });
        return out;
    }

    /** Whether the view is in an incident now. */
    public boolean inIncident(String view) {
        Tracker t = trackers.get(view);
        return t != null && t.incident() != null;
    }

    /**
     * A TTL as the team writes an update frequency: "minutely", "hourly", "daily", "weekly", else "every N days",
     * "every N hours", "every N minutes" or "every N seconds", in the largest unit that divides it; null for no TTL.
     */
    public static String updateFrequency(Duration ttl) {
        if (ttl == null || ttl.isZero() || ttl.isNegative()) {
            return null;
        }
        long s = ttl.toSeconds();
        if (s == 60) {
            return "minutely";
        } else if (s == 3600) {
            return "hourly";
        } else if (s == 86_400) {
            return "daily";
        } else if (s == 604_800) {
            return "weekly";
        } else if (s % 86_400 == 0) {
            return "every " + s / 86_400 + " days";
        } else if (s % 3600 == 0) {
            return "every " + s / 3600 + " hours";
        } else if (s % 60 == 0) {
            return "every " + s / 60 + " minutes";
        }
        return "every " + Math.max(1, s) + " seconds";
    }

    /** One view's current window and incident. */
    private final class Tracker {

        private long rows;
        private long missingRows;
        private long staleRows;
        /** Features rows lacked in this window, and features read stale, in the order first seen. */
        private final Set<String> missing = new LinkedHashSet<>();
        private final Set<String> stale = new LinkedHashSet<>();
        private String incident;

        synchronized String incident() {
            return incident;
        }

        /** Counts a read; the request to send when it ends a window that starts an incident, else null. */
        synchronized FeatureRequest add(FeatureView view, List<String> features, int n, int missingN, int staleN,
                                        int[] missingByFeature) {
            rows += n;
            missingRows += missingN;
            staleRows += staleN;
            if (missingByFeature != null) {
                for (int i = 0; i < missingByFeature.length; i++) {
                    if (missingByFeature[i] > 0) {
                        missing.add(features.get(i));
                    }
                }
            }
            if (staleN > 0) {
                stale.addAll(features);
            }
            if (rows < settings.windowRows()) {
                return null;
            }
            Window w = new Window(view.name(), rows, missingRows, staleRows);
            boolean missingGap = w.missingShare() > settings.share();
            boolean staleGap = w.staleShare() > settings.share();
            FeatureRequest request = null;
            if ((missingGap || staleGap) && incident == null) {
                incident = UUID.randomUUID().toString();
                request = request(view, missingGap, staleGap);
            } else if (!missingGap && !staleGap) {
                incident = null;
            }
            rows = 0;
            missingRows = 0;
            staleRows = 0;
            missing.clear();
            stale.clear();
            return request;
        }

        private FeatureRequest request(FeatureView view, boolean missingGap, boolean staleGap) {
            Set<String> asked = new LinkedHashSet<>();
            if (missingGap) {
                asked.addAll(missing);
            }
            if (staleGap) {
                asked.addAll(stale);
            }
            List<String> names = new ArrayList<>();
            for (Feature f : view.features()) {
                if (asked.contains(f.name())) {
                    names.add(view.name() + ":" + f.name());
                }
            }
            return channel.address().featureRequest(names, LATENCY, updateFrequency(view.ttl()),
                    modelByView.get(view.name()), incident, clock.instant());
        }
    }
}
