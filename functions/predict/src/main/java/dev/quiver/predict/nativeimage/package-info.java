/** What a GraalVM native image of the predict function must register for DJL and ONNX Runtime. */
package dev.quiver.predict.nativeimage;
