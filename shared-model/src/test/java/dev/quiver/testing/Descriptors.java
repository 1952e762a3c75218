package dev.quiver.testing;

import dev.quiver.model.InputField;
import dev.quiver.model.ModelDescriptor;
import dev.quiver.tensor.Datatype;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Named builders of model descriptors for tests. A classifier has the labels {@code no, yes}, fills the graph
 * input {@code features} and reads the graph output {@code probabilities}; number fields made by
 * {@link Builder#numbers} are called {@code n0, n1, ...}.
 */
public final class Descriptors {

    public static final String INPUT = "features";
    public static final String PROBABILITIES = "probabilities";
    public static final String LABEL = "label";
    public static final List<String> LABELS = List.of("no", "yes");

    private Descriptors() {
    }

    /** A classifier descriptor with no fields yet. */
    public static Builder classifier() {
        return new Builder();
    }

    /** A classifier taking {@code n} number fields {@code n0 .. n(n-1)}. */
    public static ModelDescriptor numbers(int n) {
        return classifier().numbers(n).build();
    }

    /** A model with no named inputs, served through the Open Inference Protocol only (see {@link FakeEngine}). */
    public static ModelDescriptor tensorOnly() {
        return new ModelDescriptor(null, null, "tensor model", List.of(), null, null, List.of(), Map.of(), Map.of(),
                null, null);
    }

    /** The fields of {@code numbers(2)} followed by the category {@code plan} of basic, pro and team. */
    public static List<InputField> twoNumbersAndPlan() {
        return classifier().numbers(2).category("plan", "basic", "pro", "team").build().inputs();
    }

    public static final class Builder {
        private final List<InputField> fields = new ArrayList<>();
        private Datatype datatype = Datatype.FP32;
        private String labelOutput;
        private String name;
        private String version;
        private String sha256;
        private Instant createdAt;
        private List<String> labels = LABELS;

        public Builder numbers(int n) {
            for (int i = 0; i < n; i++) {
                fields.add(InputField.number("n" + fields.size()));
            }
            return this;
        }

        public Builder category(String field, String... categories) {
            fields.add(InputField.category(field, List.of(categories)));
            return this;
        }

        public Builder field(InputField field) {
            fields.add(field);
            return this;
        }

        public Builder datatype(Datatype type) {
            this.datatype = type;
            return this;
        }

        /** The graph also returns the predicted class index in the output {@code label}. */
        public Builder labelOutput() {
            this.labelOutput = LABEL;
            return this;
        }

        public Builder labels(String... labels) {
            this.labels = List.of(labels);
            return this;
        }

        public Builder version(String version) {
            this.version = version;
            return this;
        }

        public Builder sha256(String sha256) {
            this.sha256 = sha256;
            return this;
        }

        /** Name, version and creation time, as a stored descriptor has them. */
        public Builder stored(String name, String version) {
            this.name = name;
            this.version = version;
            this.createdAt = Instant.parse("2025-01-01T00:00:00Z");
            return this;
        }

        public ModelDescriptor build() {
            return new ModelDescriptor(name, version, "test classifier", fields,
                    new ModelDescriptor.TensorInput(INPUT, datatype),
                    new ModelDescriptor.Outputs(labelOutput, PROBABILITIES), labels, Map.of("accuracy", 0.9),
                    Map.of(), sha256, createdAt);
        }
    }
}
