package io.mooseng.core.model;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * A webhook that bucket notifications can go to, configured by the operator
 * ({@code mooseng admin notify target add}); buckets name it by the ARN {@link #arn()}.
 *
 * @param name letters, digits, '-' and '_', 1 to 64 of them
 * @param url  where events are POSTed, http or https
 */
public record NotifyTarget(String name, String url) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final String ARN_PREFIX = "arn:mooseng:sqs::";
    private static final String ARN_SUFFIX = ":webhook";

    /** @throws MooseException INVALID_ARGUMENT for a bad name or a URL that is not http(s) with a host */
    public NotifyTarget validated() {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT, "a notification target's name has 1 to 64 letters, digits, '-' or '_'");
        }
        try {
            URI u = URI.create(url);
            if ((u.getScheme() != null && (u.getScheme().equals("http") || u.getScheme().equals("https"))) && u.getHost() != null) {
                return this;
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            // answered below
        }
        throw new MooseException(ErrorCode.INVALID_ARGUMENT, "a notification target's URL must be http:// or https:// with a host: " + url);
    }

    /** {@code scheme://host[:port]} of the URL: what may be shown where its path, query or user info (tokens) may not. */
    public String origin() {
        URI u = URI.create(url);
        return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
    }

    /** How a bucket's notification configuration names this target. */
    public String arn() {
        return arnOf(name);
    }

    public static String arnOf(String name) {
        return ARN_PREFIX + name + ARN_SUFFIX;
    }

    /** The target name in an ARN of the form {@code arn:mooseng:sqs::NAME:webhook}, or null for any other text. */
    public static String nameOf(String arn) {
        if (arn == null || !arn.startsWith(ARN_PREFIX) || !arn.endsWith(ARN_SUFFIX)) {
            return null;
        }
        String name = arn.substring(ARN_PREFIX.length(), arn.length() - ARN_SUFFIX.length());
        return NAME.matcher(name).matches() ? name : null;
    }
}
