package io.mooseng.s3.handler;

import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.xml.ListAllMyBucketsResult;
import io.mooseng.s3.xml.Owner;
import io.mooseng.s3.xml.S3Xml;
import io.vertx.core.Future;

import java.util.Comparator;

/** Operations on the service as a whole: ListBuckets. */
public final class ServiceHandler {
    private final ObjectService objects;

    public ServiceHandler(ObjectService objects) {
        this.objects = objects;
    }

    public Future<Void> listBuckets(S3Request req) {
        return req.call(objects::listBuckets).compose(buckets -> req.sendXml(200, new ListAllMyBucketsResult(
                Owner.of(req.auth().accessKey()),
                buckets.stream()
                        .sorted(Comparator.comparing(BucketInfo::name))
                        .map(b -> new ListAllMyBucketsResult.Bucket(b.name(), S3Xml.timestamp(b.createdMillis())))
                        .toList())));
    }
}
