/** The Open Inference Protocol (KServe V2) REST door. */
package dev.quiver.predict.oip;
