/**
 * Acceptance of a delivered model before it serves: {@link dev.quiver.prediction.acceptance.AcceptanceBenchmark}
 * measures a loaded model's latency and throughput under a closed-loop load of one-row requests through the
 * prediction path, on the serving process's own hardware, and decides against a requirement
 * ({@link dev.quiver.prediction.acceptance.Requirement}); {@link dev.quiver.prediction.acceptance.BenchmarkRows}
 * draws the rows it sends; {@link dev.quiver.prediction.acceptance.CandidateAcceptance} runs the whole acceptance of
 * a candidate: digest check and load, benchmark, registration as the challenger and the start of its rollout.
 */
package dev.quiver.prediction.acceptance;
