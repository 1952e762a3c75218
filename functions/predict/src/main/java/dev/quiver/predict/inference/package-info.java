/** The inference engine adapter: ONNX models run on DJL's ONNX Runtime engine. */
package dev.quiver.predict.inference;
