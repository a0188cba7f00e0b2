package io.mooseng.s3.handler;

import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.xml.ListAllMyBucketsResult;
import io.mooseng.s3.xml.Owner;
import io.mooseng.s3.xml.S3Xml;
import io.vertx.core.Future;

import java.util.Comparator;
import java.util.List;

/** Operations on the service as a whole: ListBuckets. */
public final class ServiceHandler {
    static final int MAX_BUCKETS = 10_000;

    private final ObjectService objects;
    private final String region;

    /** @param region the region each bucket is listed in */
    public ServiceHandler(ObjectService objects, String region) {
        this.objects = objects;
        this.region = region;
    }

    /**
     * By name, filtered by {@code prefix}; paged by {@code max-buckets} and an opaque
     * {@code continuation-token} (the last name listed) when max-buckets is given, else all.
     */
    public Future<Void> listBuckets(S3Request req) {
        String prefix = req.param("prefix");
        String maxParam = req.param("max-buckets");
        int max = maxParam == null ? Integer.MAX_VALUE
                : IntParams.between(maxParam, 1, MAX_BUCKETS, "max-buckets must be an integer between 1 and " + MAX_BUCKETS);
        String token = req.param("continuation-token");
        String after = token == null ? null : ListObjectsHandler.decodeToken(token);
        return req.call(objects::listBuckets).compose(all -> {
            List<BucketInfo> matching = all.stream()
                    .filter(b -> prefix == null || b.name().startsWith(prefix))
                    .filter(b -> after == null || b.name().compareTo(after) > 0)
                    .sorted(Comparator.comparing(BucketInfo::name))
                    .toList();
            List<BucketInfo> page = matching.subList(0, Math.min(max, matching.size()));
            String next = page.size() < matching.size() ? ListObjectsHandler.encodeToken(page.getLast().name()) : null;
            return req.sendXml(200, new ListAllMyBucketsResult(Owner.of(req.auth().accessKey()),
                    page.stream().map(b -> new ListAllMyBucketsResult.Bucket(b.name(), S3Xml.timestamp(b.createdMillis()), region)).toList(),
                    next, prefix));
        });
    }
}
