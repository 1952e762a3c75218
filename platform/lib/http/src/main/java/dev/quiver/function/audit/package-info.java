/** The function's audit log: the store from {@code quiver.audit.*}, and {@code GET /audit}. */
package dev.quiver.function.audit;
