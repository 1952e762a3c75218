/**
 * What the predict function served, captured into mergeable sketches per model version and time window, for the
 * drift function to compare with the model's reference profile: a KLL quantile sketch per numerical input, exact
 * counts per category of each categorical input, counts per predicted label, and the positive-class probability
 * as a KLL sketch and a fixed histogram. Profiles from many instances of the same window merge into one.
 */
package dev.quiver.drift.capture;
