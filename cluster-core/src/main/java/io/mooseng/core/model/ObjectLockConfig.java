package io.mooseng.core.model;

import java.util.concurrent.TimeUnit;

/**
 * A bucket's S3 Object Lock configuration: present once the bucket was created with object lock (which cannot be
 * turned off), with an optional default retention for new versions.
 *
 * @param defaultMode the default retention's mode, or null for no default retention
 * @param days        the default retention in days (0 when given in years or absent)
 * @param years       the default retention in years of 365 days (0 when given in days or absent)
 */
public record ObjectLockConfig(ObjectLock.Mode defaultMode, int days, int years) {
    public static final ObjectLockConfig ENABLED = new ObjectLockConfig(null, 0, 0);

    public ObjectLockConfig {
        if (days < 0 || years < 0 || (defaultMode == null ? days + years != 0 : (days > 0) == (years > 0))) {
            throw new IllegalArgumentException("a default retention needs a mode and either days or years");
        }
    }

    /** The lock a version written at {@code writtenMillis} gets when its writer asked for no retention. */
    public ObjectLock defaultLock(long writtenMillis) {
        if (defaultMode == null) {
            return ObjectLock.NONE;
        }
        long days = this.days > 0 ? this.days : 365L * years;
        return new ObjectLock(defaultMode, writtenMillis + TimeUnit.DAYS.toMillis(days), false);
    }
}
