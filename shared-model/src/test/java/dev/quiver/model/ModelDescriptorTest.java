package dev.quiver.model;

import dev.quiver.json.Json;
import dev.quiver.tensor.Datatype;
import dev.quiver.testing.Descriptors;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.quiver.error.QuiverException.Kind.BAD_INPUT;
import static dev.quiver.testing.Problems.expect;
import static org.assertj.core.api.Assertions.assertThat;

class ModelDescriptorTest {

    private static Descriptors.Builder churn() {
        return Descriptors.classifier().stored("churn", "1");
    }

    @Test
    void theNamedInputIsABatchOfRowsAsWideAsTheFields() {
        ModelDescriptor d = churn().numbers(2).category("plan", "basic", "pro", "team").build();

        d.validate();

        assertThat(d.inputSpec().name()).isEqualTo(Descriptors.INPUT);
        assertThat(d.inputSpec().datatype()).isEqualTo(Datatype.FP32);
        assertThat(d.inputSpec().shape()).containsExactly(-1, 5);
        assertThat(Descriptors.tensorOnly().inputSpec()).isNull();
    }

    @Test
    void validateNamesTheFieldAtFault() {
        expect(BAD_INPUT, "descriptor.inputs[1].name", () -> churn().numbers(1)
                .field(InputField.number("n0")).build().validate());
        expect(BAD_INPUT, "descriptor.inputs[0].categories", () -> churn().category("plan", "a", "a").build().validate());
        expect(BAD_INPUT, "descriptor.inputs[0].categories", () -> churn()
                .field(new InputField("n0", InputField.Type.NUMBER, List.of("a"))).build().validate());
        expect(BAD_INPUT, "descriptor.input.datatype", () -> churn().numbers(1).datatype(Datatype.INT64).build().validate());
        expect(BAD_INPUT, "descriptor.labels", () -> churn().numbers(1).labels().build().validate());
        expect(BAD_INPUT, "descriptor.labels", () -> churn().numbers(1).labels("yes", "yes").build().validate());
        expect(BAD_INPUT, "descriptor.sha256", () -> churn().numbers(1).sha256("AB".repeat(32)).build().validate());
        expect(BAD_INPUT, "descriptor.version", () -> Descriptors.classifier().stored("churn", "../1").numbers(1)
                .build().validate());
    }

    @Test
    void aTensorOnlyModelNeedsNoInputOutputsOrLabels() {
        Descriptors.tensorOnly().withIdentity("adder", "1", null, null).validate();
    }

    @Test
    void theStoredJsonIsSnakeCaseAndReadsBackEqual() throws Exception {
        ModelDescriptor d = churn().category("plan", "basic", "pro").numbers(1).labelOutput().build();

        String json = Json.MAPPER.writeValueAsString(d);

        assertThat(json).contains("\"created_at\" : \"2025-01-01T00:00:00Z\"").contains("\"type\" : \"category\"");
        assertThat(Json.MAPPER.readValue(json, ModelDescriptor.class)).isEqualTo(d);
    }
}
