package dev.quiver.features;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request bodies in Feast's shapes for the churn demo ({@code config/features.yaml}): reads of named features or
 * of the {@code churn_model} service, and pushes of customers built from a known row.
 */
public final class FeastBodies {

    public static final String VIEW = "churn_features";
    public static final String SERVICE = "churn_model";
    public static final String PUSH_SOURCE = "churn_push";
    public static final String JOIN_KEY = "customer_id";

    /** The view's features, in declaration order. */
    public static final List<String> FEATURES = List.of("state", "account_length", "area_code", "international_plan",
            "voice_mail_plan", "number_vmail_messages", "total_day_minutes", "total_day_calls", "total_day_charge",
            "total_eve_minutes", "total_eve_calls", "total_eve_charge", "total_night_minutes", "total_night_calls",
            "total_night_charge", "total_intl_minutes", "total_intl_calls", "total_intl_charge",
            "number_customer_service_calls");

    private FeastBodies() {
    }

    /** {@code view:feature} references of the churn view. */
    public static List<String> refs(String... features) {
        return Arrays.stream(features).map(f -> VIEW + ":" + f).toList();
    }

    /** Every feature of the churn view, by reference. */
    public static List<String> allRefs() {
        return refs(FEATURES.toArray(String[]::new));
    }

    /** A read of {@code refs} for customers {@code ids}. */
    public static Map<String, Object> get(List<String> refs, Object... ids) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("features", refs);
        body.put("entities", Map.of(JOIN_KEY, Arrays.asList(ids)));
        return body;
    }

    /** A read of the {@code churn_model} service for customers {@code ids}. */
    public static Map<String, Object> getService(Object... ids) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("feature_service", SERVICE);
        body.put("entities", Map.of(JOIN_KEY, Arrays.asList(ids)));
        return body;
    }

    /** Customer {@code id} with the values of the demo's first row, at {@code eventTime}. */
    public static Customer customer(long id, Instant eventTime) {
        return new Customer(id, eventTime);
    }

    /** A push of {@code customers} to the churn push source, column-major as Feast's {@code df}. */
    public static Map<String, Object> push(Customer... customers) {
        Map<String, List<Object>> df = new LinkedHashMap<>();
        for (Customer c : customers) {
            c.row().forEach((column, value) -> df.computeIfAbsent(column, k -> new ArrayList<>()).add(value));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("push_source_name", PUSH_SOURCE);
        body.put("df", df);
        return body;
    }

    /** One customer's row of a push; every column can be changed or left out. */
    public static final class Customer {
        private final Map<String, Object> row = new LinkedHashMap<>();

        Customer(long id, Instant eventTime) {
            row.put(JOIN_KEY, id);
            row.put("event_timestamp", eventTime.toString());
            Object[] first = {"KS", 128, "area_code_415", "no", "yes", 25, 265.1, 110, 45.07, 197.4, 99, 16.78, 244.7,
                    91, 11.01, 10.0, 3, 2.7, 1};
            for (int i = 0; i < FEATURES.size(); i++) {
                row.put(FEATURES.get(i), first[i]);
            }
        }

        public Customer with(String column, Object value) {
            row.put(column, value);
            return this;
        }

        public Customer without(String column) {
            row.remove(column);
            return this;
        }

        public Map<String, Object> row() {
            return row;
        }
    }
}
