package io.mooseng.core.model;

/**
 * A bucket notification waiting in the namespace's queue for delivery to its target.
 *
 * @param sequence   its place in the queue: increasing in commit order (the event's sequencer)
 * @param target     the target's name
 * @param ruleId     the rule that matched (the configurationId)
 * @param eventName  e.g. {@code s3:ObjectCreated:Put}
 * @param size       the object's size (0 for a removal)
 * @param etag       the object's ETag without quotes ("" for a removal)
 * @param timeMillis when the change was made
 */
public record NotificationEvent(long sequence, String target, String ruleId, String eventName, String bucket, String key, long size,
                                String etag, long timeMillis) {
}
