package dev.quiver.prediction;

import dev.quiver.tensor.Tensor;

import java.util.List;

/** The outputs of one Open Inference Protocol inference and the model version that produced them. */
public record InferResult(String model, String version, List<Tensor> outputs) {
}
