/**
 * The human requirement strings of the team's envelopes, read into numbers: latency bounds ("p99 &lt;= 0.1 s",
 * "real-time"), throughput ("60k/min"), model format lists ("ONNX or TensorRT") and update frequencies
 * ("hourly", "PT1H"). Every parser fails with a {@code BAD_INPUT} naming the field it was given and quoting the
 * text; none of them throws anything else.
 */
package dev.quiver.agent.requirement;
