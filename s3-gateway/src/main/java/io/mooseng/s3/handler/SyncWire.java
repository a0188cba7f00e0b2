package io.mooseng.s3.handler;

import io.mooseng.core.model.SyncEntry;
import io.mooseng.core.model.SyncLogPage;
import io.mooseng.core.model.SyncState;
import io.mooseng.core.model.ZoneStamp;
import io.mooseng.core.model.Zonegroup;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Base64;
import java.util.List;

/**
 * The JSON zones exchange through their gateways' sync endpoint (see {@link SyncHandler}):
 * log pages, listings, zonegroup configurations. One codec for both ends: the gateway
 * writes it, a peer's sync agent reads it.
 */
public final class SyncWire {
    private SyncWire() {
    }

    /**
     * An entry; "tags" (a put's object tags), "secret" (an access key's, see {@link SyncHandler}) and "versionId" (a version's
     * in a bucket that keeps versions) only when it has them.
     */
    public static JsonObject entry(SyncEntry e) {
        JsonObject j = new JsonObject().put("shard", e.shard()).put("seq", e.seq()).put("kind", e.kind().name())
                .put("bucket", e.bucket()).put("key", e.key()).put("stamp", e.stamp().toString())
                .put("seen", new JsonArray(e.seen())).put("size", e.size()).put("etag", e.etag()).put("inline", e.inline())
                .put("payload", Base64.getEncoder().encodeToString(e.payload()));
        if (!e.tags().isEmpty()) {
            j.put("tags", new JsonObject(new java.util.LinkedHashMap<>(e.tags())));
        }
        if (e.secret() != null) {
            j.put("secret", e.secret());
        }
        if (e.versionId() != null) {
            j.put("versionId", e.versionId());
        }
        return j;
    }

    public static SyncEntry entry(JsonObject j) {
        java.util.Map<String, String> tags = new java.util.HashMap<>();
        j.getJsonObject("tags", new JsonObject()).forEach(t -> tags.put(t.getKey(), String.valueOf(t.getValue())));
        return new SyncEntry(j.getInteger("shard"), j.getLong("seq"), SyncEntry.Kind.valueOf(j.getString("kind")), j.getString("bucket"),
                j.getString("key"), ZoneStamp.parse(j.getString("stamp")), strings(j.getJsonArray("seen")), j.getLong("size"),
                j.getString("etag"), j.getBoolean("inline", false), Base64.getDecoder().decode(j.getString("payload")), tags,
                j.getString("secret"), j.getString("versionId"));
    }

    public static JsonArray entries(List<SyncEntry> entries) {
        JsonArray a = new JsonArray();
        entries.forEach(e -> a.add(entry(e)));
        return a;
    }

    public static List<SyncEntry> entries(JsonArray a) {
        return a.stream().map(o -> entry((JsonObject) o)).toList();
    }

    public static JsonObject page(SyncLogPage p) {
        return new JsonObject().put("entries", entries(p.entries())).put("head", p.head()).put("trimmed", p.trimmed());
    }

    public static SyncLogPage page(JsonObject j) {
        return new SyncLogPage(entries(j.getJsonArray("entries")), j.getLong("head"), j.getBoolean("trimmed"));
    }

    public static JsonObject digest(io.mooseng.core.model.SyncDigest d) {
        return new JsonObject().put("hashes", new JsonArray(java.util.stream.LongStream.of(d.hashes()).boxed().toList()))
                .put("counts", new JsonArray(java.util.stream.LongStream.of(d.counts()).boxed().toList()))
                .put("entries", entries(d.entries())).put("next", d.next());
    }

    public static io.mooseng.core.model.SyncDigest digest(JsonObject j) {
        return new io.mooseng.core.model.SyncDigest(longs(j.getJsonArray("hashes")), longs(j.getJsonArray("counts")),
                entries(j.getJsonArray("entries")), j.getString("next"));
    }

    private static long[] longs(JsonArray a) {
        return a.stream().mapToLong(v -> ((Number) v).longValue()).toArray();
    }

    public static JsonObject zonegroup(Zonegroup g) {
        JsonArray zones = new JsonArray();
        g.zones().forEach(z -> zones.add(new JsonObject().put("name", z.name()).put("endpoints", new JsonArray(z.endpoints()))));
        return new JsonObject().put("name", g.name()).put("epoch", g.epoch()).put("zones", zones)
                .put("syncAccessKey", g.syncAccessKey());
    }

    public static Zonegroup zonegroup(JsonObject j) {
        List<Zonegroup.Zone> zones = j.getJsonArray("zones").stream().map(o -> (JsonObject) o)
                .map(z -> new Zonegroup.Zone(z.getString("name"), strings(z.getJsonArray("endpoints")))).toList();
        return new Zonegroup(j.getString("name"), j.getLong("epoch"), zones, j.getString("syncAccessKey"));
    }

    public static JsonObject state(SyncState s) {
        return new JsonObject().put("zone", s.localZone()).put("zonegroup", zonegroup(s.zonegroup()));
    }

    public static SyncState state(JsonObject j) {
        return new SyncState(j.getString("zone"), zonegroup(j.getJsonObject("zonegroup")));
    }

    private static List<String> strings(JsonArray a) {
        return a.stream().map(String::valueOf).toList();
    }
}
