package io.mooseng.s3compat;

import io.mooseng.s3.auth.Credentials;
import io.mooseng.s3.auth.Identity;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Users with identity policies for a gateway under test, added while it runs: a map-backed
 * {@link Credentials} beside the administrator's key pair.
 * <pre>
 *   static final TestUsers users = new TestUsers();
 *   &#64;RegisterExtension static final ClusterExtension cluster = new ClusterExtension(null, users::credentials);
 *   S3Keys reader = users.add("reader", readOnlyPolicy);
 * </pre>
 */
final class TestUsers {
    private final Map<String, Credentials.Key> keys = new ConcurrentHashMap<>();

    /** The store the gateway takes: the administrator (root) and every user added. */
    Credentials credentials(S3Keys admin) {
        keys.put(admin.accessKey(), new Credentials.Key(admin.secretKey(), Identity.root(admin.accessKey())));
        return keys::get;
    }

    /** A user with fresh keys and these identity policies (IAM JSON); none for a user only bucket policies grant to. */
    S3Keys add(String user, String... policies) {
        S3Keys k = S3Keys.random();
        keys.put(k.accessKey(), new Credentials.Key(k.secretKey(), new Identity(user, k.accessKey(), false, List.of(policies))));
        return k;
    }
}
