package io.mooseng.core.policy;

/**
 * What a policy decides on: who asks to do what to which resource, in which circumstances.
 *
 * @param user     the signing user's name, null for an anonymous request
 * @param action   the IAM action, e.g. {@code s3:GetObject}
 * @param resource the resource's ARN: {@code arn:aws:s3:::bucket}, {@code arn:aws:s3:::bucket/key},
 *                 or {@link #SERVICE} for the service
 */
public record AccessRequest(String user, String action, String resource, RequestContext context) {
    public static final String S3_ARN_PREFIX = "arn:aws:s3:::";
    /**
     * What a service-level action (s3:ListAllMyBuckets) is checked on: IAM grants it to a
     * statement whose Resource is {@code *} or {@code arn:aws:s3:::*}, and both match this
     * (a bucket pattern such as {@code arn:aws:s3:::photos*} does not).
     */
    public static final String SERVICE = S3_ARN_PREFIX + "*";

    /** The ARN of a bucket (key null), an object, or the service (bucket null). */
    public static String arn(String bucket, String key) {
        return bucket == null ? SERVICE : key == null ? S3_ARN_PREFIX + bucket : S3_ARN_PREFIX + bucket + "/" + key;
    }
}
