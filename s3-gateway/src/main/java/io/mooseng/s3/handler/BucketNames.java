package io.mooseng.s3.handler;

import io.mooseng.s3.error.S3Error;

import java.util.regex.Pattern;

/** The S3 bucket naming rules, checked when a bucket is created. */
public final class BucketNames {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private BucketNames() {
    }

    /**
     * 3 to 63 characters of lower-case letters, digits, dots and hyphens, starting and ending
     * with a letter or digit; no "..", not an IP address, no reserved prefix or suffix.
     *
     * @throws io.mooseng.s3.error.S3Exception InvalidBucketName
     */
    public static void validate(String name) {
        if (!NAME.matcher(name).matches() || name.contains("..") || IP_ADDRESS.matcher(name).matches()
                || name.startsWith("xn--") || name.startsWith("sthree-") || name.endsWith("-s3alias")
                || name.endsWith("--ol-s3")) {
            throw S3Error.INVALID_BUCKET_NAME.exception("The specified bucket is not valid: " + name);
        }
    }
}
