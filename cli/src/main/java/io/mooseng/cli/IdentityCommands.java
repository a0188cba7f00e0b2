package io.mooseng.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.AccessKeyRecord;
import io.mooseng.core.model.IdentitySnapshot;
import io.mooseng.core.model.UserAccount;
import io.mooseng.core.policy.PolicyDocument;
import io.mooseng.core.security.SecretBox;
import io.mooseng.metadata.client.RaftMetadataService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code mooseng admin user} and {@code mooseng admin key}: users and their S3 keys, kept in the
 * namespace; every gateway sees a change within a second. Secrets are sealed to the cluster key
 * here, before they leave this process, so neither the log nor the store ever holds one in clear.
 */
final class IdentityCommands {
    private static final ObjectMapper JSON = OutputOption.JSON;

    private IdentityCommands() {
    }

    @Command(name = "user", mixinStandardHelpOptions = true, description = "Users of the cluster.",
            subcommands = {UserAdd.class, UserList.class, UserEnable.class, UserDisable.class, UserPolicy.class, UserRemove.class})
    static final class User {
    }

    @Command(name = "key", mixinStandardHelpOptions = true, description = "Users' S3 access keys.",
            subcommands = {KeyCreate.class, KeyList.class, KeyDisable.class, KeyEnable.class, KeyRevoke.class})
    static final class Key {
    }

    /** Runs one call against the masters and prints its result. */
    abstract static class Call implements Callable<Integer> {
        @Mixin
        MastersOption masters;

        @Option(names = "--json", description = "Print JSON instead of text.")
        boolean json;

        abstract Object run(RaftMetadataService metadata) throws Exception;

        @Override
        public Integer call() throws Exception {
            Object out = masters.withMetadata(this::run);
            if (out instanceof String text && !json) {
                System.out.println(text);
            } else if (out != null) {
                System.out.println(JSON.writeValueAsString(out));
            }
            return 0;
        }
    }

    static <T> T await(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a user (then give it keys with `admin key create`).")
    static final class UserAdd extends Call {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--policy", paramLabel = "POLICY",
                description = "An identity policy: readonly, readwrite, writeonly, a JSON file or inline JSON; repeatable.")
        List<String> policies = List.of();

        @Option(names = "--root", description = "An administrator: every action on every bucket, no policy consulted.")
        boolean root;

        @Option(names = "--disabled", description = "Create it disabled (its keys work once enabled).")
        boolean disabled;

        @Override
        Object run(RaftMetadataService metadata) throws Exception {
            UserAccount u = await(metadata.putUser(new UserAccount(name, !disabled, root, CannedPolicies.resolve(policies),
                    System.currentTimeMillis()), true));
            return json ? view(u) : "user " + u.name() + " added" + (u.root() ? " (root)" : "") + (u.enabled() ? "" : ", disabled");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List users.")
    static final class UserList extends Call {
        @Override
        Object run(RaftMetadataService metadata) throws Exception {
            IdentitySnapshot s = await(metadata.identities(-1));
            if (json) {
                return s.users().stream().map(IdentityCommands::view).toList();
            }
            StringBuilder sb = new StringBuilder(String.format("%-24s %-8s %-5s %-5s %s%n", "USER", "STATE", "ROOT", "KEYS", "POLICIES"));
            for (UserAccount u : s.users()) {
                long keys = s.keys().stream().filter(k -> k.user().equals(u.name())).count();
                sb.append(String.format("%-24s %-8s %-5s %-5d %d%n", u.name(), u.enabled() ? "enabled" : "disabled", u.root() ? "yes" : "no",
                        keys, u.policies().size()));
            }
            return sb.toString().stripTrailing();
        }
    }

    /** Changes one stored user. */
    abstract static class UserChange extends Call {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        abstract UserAccount changed(UserAccount current);

        @Override
        Object run(RaftMetadataService metadata) throws Exception {
            UserAccount current = await(metadata.identities(-1)).users().stream().filter(u -> u.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no user " + name));
            UserAccount u = await(metadata.putUser(changed(current), false));
            return json ? view(u) : "user " + u.name() + ": " + (u.enabled() ? "enabled" : "disabled") + ", " + u.policies().size() + " policies";
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Let a user's keys work again.")
    static final class UserEnable extends UserChange {
        @Override
        UserAccount changed(UserAccount current) {
            return current.withEnabled(true);
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Stop a user's keys working (within a second on every gateway).")
    static final class UserDisable extends UserChange {
        @Override
        UserAccount changed(UserAccount current) {
            return current.withEnabled(false);
        }
    }

    @Command(name = "policy", mixinStandardHelpOptions = true, description = "Replace a user's identity policies (none: no --policy).")
    static final class UserPolicy extends UserChange {
        @Option(names = "--policy", paramLabel = "POLICY", description = "readonly, readwrite, writeonly, a JSON file or inline JSON; repeatable.")
        List<String> policies = List.of();

        @Override
        UserAccount changed(UserAccount current) {
            try {
                return current.withPolicies(CannedPolicies.resolve(policies));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a user and its keys.")
    static final class UserRemove extends Call {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        Object run(RaftMetadataService metadata) throws Exception {
            if (!await(metadata.removeUser(name))) {
                throw new IllegalArgumentException("no user " + name);
            }
            return json ? Map.of("removed", name) : "user " + name + " removed, with its keys";
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an access key for a user; its secret is printed now and never again. "
                    + "With --access-key, add a key pair made elsewhere (the same pair in every zone of a zonegroup).")
    static final class KeyCreate extends Call {
        /** Imported secrets are held to AWS's length at least in part: a mount checks them against a plain digest (AccessKeyRecord). */
        private static final int MIN_IMPORTED_SECRET = 16;

        @Option(names = "--user", required = true, paramLabel = "NAME")
        String user;

        @Option(names = "--access-key", paramLabel = "ID", description = "The key id to add; its secret from --secret-key-file or MOOSENG_SECRET_KEY.")
        String accessKey;

        @Mixin
        SecretKeyFileOption secretKey;

        @Option(names = "--expires", paramLabel = "WHEN", description = "A duration from now (30d, 12h) or an instant (2027-01-01T00:00:00Z); default never.")
        String expires;

        @Override
        Object run(RaftMetadataService metadata) throws Exception {
            IdentitySnapshot s = await(metadata.identities(-1));
            if (s.clusterKey().length == 0) {
                throw new IllegalArgumentException("no gateway has started yet (the first one registers the cluster key secrets are sealed to)");
            }
            CredentialsFile pair = imported();
            long now = System.currentTimeMillis();
            long until = expires == null ? 0 : expires.contains("T") ? Instant.parse(expires).toEpochMilli() : now + DurationArg.millis(expires);
            byte[] sealed = SecretBox.seal(SecretBox.publicKey(s.clusterKey()), pair.secretKey().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    AccessKeyRecord.sealContext(pair.accessKey()));
            AccessKeyRecord k = await(metadata.addAccessKey(AccessKeyRecord.create(pair.accessKey(), user, sealed, pair.secretKey(), now, until)));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("user", k.user());
            out.put("accessKey", k.accessKey());
            if (accessKey == null) {
                out.put("secretKey", pair.secretKey());
            }
            out.put("expires", until == 0 ? null : Instant.ofEpochMilli(until).toString());
            return json ? out : String.format("user:        %s%naccess key:  %s%nsecret key:  %s%nexpires:     %s",
                    k.user(), k.accessKey(), accessKey == null ? pair.secretKey() + "   (shown once: store it now)" : "(as given)",
                    until == 0 ? "never" : Instant.ofEpochMilli(until));
        }

        /** The pair to add: a new one, or the one given (its secret never printed back). */
        private CredentialsFile imported() throws java.io.IOException {
            if (accessKey == null) {
                if (secretKey.given()) {
                    throw new IllegalArgumentException("--secret-key-file needs --access-key");
                }
                return CredentialsFile.newPair();
            }
            String secret = secretKey.secret("mooseng admin key create");
            if (secret.length() < MIN_IMPORTED_SECRET) {
                throw new IllegalArgumentException("a secret key needs at least " + MIN_IMPORTED_SECRET + " characters (new ones have 40)");
            }
            return new CredentialsFile(accessKey, secret, false);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List access keys (never their secrets).")
    static final class KeyList extends Call {
        @Option(names = "--user", paramLabel = "NAME", description = "Only this user's keys.")
        String user;

        @Override
        Object run(RaftMetadataService metadata) throws Exception {
            List<AccessKeyRecord> keys = await(metadata.identities(-1)).keys().stream()
                    .filter(k -> user == null || k.user().equals(user)).toList();
            if (json) {
                return keys.stream().map(k -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("accessKey", k.accessKey());
                    m.put("user", k.user());
                    m.put("created", Instant.ofEpochMilli(k.createdMillis()).toString());
                    m.put("expires", k.expiresMillis() == 0 ? null : Instant.ofEpochMilli(k.expiresMillis()).toString());
                    m.put("enabled", k.enabled());
                    return m;
                }).toList();
            }
            StringBuilder sb = new StringBuilder(String.format("%-32s %-24s %-24s %s%n", "ACCESS KEY", "USER", "CREATED", "EXPIRES"));
            long now = System.currentTimeMillis();
            for (AccessKeyRecord k : keys) {
                sb.append(String.format("%-32s %-24s %-24s %s%n", k.accessKey(), k.user(), Instant.ofEpochMilli(k.createdMillis()),
                        (k.expiresMillis() == 0 ? "never" : Instant.ofEpochMilli(k.expiresMillis()) + (k.expired(now) ? " (expired)" : ""))
                                + (k.enabled() ? "" : " (disabled)")));
            }
            return sb.toString().stripTrailing();
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Stop an access key working (within a second on every gateway; kept, to be enabled again).")
    static final class KeyDisable extends Call {
        @Parameters(index = "0", paramLabel = "ACCESS_KEY")
        String accessKey;

        @Override
        Object run(RaftMetadataService metadata) throws Exception {
            return setEnabled(metadata, accessKey, false, json);
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Let a disabled access key work again.")
    static final class KeyEnable extends Call {
        @Parameters(index = "0", paramLabel = "ACCESS_KEY")
        String accessKey;

        @Override
        Object run(RaftMetadataService metadata) throws Exception {
            return setEnabled(metadata, accessKey, true, json);
        }
    }

    private static Object setEnabled(RaftMetadataService metadata, String accessKey, boolean enabled, boolean json) throws Exception {
        if (!await(metadata.setAccessKeyEnabled(accessKey, enabled))) {
            throw new IllegalArgumentException("no access key " + accessKey);
        }
        return json ? Map.of("accessKey", accessKey, "enabled", enabled) : "access key " + accessKey + (enabled ? " enabled" : " disabled");
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Delete an access key (it stops working within a second).")
    static final class KeyRevoke extends Call {
        @Parameters(index = "0", paramLabel = "ACCESS_KEY")
        String accessKey;

        @Override
        Object run(RaftMetadataService metadata) throws Exception {
            if (!await(metadata.revokeAccessKey(accessKey))) {
                throw new IllegalArgumentException("no access key " + accessKey);
            }
            return json ? Map.of("revoked", accessKey) : "access key " + accessKey + " revoked";
        }
    }

    private static Map<String, Object> view(UserAccount u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", u.name());
        m.put("enabled", u.enabled());
        m.put("root", u.root());
        m.put("created", Instant.ofEpochMilli(u.createdMillis()).toString());
        m.put("policies", u.policies());
        return m;
    }

    /** Identity policies by name (as MinIO's), from a file, or inline. */
    static final class CannedPolicies {
        private static final String ALL = "\"Resource\":[\"arn:aws:s3:::*\"]";

        private CannedPolicies() {
        }

        static List<String> resolve(List<String> args) throws java.io.IOException {
            java.util.ArrayList<String> out = new java.util.ArrayList<>();
            for (String a : args) {
                out.add(resolve(a));
            }
            return out;
        }

        static String resolve(String arg) throws java.io.IOException {
            String doc = switch (arg) {
                case "readonly" -> statement("\"s3:GetObject\",\"s3:GetObjectAttributes\",\"s3:GetObjectTagging\",\"s3:ListBucket\",\"s3:GetBucketLocation\",\"s3:ListAllMyBuckets\"");
                case "writeonly" -> statement("\"s3:PutObject\",\"s3:AbortMultipartUpload\",\"s3:ListMultipartUploadParts\"");
                case "readwrite" -> statement("\"s3:*\"");
                default -> arg.trim().startsWith("{") ? arg : Files.readString(Path.of(arg));
            };
            try {
                PolicyDocument.identityPolicy(doc); // a mistake is reported here, not by the gateways
            } catch (MooseException e) {
                throw new IllegalArgumentException("policy " + (doc.length() > 40 ? doc.substring(0, 40) + "..." : doc)
                        + " is refused: " + e.getMessage());
            }
            return doc;
        }

        private static String statement(String actions) {
            return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[" + actions + "]," + ALL + "}]}";
        }
    }
}
