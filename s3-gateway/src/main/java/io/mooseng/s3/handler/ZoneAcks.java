package io.mooseng.s3.handler;

import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ZoneStamp;
import io.mooseng.core.model.Zonegroup;
import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.auth.Credentials;
import io.mooseng.s3.auth.Presigner;
import io.mooseng.s3.error.S3Error;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes acknowledged by several zones, on request: a PUT with {@code x-mooseng-sync-zones: N}
 * is answered once N zones (this one included) hold its version or a later one, as HEADs of the
 * other zones' gateways (signed with the zonegroup's sync key) show it. The version is stored and
 * committed here either way: when fewer than N zones have it within {@value #TIMEOUT_MS} ms the
 * answer is 503 ServiceUnavailable, saying so, and sync carries it on.
 */
final class ZoneAcks {
    static final String HEADER = "x-mooseng-sync-zones";
    private static final long TIMEOUT_MS = 30_000;
    private static final long POLL_MS = 25;

    private final ObjectService objects;
    /** This zone's keys, among them the zonegroup's sync key the HEADs are signed with. */
    private final Credentials credentials;
    private final PeerHttpClient http;

    ZoneAcks(ObjectService objects, Credentials credentials, PeerHttpClient http) {
        this.objects = objects;
        this.credentials = credentials;
        this.http = http;
    }

    /** What a request asked for: how many other zones must hold the write, where they are, and the key to ask with. */
    record Plan(int peersNeeded, List<Zonegroup.Zone> peers, String accessKey, String secretKey) {
    }

    /**
     * Checks the request's {@value #HEADER} before anything is stored; null without one.
     *
     * @throws io.mooseng.s3.error.S3Exception InvalidArgument (failed future) when this cluster is no zone or the group is smaller
     */
    Future<Plan> plan(S3Request req) {
        String asked = req.header(HEADER);
        if (asked == null) {
            return Future.succeededFuture(null);
        }
        int zones = IntParams.between(asked, 1, 64, HEADER + " must be a number of zones, 1-64.");
        return req.call(() -> objects.sync().syncState()).map(state -> {
            if (!state.zoned()) {
                throw S3Error.INVALID_ARGUMENT.exception(HEADER + " needs a zone of a zonegroup; this cluster is none.");
            }
            Zonegroup group = state.zonegroup();
            List<Zonegroup.Zone> peers = group.zones().stream().filter(z -> !z.name().equals(state.localZone())).toList();
            if (zones - 1 > peers.size()) {
                throw S3Error.INVALID_ARGUMENT.exception("The zonegroup has " + group.zones().size() + " zones; " + zones + " were asked for.");
            }
            Credentials.Key key = credentials.key(group.syncAccessKey());
            if (key == null) {
                throw S3Error.SERVICE_UNAVAILABLE.exception("The zonegroup's sync key " + group.syncAccessKey()
                        + " is not a usable key of this zone, so other zones cannot be asked.");
            }
            return new Plan(zones - 1, peers, group.syncAccessKey(), key.secretKey());
        });
    }

    /** Completes once the zones {@code plan} names hold {@code stored} (at once for no plan). */
    Future<Void> await(S3Request req, Plan plan, ObjectInfo stored) {
        ZoneStamp stamp = stored.manifest().stamp();
        if (plan == null) {
            return Future.succeededFuture();
        }
        if (stamp == null) {
            return Future.failedFuture(S3Error.SERVICE_UNAVAILABLE.exception("The object is stored in this zone, which left its zonegroup."));
        }
        Set<String> have = ConcurrentHashMap.newKeySet();
        Promise<Void> done = Promise.promise();
        poll(req, stored, stamp, plan, have, System.nanoTime() + TIMEOUT_MS * 1_000_000, done);
        return done.future().onSuccess(v -> req.response().putHeader(HEADER, Integer.toString(have.size() + 1)));
    }

    private void poll(S3Request req, ObjectInfo stored, ZoneStamp stamp, Plan plan, Set<String> have, long deadlineNanos, Promise<Void> done) {
        int needed = plan.peersNeeded();
        List<Future<Void>> asks = plan.peers().stream().filter(z -> !have.contains(z.name()) && !z.endpoints().isEmpty())
                .map(z -> holds(req.context().owner(), plan, z, stored, stamp).map(yes -> {
                    if (yes) {
                        have.add(z.name());
                    }
                    return (Void) null;
                }).recover(e -> Future.succeededFuture()))
                .toList();
        Future.join(asks).onComplete(ar -> {
            if (have.size() >= needed) {
                done.tryComplete();
            } else if (System.nanoTime() >= deadlineNanos || req.response().closed()) {
                done.tryFail(S3Error.SERVICE_UNAVAILABLE.exception("The object is stored in this zone, but only " + (have.size() + 1)
                        + " of the " + (needed + 1) + " zones asked for had it within " + TIMEOUT_MS / 1000 + " s; sync carries it on."));
            } else {
                req.context().owner().setTimer(POLL_MS, id -> poll(req, stored, stamp, plan, have, deadlineNanos, done));
            }
        });
    }

    /** Whether the zone's gateway shows this version of the object, or a later one. */
    private Future<Boolean> holds(Vertx vertx, Plan plan, Zonegroup.Zone zone, ObjectInfo stored, ZoneStamp stamp) {
        URI endpoint = URI.create(zone.endpoints().getFirst());
        String url = new Presigner(endpoint, plan.accessKey(), plan.secretKey(), "us-east-1")
                .presign("HEAD", stored.bucket(), stored.key(), java.util.Map.of(PeerReads.PARAM, "1"), 60); // what that zone holds itself
        return http.get(vertx).request(new RequestOptions().setMethod(HttpMethod.HEAD).setAbsoluteURI(url))
                .compose(r -> r.send())
                .map(ZoneAcks::showsStamp)
                .map(shown -> shown != null && !stamp.after(shown));
    }

    private static ZoneStamp showsStamp(HttpClientResponse r) {
        String header = r.getHeader(SyncHandler.STAMP_HEADER);
        return r.statusCode() == 200 && header != null ? ZoneStamp.parse(header) : null;
    }

}
