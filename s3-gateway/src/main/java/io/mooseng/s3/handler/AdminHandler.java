package io.mooseng.s3.handler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mooseng.core.model.BucketPolicy;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.TrashEntry;
import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.error.S3Error;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web console's administration calls, JSON under the {@code ?mooseng-admin} sub-resource,
 * signed like any S3 request and allowed to the administrator only (the router's ROOT_ONLY):
 * <ul>
 *   <li>{@code GET /?mooseng-admin=status[&lostAfterMs=MS]}: masters, chunkservers, gateways, mounts and the
 *       leader's maintenance report, the document {@code mooseng admin status --json} prints;</li>
 *   <li>{@code GET /?mooseng-admin=multisite}: this cluster's zone and its lag behind each peer zone, the figures
 *       of {@code mooseng admin sync status --json} (no zone without a zonegroup);</li>
 *   <li>{@code GET /BUCKET?mooseng-admin=trash}: the bucket's deleted objects, oldest deletion first;</li>
 *   <li>{@code POST /BUCKET?mooseng-admin=restore&inode=N}: puts a trash entry back at its key;</li>
 *   <li>{@code GET /BUCKET?mooseng-admin=classes}: the bucket's default class and its directories' classes;</li>
 *   <li>{@code PUT /BUCKET?mooseng-admin=class&class=EC_8_4[&prefix=DIR/]}: sets the class of the bucket or a directory.</li>
 * </ul>
 */
public final class AdminHandler {
    public static final String SUBRESOURCE = "mooseng-admin";
    /** As {@code mooseng admin status}: a node silent this long is LOST. */
    private static final int DEFAULT_LOST_AFTER_MS = 10_000;
    private static final int MAX_LOST_AFTER_MS = 3_600_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectService objects;
    private final ConsoleStatus status;

    public AdminHandler(ObjectService objects, ConsoleStatus status) {
        this.objects = objects;
        this.status = status;
    }

    public Future<Void> getService(S3Request req) {
        return switch (req.param(SUBRESOURCE)) {
            case "status" -> {
                int lostAfterMs = req.param("lostAfterMs") == null ? DEFAULT_LOST_AFTER_MS
                        : IntParams.between(req.param("lostAfterMs"), 1, MAX_LOST_AFTER_MS, "lostAfterMs must be 1-" + MAX_LOST_AFTER_MS);
                // the states are judged per caller (its lostAfterMs), the reading is shared
                yield req.context().executeBlocking(status::cluster, false)
                        .compose(r -> sendJson(req, r.view(System.currentTimeMillis(), lostAfterMs)));
            }
            case "multisite" -> req.context().executeBlocking(status::multisite, false).compose(m -> sendJson(req, m));
            default -> throw unknown(req);
        };
    }

    public Future<Void> getBucket(S3Request req) {
        return switch (req.param(SUBRESOURCE)) {
            case "trash" -> req.call(() -> objects.trash().listTrash(req.bucket())).compose(entries -> sendJson(req, entries.stream()
                    .sorted(Comparator.comparingLong(TrashEntry::deletedMillis)).toList()));
            case "classes" -> req.call(() -> objects.getBucket(req.bucket())).compose(b -> sendJson(req, classes(b.policy())));
            default -> throw unknown(req);
        };
    }

    public Future<Void> postBucket(S3Request req) {
        expect(req, "restore");
        long inode;
        try {
            inode = Long.parseLong(required(req, "inode"));
        } catch (NumberFormatException e) {
            throw S3Error.INVALID_ARGUMENT.exception("inode must be a number, as the trash listing shows it.");
        }
        return req.call(() -> objects.trash().restoreTrash(req.bucket(), inode))
                .compose(o -> sendJson(req, Map.of("key", o.key(), "bytes", o.size())));
    }

    public Future<Void> putBucket(S3Request req) {
        expect(req, "class");
        StorageClass storageClass = StorageClass.parse(required(req, "class"));
        String prefix = req.param("prefix") == null ? "" : req.param("prefix");
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            throw S3Error.INVALID_ARGUMENT.exception("prefix must name a directory (end with '/').");
        }
        return req.call(() -> objects.changeBucket(req.bucket(), p -> p.withPrefixClass(prefix, storageClass)))
                .compose(b -> sendJson(req, classes(b.policy())));
    }

    /** {"default": "EC_8_4", "directories": {"logs/": "REPLICATED_2"}} */
    private static Map<String, Object> classes(BucketPolicy policy) {
        Map<String, String> directories = new LinkedHashMap<>();
        policy.prefixClasses().forEach((prefix, c) -> directories.put(prefix, c.name()));
        return Map.of("default", policy.defaultClass().name(), "directories", directories);
    }

    private static void expect(S3Request req, String what) {
        if (!what.equals(req.param(SUBRESOURCE))) {
            throw unknown(req);
        }
    }

    private static RuntimeException unknown(S3Request req) {
        return S3Error.INVALID_ARGUMENT.exception("Unknown " + SUBRESOURCE + " call '" + req.param(SUBRESOURCE) + "' for "
                + req.http().method().name() + ".");
    }

    private static String required(S3Request req, String name) {
        String v = req.param(name);
        if (v == null || v.isEmpty()) {
            throw S3Error.INVALID_ARGUMENT.exception("The " + name + " parameter is required.");
        }
        return v;
    }

    private static Future<Void> sendJson(S3Request req, Object document) {
        try {
            return req.response().setStatusCode(200).putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(JSON.writeValueAsBytes(document)));
        } catch (JsonProcessingException e) {
            return Future.failedFuture(e);
        }
    }
}
