/**
 * Who did what: the audit log port ({@link dev.quiver.audit.AuditLog}), its records, and the embedded default that
 * appends them to a file.
 */
package dev.quiver.audit;
