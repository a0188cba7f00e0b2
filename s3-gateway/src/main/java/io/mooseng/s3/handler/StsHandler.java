package io.mooseng.s3.handler;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.policy.PolicyDocument;
import io.mooseng.s3.auth.Digests;
import io.mooseng.s3.auth.Identity;
import io.mooseng.s3.auth.SessionTokens;
import io.mooseng.s3.auth.SignedRequest;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.xml.StsResponses;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The STS actions a gateway answers (AWS's query protocol: a form POSTed to {@code /}, signed
 * for service {@code sts}): AssumeRole, which hands a user temporary credentials for its own
 * rights, optionally narrowed by a session policy (as MinIO's AssumeRole: the RoleArn is
 * required by the SDKs but names no role here, a user assumes itself), and GetCallerIdentity.
 * The credentials are a {@link SessionTokens} token; nothing is stored.
 */
public final class StsHandler {
    /** A form with a session policy of 2,048 characters, percent-encoded, fits. */
    static final int MAX_BODY = 16 * 1024;
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
    private static final String FORM = "application/x-www-form-urlencoded";

    /** Null on a gateway without the cluster key. */
    private final SessionTokens sessions;
    private final Authorization authorization;

    public StsHandler(SessionTokens sessions, Authorization authorization) {
        this.sessions = sessions;
        this.authorization = authorization;
    }

    /** True for what only STS sends: a form POSTed to the service. */
    public static boolean accepts(S3Request req) {
        String type = req.header("content-type");
        return req.http().method() == HttpMethod.POST && req.bucket() == null
                && type != null && type.toLowerCase(Locale.ROOT).startsWith(FORM);
    }

    /**
     * Reads the form, authenticates the request with it ({@code authenticate} takes the body's
     * SHA-256, which STS clients do not send in a header) and answers the action.
     */
    public Future<Void> handle(S3Request req, Function<String, SignedRequest> authenticate) {
        req.useStsProtocol();
        req.operation("STS");
        req.authenticated(SignedRequest.anonymous()); // the body is read as it came; the signature is checked over it next
        return req.readSmallBody(MAX_BODY).compose(body -> {
            req.authenticated(authenticate.apply(Digests.hex(Digests.sha256().digest(body))));
            Map<String, String> form = form(req, new String(body, StandardCharsets.UTF_8));
            String action = form.getOrDefault("Action", "");
            req.operation(action.isEmpty() ? "STS" : action);
            return switch (action) {
                case "AssumeRole" -> assumeRole(req, form);
                case "GetCallerIdentity" -> callerIdentity(req);
                default -> throw S3Error.INVALID_ACTION.exception("Could not find operation " + action + " for version "
                        + form.getOrDefault("Version", "(none)") + ".");
            };
        });
    }

    private Future<Void> assumeRole(S3Request req, Map<String, String> form) {
        Identity caller = signedCaller(req);
        if (caller.session() != null) {
            throw S3Error.ACCESS_DENIED.exception("Temporary credentials cannot assume a role: use a user's access key.");
        }
        String roleArn = form.get("RoleArn");
        String name = form.get("RoleSessionName");
        if (roleArn == null || roleArn.length() < 20 || roleArn.length() > 2048) {
            throw S3Error.VALIDATION_ERROR.exception("RoleArn is required: 20 to 2048 characters (any ARN; the caller assumes its own user).");
        }
        if (name == null || !SESSION_NAME.matcher(name).matches()) {
            throw S3Error.VALIDATION_ERROR.exception("RoleSessionName is required: 2 to 64 of the characters [\\w+=,.@-].");
        }
        int seconds = durationSeconds(form.get("DurationSeconds"));
        String policy = sessionPolicy(form.get("Policy"));
        if (authorization.explicitlyDenied(req, "sts:AssumeRole", roleArn)) {
            throw S3Error.ACCESS_DENIED.exception("User " + caller.user() + " is not authorized to perform sts:AssumeRole on " + roleArn
                    + " (an explicit deny in a policy)");
        }
        if (sessions == null) {
            throw S3Error.NOT_IMPLEMENTED.exception("This gateway holds no cluster key: it cannot issue temporary credentials.");
        }
        SessionTokens.Issued issued = sessions.issue(caller.user(), caller.accessKey(), name, seconds, policy);
        SessionTokens.Session s = issued.session();
        var credentials = new StsResponses.Credentials(s.accessKey(), s.secretKey(), issued.token(),
                Instant.ofEpochMilli(s.expiresMillis()).truncatedTo(ChronoUnit.SECONDS).toString());
        var user = new StsResponses.AssumedRoleUser(caller.user() + ":" + name, sessionArn(caller.user(), name));
        return req.sendXml(200, new StsResponses.AssumeRoleResponse(new StsResponses.AssumeRoleResult(credentials, user),
                new StsResponses.ResponseMetadata(req.requestId())));
    }

    private static Future<Void> callerIdentity(S3Request req) {
        Identity caller = signedCaller(req);
        String arn = caller.session() == null ? "arn:aws:iam:::user/" + caller.user() : sessionArn(caller.user(), caller.session().name());
        return req.sendXml(200, new StsResponses.GetCallerIdentityResponse(new StsResponses.GetCallerIdentityResult(arn,
                caller.accessKey(), null), new StsResponses.ResponseMetadata(req.requestId())));
    }

    private static Identity signedCaller(S3Request req) {
        Identity caller = req.auth().identity();
        if (caller == null) {
            throw S3Error.ACCESS_DENIED.exception("STS requests must be signed.");
        }
        return caller;
    }

    private static String sessionArn(String user, String name) {
        return "arn:aws:sts:::assumed-role/" + user + "/" + name;
    }

    private static int durationSeconds(String value) {
        if (value == null) {
            return SessionTokens.DEFAULT_DURATION_SECONDS;
        }
        try {
            int seconds = Integer.parseInt(value.trim());
            if (seconds >= SessionTokens.MIN_DURATION_SECONDS && seconds <= SessionTokens.MAX_DURATION_SECONDS) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw S3Error.VALIDATION_ERROR.exception("DurationSeconds must be between " + SessionTokens.MIN_DURATION_SECONDS + " and "
                + SessionTokens.MAX_DURATION_SECONDS + ".");
    }

    /** The session policy, checked as an identity policy, or null without one. */
    private static String sessionPolicy(String policy) {
        if (policy == null) {
            return null;
        }
        if (policy.length() > SessionTokens.MAX_POLICY_CHARS) {
            throw S3Error.PACKED_POLICY_TOO_LARGE.exception();
        }
        try {
            PolicyDocument.identityPolicy(policy);
        } catch (MooseException e) {
            if (e.code() != ErrorCode.MALFORMED_POLICY) {
                throw e;
            }
            throw S3Error.MALFORMED_POLICY_DOCUMENT.exception(e.getMessage());
        }
        return policy;
    }

    /** The query's parameters and the form's (form encoding: '+' is a space). */
    private static Map<String, String> form(S3Request req, String body) {
        Map<String, String> params = new HashMap<>();
        for (var e : req.query().entries()) {
            params.put(e.getKey(), e.getValue());
        }
        try {
            for (String pair : body.split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    params.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        } catch (IllegalArgumentException e) {
            throw S3Error.VALIDATION_ERROR.exception("The form is not URL-encoded correctly.");
        }
        return params;
    }
}
