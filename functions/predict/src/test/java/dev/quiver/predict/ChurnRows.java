package dev.quiver.predict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Named builders of churn-model requests: a known customer, variations of it, and batches. */
public final class ChurnRows {

    private ChurnRows() {
    }

    /** The first customer of the data set (Kansas, 128 days, no churn), as a client sends it. */
    public static Map<String, Object> customer() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("state", "KS");
        r.put("account_length", 128);
        r.put("area_code", "area_code_415");
        r.put("international_plan", "no");
        r.put("voice_mail_plan", "yes");
        r.put("number_vmail_messages", 25);
        r.put("total_day_minutes", 265.1);
        r.put("total_day_calls", 110);
        r.put("total_day_charge", 45.07);
        r.put("total_eve_minutes", 197.4);
        r.put("total_eve_calls", 99);
        r.put("total_eve_charge", 16.78);
        r.put("total_night_minutes", 244.7);
        r.put("total_night_calls", 91);
        r.put("total_night_charge", 11.01);
        r.put("total_intl_minutes", 10.0);
        r.put("total_intl_calls", 3);
        r.put("total_intl_charge", 2.7);
        r.put("number_customer_service_calls", 1);
        return r;
    }

    /** A customer with an international plan and many service calls: the data's typical churner. */
    public static Map<String, Object> unhappyCustomer() {
        Map<String, Object> r = customer();
        r.put("international_plan", "yes");
        r.put("number_customer_service_calls", 5);
        r.put("total_day_minutes", 320.0);
        r.put("total_day_charge", 54.4);
        return r;
    }

    public static Map<String, Object> with(String feature, Object value) {
        Map<String, Object> r = customer();
        r.put(feature, value);
        return r;
    }

    public static Map<String, Object> without(String feature) {
        Map<String, Object> r = customer();
        r.remove(feature);
        return r;
    }

    /** A request for the churn model's champion. */
    public static Map<String, Object> request(List<Map<String, Object>> rows) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", "churn");
        body.put("rows", rows);
        return body;
    }

    public static Map<String, Object> request(Map<String, Object> row) {
        return request(List.of(row));
    }

    /** A row as JSON text, for requests that JSON libraries would refuse to write (NaN, Infinity). */
    public static String json(Map<String, Object> row) {
        StringBuilder sb = new StringBuilder("{");
        row.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":")
                .append(v instanceof String ? "\"" + v + "\"" : String.valueOf(v)));
        return sb.append('}').toString();
    }

    public static List<Map<String, Object>> batch(int n) {
        List<Map<String, Object>> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(i % 2 == 0 ? customer() : unhappyCustomer());
        }
        return rows;
    }
}
