/** Metrics and traces of the features function: per-view fetch latency and value statuses, a span per fetch. */
package dev.quiver.features.observability;
