package dev.quiver.feature;

/** Told about every online read, once per feature view; adapters turn this into metrics. Must not throw. */
public interface FetchObserver {

    FetchObserver NONE = (store, view, entities, nanos, statuses, ok) -> {
    };

    /**
     * @param store    the store's {@link OnlineStore#kind()}
     * @param entities how many entities were read
     * @param nanos    time spent in the store call that read this view (shared by the views of one call)
     * @param statuses how many values got each status, indexed by {@link FeatureStatus#ordinal()}; all zero when
     *                 {@code ok} is false
     * @param ok       whether the store answered
     */
    void fetched(String store, String view, int entities, long nanos, int[] statuses, boolean ok);
}
