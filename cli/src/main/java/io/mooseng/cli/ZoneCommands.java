package io.mooseng.cli;

import io.mooseng.core.model.BucketPolicy;
import io.mooseng.core.model.SyncRule;
import io.mooseng.core.model.SyncState;
import io.mooseng.core.model.Zonegroup;
import io.mooseng.core.security.PeerTrust;
import io.mooseng.core.security.TlsMode;
import io.mooseng.core.status.PeerLag;
import io.mooseng.metadata.client.RaftMetadataService;
import io.mooseng.multisite.SyncLag;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code mooseng admin zonegroup} and {@code mooseng admin sync}: the zones that replicate to
 * each other. A change is made in any one zone (its epoch goes up) and the zones' sync agents
 * carry it to the others; there is no master zone.
 */
final class ZoneCommands {
    private ZoneCommands() {
    }

    @Command(name = "zonegroup", mixinStandardHelpOptions = true, description = "Show or change the zones that replicate to each other.",
            subcommands = {Create.class, AddZone.class, RemoveZone.class, Show.class})
    static final class Group {
    }

    @Command(name = "sync", mixinStandardHelpOptions = true, description = "Multisite sync progress and per-bucket rules.",
            subcommands = {Status.class, Policy.class, Pause.class, Resume.class})
    static final class Sync {
    }

    /** Shared by the changing commands: the current state, a changed group at the next epoch, the result printed. */
    abstract static class Change implements Callable<Integer> {
        @Mixin
        MastersOption masters;

        @Option(names = "--json", description = "Print JSON instead of text.")
        boolean json;

        abstract Zonegroup changed(SyncState current);

        /** Refuses a change this cluster could not act on (before it is made). */
        void check(RaftMetadataService metadata) throws Exception {
        }

        /** The zone this cluster is (as it already is, unless the subcommand names it). */
        String localZone(SyncState current) {
            if (!current.zoned()) {
                throw new IllegalArgumentException("this cluster belongs to no zonegroup yet: create one with `admin zonegroup create`");
            }
            return current.localZone();
        }

        @Override
        public Integer call() throws Exception {
            SyncState state = masters.withMetadata(metadata -> {
                check(metadata);
                SyncState current = metadata.syncState().get(30, TimeUnit.SECONDS);
                return metadata.configureZone(localZone(current), changed(current)).get(30, TimeUnit.SECONDS);
            });
            print(state, json);
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Make this cluster zone LOCAL of a new zonegroup; the other zones learn of it from this one's sync agent.")
    static final class Create extends Change {
        @Parameters(index = "0", paramLabel = "NAME", description = "The zonegroup's name.")
        String name;

        @Option(names = "--local", required = true, paramLabel = "ZONE", description = "This cluster's zone (one of --zone).")
        String local;

        @Option(names = "--zone", required = true, paramLabel = "NAME=URL[,URL...]",
                description = "A zone and its gateways' S3 endpoints; repeat per zone.")
        List<String> zones;

        @Mixin
        PlainHttpOption plainHttp;

        @Option(names = "--sync-access-key", required = true, paramLabel = "KEY",
                description = "An access key of every zone (the same pair in each: `admin key create --access-key`), "
                        + "that the zones' agents sign their pulls with; each zone keeps its secret sealed in its own key record.")
        String accessKey;

        @Override
        String localZone(SyncState current) {
            return local;
        }

        @Override
        Zonegroup changed(SyncState current) {
            return new Zonegroup(name, current.zonegroup().epoch() + 1, zones.stream().map(plainHttp::zone).toList(), accessKey);
        }

        @Override
        void check(RaftMetadataService metadata) throws Exception {
            if (metadata.identities(-1).get(30, TimeUnit.SECONDS).keys().stream().noneMatch(k -> k.accessKey().equals(accessKey))) {
                throw new IllegalArgumentException("access key " + accessKey + " is not a key of this cluster: add the sync key pair to "
                        + "every zone first (`mooseng admin key create --user NAME --access-key " + accessKey + "` with its secret in "
                        + "MOOSENG_SECRET_KEY)");
            }
        }
    }

    @Command(name = "add-zone", mixinStandardHelpOptions = true,
            description = "Add a zone; it full-syncs from the others by itself (a zone that already holds data merges).")
    static final class AddZone extends Change {
        @Parameters(index = "0", paramLabel = "NAME=URL[,URL...]")
        String zone;

        @Mixin
        PlainHttpOption plainHttp;

        @Override
        Zonegroup changed(SyncState current) {
            Zonegroup g = current.zonegroup();
            Zonegroup.Zone added = plainHttp.zone(zone);
            List<Zonegroup.Zone> zones = new ArrayList<>(g.zones().stream().filter(z -> !z.name().equals(added.name())).toList());
            zones.add(added);
            return new Zonegroup(g.name(), g.epoch() + 1, zones, g.syncAccessKey());
        }
    }

    @Command(name = "remove-zone", mixinStandardHelpOptions = true,
            description = "Remove a zone: the others stop pulling from it and stop offering it the configuration.")
    static final class RemoveZone extends Change {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        Zonegroup changed(SyncState current) {
            Zonegroup g = current.zonegroup();
            if (name.equals(current.localZone())) {
                throw new IllegalArgumentException("remove a zone from another zone of the group, not from itself");
            }
            if (g.zone(name).isEmpty()) {
                throw new IllegalArgumentException("zonegroup " + g.name() + " has no zone " + name);
            }
            return new Zonegroup(g.name(), g.epoch() + 1, g.zones().stream().filter(z -> !z.name().equals(name)).toList(),
                    g.syncAccessKey());
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "This cluster's zone and zonegroup.")
    static final class Show implements Callable<Integer> {
        @Mixin
        MastersOption masters;

        @Option(names = "--json", description = "Print JSON instead of text.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            print(masters.withMetadata(m -> m.syncState().get(30, TimeUnit.SECONDS)), json);
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Per peer zone and log shard: changes not applied here yet and the age of the oldest, in seconds.")
    static final class Status implements Callable<Integer> {
        @Mixin
        MastersOption masters;

        @Option(names = "--json", description = "Print JSON instead of tables.")
        boolean json;

        @Option(names = "--shards", description = "Show every shard, not only the peers' totals.")
        boolean shards;

        @Option(names = "--peer-ca", defaultValue = "${env:MOOSENG_PEER_CA}", paramLabel = "FILE",
                description = "CA certificates (PEM) to trust at the peer zones' HTTPS endpoints, beside the JVM's (env MOOSENG_PEER_CA).")
        Path peerCa;

        @Override
        public Integer call() throws Exception {
            // the peers are asked with the sync key, whose secret opens with the cluster key in this admin's TLS folder
            List<PeerLag> peers = masters.withMetadata(m -> SyncLag.measure(m, ClusterKeyFiles.secrets(m, masters.tlsDir(null)),
                    PeerTrust.trusting(peerCa), System.currentTimeMillis()));
            int status = peers.stream().anyMatch(p -> p.error() != null) ? 2 : 0;
            if (json) {
                System.out.println(OutputOption.JSON.writeValueAsString(peers));
                return status;
            }
            if (masters.withMetadata(m -> m.syncPaused().get(30, TimeUnit.SECONDS))) {
                System.out.println("sync is paused here (`admin sync resume`): this zone pulls nothing");
            }
            if (peers.isEmpty()) {
                System.out.println("this cluster belongs to no zonegroup (or is its only zone)");
                return 0;
            }
            System.out.printf("%-16s %-10s %10s %10s %7s  %s%n", "SOURCE ZONE", "STATE", "PENDING", "LAG_S", "PARKED", "ERROR");
            for (PeerLag p : peers) {
                System.out.printf("%-16s %-10s %10d %10.1f %7d  %s%n", p.zone(), p.state(), p.pending(), p.lagSeconds(), p.parked().size(),
                        p.error() == null ? "" : p.error());
                if (p.antiEntropy() != null) {
                    System.out.printf("  anti-entropy %s: %d ranges compared, %d keys repaired%s%n", Instant.ofEpochMilli(p.antiEntropy().finishedMillis()),
                            p.antiEntropy().ranges(), p.antiEntropy().repaired(), p.antiEntropy().error() == null ? "" : "; " + p.antiEntropy().error());
                }
                p.parked().stream().limit(shards ? Long.MAX_VALUE : 5).forEach(c -> System.out.printf(
                        "  parked since %s: %s %s/%s: %s%n", Instant.ofEpochMilli(c.sinceMillis()), c.entry().kind(), c.entry().bucket(),
                        c.entry().key(), c.error()));
                if (shards) {
                    p.shards().forEach(s -> System.out.printf("  shard %2d  cursor %10d  head %10d  pending %8d  oldest %.1fs%n",
                            s.shard(), s.cursor(), s.head(), s.pending(), s.oldestPendingSeconds()));
                }
            }
            return status;
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Stop this zone pulling from its peers (within 2 s) until resumed; peers still pull from it. "
                    + "Writes here and there go on; the zone catches up from the peers' logs when resumed.")
    static final class Pause implements Callable<Integer> {
        @Mixin
        MastersOption masters;

        @Override
        public Integer call() throws Exception {
            masters.withMetadata(m -> m.pauseSync(true).get(30, TimeUnit.SECONDS));
            System.out.println("sync paused: this zone pulls nothing until `admin sync resume`");
            return 0;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Let this zone pull from its peers again after `sync pause`.")
    static final class Resume implements Callable<Integer> {
        @Mixin
        MastersOption masters;

        @Override
        public Integer call() throws Exception {
            masters.withMetadata(m -> m.pauseSync(false).get(30, TimeUnit.SECONDS));
            System.out.println("sync resumed");
            return 0;
        }
    }

    @Command(name = "policy", mixinStandardHelpOptions = true,
            description = "Show or set how a bucket replicates: to all zones (default), some, one direction, or not at all; "
                    + "by key prefix and object tags. Set in any zone, it reaches the others; a flow it enables is backfilled by itself.")
    static final class Policy implements Callable<Integer> {
        @Mixin
        MastersOption masters;

        @Mixin
        OutputOption out;

        @Parameters(index = "0", paramLabel = "BUCKET")
        String bucket;

        @Option(names = "--off", description = "The bucket's objects stay in the zone they are written in.")
        boolean off;

        @Option(names = "--all", description = "Back to the default: every object, between every zone.")
        boolean all;

        @Option(names = "--zones", split = ",", paramLabel = "ZONE", description = "Only these zones exchange the bucket's objects.")
        List<String> zones = List.of();

        @Option(names = "--from", paramLabel = "ZONE", description = "One direction: only changes made in ZONE flow, to the others.")
        String from = "";

        @Option(names = "--prefix", paramLabel = "PREFIX", description = "Only keys with this prefix replicate; repeat for several.")
        List<String> prefixes = List.of();

        @Option(names = "--tag", paramLabel = "KEY=VALUE",
                description = "Only objects with this tag replicate; repeat for several (an object needs them all).")
        List<String> tagOptions = List.of();

        /** The --tag options as a map. */
        private Map<String, String> tags() {
            Map<String, String> tags = new java.util.LinkedHashMap<>();
            for (String t : tagOptions) {
                int eq = t.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--tag takes KEY=VALUE, not '" + t + "'");
                }
                if (tags.put(t.substring(0, eq), t.substring(eq + 1)) != null) {
                    throw new IllegalArgumentException("--tag " + t.substring(0, eq) + " is given twice");
                }
            }
            return tags;
        }

        @Override
        public Integer call() throws Exception {
            Map<String, String> tags = tags();
            boolean change = off || all || !zones.isEmpty() || !from.isEmpty() || !prefixes.isEmpty() || !tags.isEmpty();
            SyncRule rule = masters.withMetadata(metadata -> {
                BucketPolicy policy = metadata.getBucket(bucket).get(30, TimeUnit.SECONDS).policy();
                if (!change) {
                    return policy.syncRule();
                }
                SyncRule wanted = all ? SyncRule.ALL : new SyncRule(!off, zones, from, prefixes, tags);
                return metadata.setBucketPolicy(bucket, policy.withSyncRule(wanted)).get(30, TimeUnit.SECONDS).policy().syncRule();
            });
            out.print(java.util.Map.of("bucket", bucket, "replicated", rule.enabled(), "zones", rule.zones(), "from", rule.source(),
                    "prefixes", rule.prefixes(), "tags", rule.tags()), () -> String.format("bucket %s: %s", bucket, !rule.enabled() ? "not replicated"
                    : (rule.zones().isEmpty() ? "every zone" : "zones " + String.join(",", rule.zones()))
                    + (rule.source().isEmpty() ? ", both ways" : ", from " + rule.source() + " only")
                    + (rule.prefixes().isEmpty() ? ", every key" : ", keys under " + String.join(" ", rule.prefixes()))
                    + (rule.tags().isEmpty() ? "" : ", objects tagged " + new java.util.TreeMap<>(rule.tags()).entrySet().stream()
                    .map(t -> t.getKey() + "=" + t.getValue()).collect(java.util.stream.Collectors.joining(" ")))));
            return 0;
        }
    }

    /** Zones' endpoints carry objects and signed requests between zones: in clear only on loopback, unless the operator says so. */
    static final class PlainHttpOption {
        @Option(names = "--allow-plain-http",
                description = "Accept http:// endpoints on other machines: sync then carries objects and signed requests in clear "
                        + "(for a network nobody else reaches). Without it such zones need https:// (gateways with --s3-tls-cert).")
        boolean allowed;

        Zonegroup.Zone zone(String spec) {
            Zonegroup.Zone z = ZoneCommands.zone(spec);
            for (String endpoint : z.endpoints()) {
                URI u;
                try {
                    u = new URI(endpoint);
                } catch (URISyntaxException e) {
                    throw new IllegalArgumentException("zone " + z.name() + ": not a URL: " + endpoint);
                }
                String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
                    throw new IllegalArgumentException("zone " + z.name() + ": an endpoint is http(s)://HOST:PORT, not " + endpoint);
                }
                if (scheme.equals("http") && !allowed && !TlsMode.loopback(u.getHost())) {
                    throw new IllegalArgumentException("zone " + z.name() + ": " + endpoint + " is not loopback, and sync would carry "
                            + "objects and signed requests to it in clear: give its gateways HTTPS (--s3-tls-cert) and list it as https://, "
                            + "or pass --allow-plain-http on a network nobody else reaches");
                }
            }
            return z;
        }
    }

    static Zonegroup.Zone zone(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw new IllegalArgumentException("a zone is NAME=URL[,URL...]: " + spec);
        }
        return new Zonegroup.Zone(spec.substring(0, eq), Arrays.stream(spec.substring(eq + 1).split(",")).map(String::trim).toList());
    }

    static void print(SyncState s, boolean json) throws Exception {
        if (json) {
            System.out.println(OutputOption.JSON
                    .writeValueAsString(s));
            return;
        }
        if (!s.zoned()) {
            System.out.println("this cluster belongs to no zonegroup");
            return;
        }
        Zonegroup g = s.zonegroup();
        System.out.printf("zonegroup %s, epoch %d, this zone: %s, sync key: %s%n", g.name(), g.epoch(), s.localZone(), g.syncAccessKey());
        for (Zonegroup.Zone z : g.zones()) {
            System.out.printf("  %-16s %s%s%n", z.name(), String.join(",", z.endpoints()), z.name().equals(s.localZone()) ? "  (this zone)" : "");
        }
    }
}
