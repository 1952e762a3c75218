package dev.quiver.agent.ledger;

import java.util.concurrent.CompletionStage;

/**
 * The port that makes each message act at most once: the handler claims a message id before it acts, records the
 * answer once it has acted, and a duplicate of the message gets that answer instead of a second action. What is
 * recorded survives a restart of the function and is shared by all its instances where the store is (Redis).
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #claim} is atomic across threads, processes and instances sharing the store (the embedded one is held
 *       by one process): of concurrent claims of one id exactly one is {@link Claim#first()}.</li>
 *   <li>Once claimed, an id stays claimed until {@link #release}d or until the store's retention drops it; a
 *       duplicate sees {@link Claim#pending()} until the answer is {@link #record}ed, then the answer.</li>
 *   <li>{@link #release} gives up a claim whose action did not happen (it failed before acting, so a retry may act);
 *       it does nothing to an id whose answer is recorded.</li>
 *   <li>Ids are any non-blank text up to {@value #MAX_ID_LENGTH} characters; an answer is any non-empty text (the
 *       answer envelope as JSON).</li>
 *   <li>Every call answers with a stage; a store that cannot be reached fails it with UNAVAILABLE.</li>
 * </ul>
 */
public interface MessageLedger {

    /** The longest message id a ledger keeps. */
    int MAX_ID_LENGTH = 256;

    /** Claims {@code messageId} for the caller, or says who has it. */
    CompletionStage<Claim> claim(String messageId);

    /** Records the answer given to {@code messageId}, which the caller claimed; duplicates get it from now on. */
    CompletionStage<Void> record(String messageId, String answer);

    /** Gives up the caller's claim of {@code messageId}, when its action did not happen. */
    CompletionStage<Void> release(String messageId);

    /**
     * What a claim found.
     *
     * @param first  whether this caller holds the claim and must act
     * @param answer the answer recorded for the id; null when this caller is first or the first is still acting
     */
    record Claim(boolean first, String answer) {

        /** The claim of the caller who acts. */
        public static final Claim FIRST = new Claim(true, null);

        /** Another caller has claimed the id and not answered yet. */
        public static final Claim PENDING = new Claim(false, null);

        /** Whether another caller holds the id and has not answered yet. */
        public boolean pending() {
            return !first && answer == null;
        }
    }

    /** Fails with IllegalArgumentException for an id no ledger keeps. */
    static String checkId(String messageId) {
        if (messageId == null || messageId.isBlank() || messageId.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException("a message id must be 1 to " + MAX_ID_LENGTH + " characters, not blank");
        }
        return messageId;
    }
}
