package dev.quiver.model;

import dev.quiver.json.Json;
import dev.quiver.tensor.Datatype;
import dev.quiver.testing.Descriptors;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.quiver.error.QuiverException.Kind.BAD_INPUT;
import static dev.quiver.testing.Problems.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

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
    void aTensorOnlyModelNeedsNoInputOutputsOrLabels() throws Exception {
        ModelDescriptor d = Json.MAPPER.readValue("""
                {"name": "adder", "version": "1", "description": "adds its two input tensors"}
                """, ModelDescriptor.class);

        assertThat(d.name()).isEqualTo("adder");
        assertThat(d.version()).isEqualTo("1");
        assertThat(d.inputs()).isEmpty();
        assertThat(d.input()).isNull();
        assertThat(d.inputSpec()).isNull();
        assertThat(d.inputWidth()).isZero();
        assertThat(d.outputs()).isNull();
        assertThat(d.labels()).isEmpty();
        assertThat(d.metrics()).isEmpty();
        assertThat(d.training()).isEmpty();
        assertThatCode(d::validate).doesNotThrowAnyException();

        // one named field makes the graph input, the outputs and the labels required again
        InputField x = InputField.number("x");
        expect(BAD_INPUT, "descriptor.input", () -> new ModelDescriptor("adder", "1", null, List.of(x), null, null,
                null, null, null, null, null).validate());
        ModelDescriptor.TensorInput input = new ModelDescriptor.TensorInput(Descriptors.INPUT, Datatype.FP32);
        expect(BAD_INPUT, "descriptor.outputs", () -> new ModelDescriptor("adder", "1", null, List.of(x), input, null,
                null, null, null, null, null).validate());
        ModelDescriptor.Outputs outputs = new ModelDescriptor.Outputs(null, Descriptors.PROBABILITIES);
        expect(BAD_INPUT, "descriptor.labels", () -> new ModelDescriptor("adder", "1", null, List.of(x), input,
                outputs, null, null, null, null, null).validate());
        // and a tensor-only model still needs its name and version
        expect(BAD_INPUT, "descriptor.name", () -> Descriptors.tensorOnly().validate());
        expect(BAD_INPUT, "descriptor.version", () -> Descriptors.tensorOnly().withIdentity("adder", null, null, null)
                .validate());
    }

    @Test
    void theStoredJsonIsSnakeCaseAndReadsBackEqual() throws Exception {
        ModelDescriptor d = churn().category("plan", "basic", "pro").numbers(1).labelOutput().build();

        String json = Json.MAPPER.writeValueAsString(d);

        assertThat(json).contains("\"created_at\" : \"2025-01-01T00:00:00Z\"").contains("\"type\" : \"category\"");
        assertThat(Json.MAPPER.readValue(json, ModelDescriptor.class)).isEqualTo(d);
    }
}
