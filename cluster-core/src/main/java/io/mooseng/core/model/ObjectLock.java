package io.mooseng.core.model;

/**
 * One object version's S3 Object Lock state: a retention (a mode and the instant it lasts until) and a legal
 * hold, each optional. Kept in the version's {@link ObjectProperties}, so every copy of its manifest carries it.
 *
 * @param mode              the retention's mode, or null for no retention
 * @param retainUntilMillis when the retention ends (0 without one)
 * @param legalHold         a legal hold is on
 */
public record ObjectLock(Mode mode, long retainUntilMillis, boolean legalHold) {
    public static final ObjectLock NONE = new ObjectLock(null, 0, false);

    /** GOVERNANCE: shortened or removed only by callers allowed to bypass it; COMPLIANCE: by nobody. */
    public enum Mode { GOVERNANCE, COMPLIANCE }

    public ObjectLock {
        if ((mode == null) != (retainUntilMillis == 0)) {
            throw new IllegalArgumentException("a retention needs both a mode and a date");
        }
    }

    public boolean none() {
        return mode == null && !legalHold;
    }

    /** The retention still holds at {@code nowMillis}. */
    public boolean retainedAt(long nowMillis) {
        return mode != null && retainUntilMillis > nowMillis;
    }

    public ObjectLock withRetention(Mode newMode, long untilMillis) {
        return new ObjectLock(newMode, untilMillis, legalHold);
    }

    public ObjectLock withLegalHold(boolean on) {
        return new ObjectLock(mode, retainUntilMillis, on);
    }
}
