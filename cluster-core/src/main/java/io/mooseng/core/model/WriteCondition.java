package io.mooseng.core.model;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;

/**
 * A write's precondition on the object a key holds (S3's If-Match and If-None-Match: *),
 * checked where the write applies, so that of two racing conditional writes one fails.
 *
 * @param ifMatch   the ETag (unquoted) the current object must have, "*" for any, or null
 * @param ifAbsent  the key must hold no object
 */
public record WriteCondition(String ifMatch, boolean ifAbsent) {
    public static final WriteCondition IF_ABSENT = new WriteCondition(null, true);

    public static WriteCondition ifMatch(String etag) {
        return new WriteCondition(etag, false);
    }

    /**
     * @param current the key's object, or null when it holds none
     * @throws MooseException CONCURRENT_CHANGE when the condition fails, NO_SUCH_KEY when
     *                        If-Match finds no object
     */
    public void check(ObjectInfo current, String where) {
        if (ifAbsent && current != null) {
            throw new MooseException(ErrorCode.CONCURRENT_CHANGE, where + " exists");
        }
        if (ifMatch != null) {
            if (current == null) {
                throw new MooseException(ErrorCode.NO_SUCH_KEY, "no such key: " + where);
            }
            if (!ifMatch.equals("*") && !ifMatch.equals(current.etag())) {
                throw new MooseException(ErrorCode.CONCURRENT_CHANGE, where + " has another ETag");
            }
        }
    }
}
