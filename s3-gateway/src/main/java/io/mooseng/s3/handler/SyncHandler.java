package io.mooseng.s3.handler;

import io.mooseng.core.error.MooseException;
import io.mooseng.core.metadata.KeySecrets;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.SyncEntry;
import io.mooseng.core.model.SyncLogPage;
import io.mooseng.core.model.SyncRule;
import io.mooseng.core.model.Zonegroup;
import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.error.S3Error;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.stream.LongStream;

/**
 * The endpoint other zones' sync agents pull from, under the service's {@code ?mooseng-sync}
 * sub-resource, signed like any S3 request:
 * <ul>
 *   <li>{@code GET ?mooseng-sync=state[&for=Z]}: this zone's name and zonegroup (without its secret), and with
 *       {@code for}, how far this zone applied zone Z's log (its cursors, empty before a full sync);</li>
 *   <li>{@code GET ?mooseng-sync=heads[&known=H1,...,H16&wait-ms=W&pages=L]}: the last sequence number of every
 *       shard of the change log; with {@code known}, answered once they differ from it or after W ms (a long poll),
 *       and with {@code pages}, up to L entries of every shard past {@code known} in the same answer;</li>
 *   <li>{@code GET ?mooseng-sync=log&shard=N&after=SEQ&limit=L}: a page of one shard of the change log;</li>
 *   <li>{@code GET ?mooseng-sync=buckets}: every bucket's settings and deleted buckets' tombstones;</li>
 *   <li>{@code GET ?mooseng-sync=identities}: every user and access key and removed ones' tombstones, for a full sync;</li>
 *   <li>{@code GET ?mooseng-sync=listing&bucket=B&after=KEY&limit=L}: objects and tombstones, for a full sync;</li>
 *   <li>{@code GET ?mooseng-sync=digest&bucket=B&range=R&for=Z[&after=KEY&limit=L&entries=1]}: a page of the bucket's
 *       anti-entropy digest over range R (hex digits, see {@link io.mooseng.core.model.SyncDigest}) as compared with zone Z:
 *       the next L entries of the listing (up to 10,000; 1,000 with {@code entries}, which adds the page's entries in R);</li>
 *   <li>{@code PUT ?mooseng-sync=zonegroup&zone=Z}: adopt a zonegroup configuration as zone Z (JSON body).</li>
 * </ul>
 * Object bytes travel as plain GETs; {@code ?mooseng-stamp=STAMP} makes a GET answer 412 unless the
 * object is still that version, so an agent never stores other bytes under a version's identity.
 *
 * <p>An access key's secret is sealed to this zone's cluster key, which no other zone holds: in
 * its answers (log pages and the identities listing) to a request signed with the zonegroup's
 * sync key, this gateway opens it and sends it in clear beside the entry, over TLS or loopback
 * only; otherwise the entry goes without it and the puller parks it, saying why.
 */
public final class SyncHandler {
    /** The response header naming an object version's zone stamp. */
    public static final String STAMP_HEADER = "x-mooseng-stamp";
    public static final String STAMP_PARAM = "mooseng-stamp";
    /** Entries per page, and per shard with the heads: what one answer holds in memory stays a few MiB. */
    private static final int MAX_LIMIT = 1_000;
    private static final int MAX_PAGES = 100;
    /** Listing entries one digest page reads at the metadata leader (without entries, its answer stays small). */
    private static final int MAX_DIGEST_LIMIT = 10_000;
    private static final long MAX_CONFIG_BYTES = 1 << 20;
    private static final int MAX_WAIT_MS = 30_000;
    private static final long HEADS_CHECK_MS = 20;

    private final ObjectService objects;
    /** Opens this zone's keys' secrets for peers; null when this gateway holds no cluster key (secrets never travel). */
    private final KeySecrets secrets;

    public SyncHandler(ObjectService objects, KeySecrets secrets) {
        this.objects = objects;
        this.secrets = secrets;
    }

    public Future<Void> get(S3Request req) {
        String what = req.param("mooseng-sync");
        return switch (what) {
            case "state" -> {
                // with for=ZONE: also how far this zone applied ZONE's log (ZONE trims its log by it)
                String forZone = req.param("for");
                yield req.call(() -> objects.sync().syncState()).compose(s -> forZone == null
                        ? sendJson(req, SyncWire.state(s))
                        : req.call(() -> objects.sync().syncCursors(forZone))
                        .compose(c -> sendJson(req, SyncWire.state(s).put("cursors", new JsonArray(LongStream.of(c).boxed().toList())))));
            }
            case "log" -> {
                int shard = IntParams.between(required(req, "shard"), 0, SyncEntry.SHARDS - 1, "shard must be 0-" + (SyncEntry.SHARDS - 1));
                long after = longParam(req, "after");
                int limit = limit(req);
                yield req.call(() -> objects.sync().readSyncLog(shard, after, limit))
                        .compose(p -> withheld(req, p, req.param("for")))
                        .compose(p -> withSecrets(req, p))
                        .compose(p -> sendJson(req, SyncWire.page(p)));
            }
            case "heads" -> {
                long[] known = known(req.param("known"));
                long waitMs = req.param("wait-ms") == null ? 0 : IntParams.between(req.param("wait-ms"), 0, MAX_WAIT_MS,
                        "wait-ms must be 0-" + MAX_WAIT_MS);
                int pages = req.param("pages") == null ? 0 : IntParams.between(req.param("pages"), 1, MAX_PAGES, "pages must be 1-" + MAX_PAGES);
                yield heads(req, known, System.nanoTime() + waitMs * 1_000_000)
                        .compose(h -> withPages(req, h, known, pages))
                        .compose(j -> sendJson(req, j));
            }
            case "buckets" -> req.call(() -> objects.sync().syncBuckets())
                    .compose(e -> sendJson(req, new JsonObject().put("entries", SyncWire.entries(e))));
            case "identities" -> req.call(() -> objects.sync().syncIdentities())
                    .compose(e -> withSecrets(req, new SyncLogPage(e, 0, false)))
                    .compose(p -> sendJson(req, new JsonObject().put("entries", SyncWire.entries(p.entries()))));
            case "listing" -> {
                String bucket = required(req, "bucket");
                int limit = limit(req);
                yield req.call(() -> objects.sync().syncListing(bucket, req.param("after"), limit))
                        .compose(e -> sendJson(req, new JsonObject().put("entries", SyncWire.entries(e))));
            }
            case "digest" -> {
                String bucket = required(req, "bucket");
                String forZone = required(req, "for");
                String range = req.param("range") == null ? "" : req.param("range");
                try {
                    io.mooseng.core.model.SyncDigest.checkRange(range);
                } catch (IllegalArgumentException e) {
                    throw S3Error.INVALID_ARGUMENT.exception(e.getMessage());
                }
                boolean withEntries = "1".equals(req.param("entries"));
                int max = withEntries ? MAX_LIMIT : MAX_DIGEST_LIMIT;
                int limit = req.param("limit") == null ? max : IntParams.between(req.param("limit"), 1, max, "limit must be 1-" + max);
                yield req.call(() -> objects.sync().syncDigest(bucket, range, forZone, req.param("after"), limit, withEntries))
                        .compose(d -> sendJson(req, SyncWire.digest(d)));
            }
            default -> throw S3Error.INVALID_ARGUMENT.exception("mooseng-sync must be state, heads, log, buckets, identities, listing or digest");
        };
    }

    public Future<Void> put(S3Request req) {
        if (!"zonegroup".equals(req.param("mooseng-sync"))) {
            throw S3Error.INVALID_ARGUMENT.exception("PUT takes mooseng-sync=zonegroup");
        }
        String zone = required(req, "zone");
        return req.readSmallBody(MAX_CONFIG_BYTES).compose(body -> {
            Zonegroup group;
            try {
                group = SyncWire.zonegroup(new JsonObject(Buffer.buffer(body)));
            } catch (DecodeException | ClassCastException | NullPointerException | IllegalArgumentException e) {
                // not JSON, a field missing or of the wrong type, a zone name out of the rules: the sender's mistake
                throw S3Error.INVALID_ARGUMENT.exception("Not a zonegroup: " + e.getMessage());
            }
            return req.call(() -> objects.sync().configureZone(zone, group));
        }).compose(s -> sendJson(req, SyncWire.state(s)));
    }

    /**
     * The log's heads once they differ from {@code known} or the deadline passed: a peer with
     * nothing to pull waits here (checked every {@value #HEADS_CHECK_MS} ms, in this process)
     * instead of asking again and again across the WAN.
     */
    private Future<long[]> heads(S3Request req, long[] known, long deadlineNanos) {
        return req.call(() -> objects.sync().syncLogHeads()).compose(h -> {
            if (known == null || !java.util.Arrays.equals(h, known) || System.nanoTime() >= deadlineNanos || req.response().closed()) {
                return Future.succeededFuture(h);
            }
            io.vertx.core.Promise<Void> tick = io.vertx.core.Promise.promise();
            req.context().owner().setTimer(HEADS_CHECK_MS, id -> tick.complete());
            return tick.future().compose(v -> heads(req, known, deadlineNanos));
        });
    }

    /** The heads, and with {@code pages} a page of every shard past {@code known}: the puller needs no second round trip. */
    private Future<JsonObject> withPages(S3Request req, long[] heads, long[] known, int pages) {
        JsonObject answer = new JsonObject().put("heads", new JsonArray(LongStream.of(heads).boxed().toList()));
        if (pages == 0 || known == null || known.length != heads.length) {
            return Future.succeededFuture(answer);
        }
        JsonObject byShard = new JsonObject();
        List<Future<?>> reads = new java.util.ArrayList<>();
        for (int s = 0; s < heads.length; s++) {
            if (heads[s] > known[s]) {
                int shard = s;
                reads.add(req.call(() -> objects.sync().readSyncLog(shard, known[shard], pages))
                        .compose(p -> withheld(req, p, req.param("for")))
                        .compose(p -> withSecrets(req, p))
                        .onSuccess(p -> byShard.put(Integer.toString(shard), SyncWire.page(p))));
            }
        }
        return Future.all(reads).map(v -> answer.put("pages", byShard));
    }

    /**
     * The page with the object changes this zone's sync rules keep from {@code reader} marked as
     * seen by it, so it skips them. The reader checks its own copy of each rule too, but a rule
     * changed here reaches it through another shard of the log, possibly after the changes it
     * governs: this zone's copy (read fresh, not from the bucket cache) is the one in force here.
     */
    private Future<SyncLogPage> withheld(S3Request req, SyncLogPage page, String reader) {
        if (reader == null) {
            return Future.succeededFuture(page);
        }
        java.util.Map<String, Future<SyncRule>> rules = new java.util.HashMap<>();
        for (SyncEntry e : page.entries()) {
            if (e.objectChange()) {
                rules.computeIfAbsent(e.bucket(), b -> req.call(() -> objects.getBucket(b))
                        .map(info -> info.policy().syncRule()).otherwise(SyncRule.ALL));
            }
        }
        return Future.all(List.copyOf(rules.values())).map(v -> new SyncLogPage(page.entries().stream()
                .map(e -> e.objectChange() && !rules.get(e.bucket()).result().flows(e.originZone(), reader, e.key(), e.objectTags()) ? e.seenBy(reader) : e)
                .toList(), page.head(), page.trimmed()));
    }

    /**
     * The page with its access keys' secrets opened (see the class comment), when the request came over TLS or
     * loopback signed with the zonegroup's sync key (a peer zone's agent, not any root user); a key gone or changed
     * since keeps none (a later entry of it follows).
     */
    private Future<SyncLogPage> withSecrets(S3Request req, SyncLogPage page) {
        if (secrets == null || page.entries().stream().noneMatch(e -> e.kind() == SyncEntry.Kind.ACCESS_KEY)
                || !ServerSideEncryption.secretsMayTravel(req.http().isSSL(), req.http().remoteAddress().hostAddress())) {
            return Future.succeededFuture(page);
        }
        return req.call(() -> objects.sync().syncState()).compose(state -> state.zoned()
                && state.zonegroup().syncAccessKey().equals(req.auth().identity().accessKey())
                ? opened(req, page) : Future.succeededFuture(page));
    }

    private Future<SyncLogPage> opened(S3Request req, SyncLogPage page) {
        // KeySecrets reads the namespace and opens sealed boxes: not on the event loop
        return req.context().owner().executeBlocking(() -> new SyncLogPage(page.entries().stream().map(e -> {
            if (e.kind() != SyncEntry.Kind.ACCESS_KEY) {
                return e;
            }
            try {
                return e.withSecret(secrets.secretOf(e.key()));
            } catch (MooseException gone) {
                return e;
            }
        }).toList(), page.head(), page.trimmed()), false);
    }

    private static long[] known(String param) {
        if (param == null || param.isEmpty()) {
            return null;
        }
        try {
            return java.util.Arrays.stream(param.split(",")).mapToLong(Long::parseLong).toArray();
        } catch (NumberFormatException e) {
            throw S3Error.INVALID_ARGUMENT.exception("known must be comma-separated sequence numbers.");
        }
    }

    /** @throws io.mooseng.s3.error.S3Exception PreconditionFailed when the GET asked for another version */
    static void checkStamp(S3Request req, ObjectInfo info) {
        String wanted = req.param(STAMP_PARAM);
        if (wanted != null && !wanted.equals(info.manifest().effectiveStamp().toString())) {
            throw S3Error.PRECONDITION_FAILED.exception("The object is no longer version " + wanted + ".");
        }
    }

    private static Future<Void> sendJson(S3Request req, JsonObject json) {
        return req.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(json.toBuffer());
    }

    private static String required(S3Request req, String name) {
        String v = req.param(name);
        if (v == null || v.isEmpty()) {
            throw S3Error.INVALID_ARGUMENT.exception("The " + name + " parameter is required.");
        }
        return v;
    }

    private static long longParam(S3Request req, String name) {
        try {
            long v = Long.parseLong(required(req, name));
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw S3Error.INVALID_ARGUMENT.exception(name + " must be a non-negative integer.");
    }

    private static int limit(S3Request req) {
        String v = req.param("limit");
        return v == null ? 1000 : IntParams.between(v, 1, MAX_LIMIT, "limit must be 1-" + MAX_LIMIT);
    }
}
