/** Tensors and tensor signatures, typed as the Open Inference Protocol types them. */
package dev.quiver.tensor;
