package io.mooseng.core.policy;

import java.util.Locale;
import java.util.Set;

/**
 * The condition keys policies may name: AWS's global keys and S3's keys that the gateway can
 * fill in. Key names are case-insensitive (as in IAM); the tag key after
 * {@code s3:ExistingObjectTag/} or {@code s3:RequestObjectTag/} is not.
 */
public final class ConditionKeys {
    public static final String SOURCE_IP = "aws:sourceip";
    public static final String SECURE_TRANSPORT = "aws:securetransport";
    public static final String CURRENT_TIME = "aws:currenttime";
    public static final String EPOCH_TIME = "aws:epochtime";
    public static final String USERNAME = "aws:username";
    public static final String USERID = "aws:userid";
    public static final String PRINCIPAL_TYPE = "aws:principaltype";
    public static final String REFERER = "aws:referer";
    public static final String USER_AGENT = "aws:useragent";
    public static final String PREFIX = "s3:prefix";
    public static final String DELIMITER = "s3:delimiter";
    public static final String MAX_KEYS = "s3:max-keys";
    public static final String SERVER_SIDE_ENCRYPTION = "s3:x-amz-server-side-encryption";
    public static final String ACL = "s3:x-amz-acl";
    public static final String AUTH_TYPE = "s3:authtype";
    public static final String SIGNATURE_VERSION = "s3:signatureversion";
    /** Multi-valued: the keys of the tags a request sets. */
    public static final String REQUEST_OBJECT_TAG_KEYS = "s3:requestobjecttagkeys";
    /** Followed by a tag key: the value of that tag on the object a request reads or changes. */
    public static final String EXISTING_OBJECT_TAG = "s3:existingobjecttag/";
    /** Followed by a tag key: the value of that tag in the tags a request sets. */
    public static final String REQUEST_OBJECT_TAG = "s3:requestobjecttag/";

    private static final Set<String> KEYS = Set.of(SOURCE_IP, SECURE_TRANSPORT, CURRENT_TIME, EPOCH_TIME, USERNAME, USERID,
            PRINCIPAL_TYPE, REFERER, USER_AGENT, PREFIX, DELIMITER, MAX_KEYS, SERVER_SIDE_ENCRYPTION, ACL, AUTH_TYPE,
            SIGNATURE_VERSION, REQUEST_OBJECT_TAG_KEYS);

    private ConditionKeys() {
    }

    /** The key as stored and looked up: its name in lower case, a tag's own key as written. */
    public static String normalize(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        for (String prefix : new String[] {EXISTING_OBJECT_TAG, REQUEST_OBJECT_TAG}) {
            if (lower.startsWith(prefix)) {
                return prefix + key.substring(prefix.length());
            }
        }
        return lower;
    }

    /** @param normalized a key as {@link #normalize} returns it */
    static boolean supported(String normalized) {
        return KEYS.contains(normalized) || (tagKey(normalized, EXISTING_OBJECT_TAG) || tagKey(normalized, REQUEST_OBJECT_TAG));
    }

    private static boolean tagKey(String key, String prefix) {
        return key.startsWith(prefix) && key.length() > prefix.length();
    }
}
