package io.mooseng.s3.handler;

import io.mooseng.core.model.MultipartOrigin;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.xml.ChecksumElements;
import io.mooseng.s3.xml.GetObjectAttributesResponse;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * GetObjectAttributes (GET ?attributes): what x-amz-object-attributes names of ETag, Checksum, ObjectParts,
 * StorageClass and ObjectSize, without the content. ObjectParts is answered for a multipart object only, and lists
 * its parts (paged by x-amz-max-parts and x-amz-part-number-marker) only when the upload had a checksum, as S3.
 */
public final class ObjectAttributesHandler {
    static final String ATTRIBUTES = "x-amz-object-attributes";
    private static final int MAX_PARTS = 1000;

    enum Attribute { ETag, Checksum, ObjectParts, StorageClass, ObjectSize }

    private final ObjectService objects;
    private final ServerSideEncryption encryption;

    public ObjectAttributesHandler(ObjectService objects, ServerSideEncryption encryption) {
        this.objects = objects;
        this.encryption = encryption;
    }

    public Future<Void> get(S3Request req) {
        ObjectHeaders.checkKeyLength(req.key());
        Set<Attribute> wanted = attributes(req.headers().getAll(ATTRIBUTES));
        int maxParts = req.header("x-amz-max-parts") == null ? MAX_PARTS
                : Math.min(MAX_PARTS, IntParams.between(req.header("x-amz-max-parts"), 0, Integer.MAX_VALUE, "Invalid x-amz-max-parts"));
        int marker = req.header("x-amz-part-number-marker") == null ? 0
                : IntParams.between(req.header("x-amz-part-number-marker"), 0, Integer.MAX_VALUE, "Invalid x-amz-part-number-marker");
        String versionId = req.param("versionId");
        return VersionHeaders.find(req, objects, req.bucket(), req.key(), versionId).compose(info -> {
            encryption.forRead(req, info); // an SSE-C object's attributes need its key, as on S3
            ObjectManifest m = info.manifest();
            req.response().putHeader("Last-Modified", HttpDates.format(info.mtimeMillis()));
            VersionHeaders.answer(req.response(), m, versionId != null);
            return req.sendXml(200, new GetObjectAttributesResponse(
                    wanted.contains(Attribute.ETag) ? info.etag() : null,
                    wanted.contains(Attribute.Checksum) ? ChecksumElements.bare(m.checksum()) : null,
                    wanted.contains(Attribute.ObjectParts) ? parts(info, marker, maxParts) : null,
                    wanted.contains(Attribute.StorageClass) && m.storageClass() != null ? m.storageClass().name() : null,
                    wanted.contains(Attribute.ObjectSize) ? info.size() : null));
        });
    }

    /**
     * The attributes named in the header's values, each a comma-separated list.
     *
     * @throws io.mooseng.s3.error.S3Exception InvalidArgument when none is named, or a name is not one of S3's
     */
    static Set<Attribute> attributes(List<String> values) {
        Set<Attribute> wanted = EnumSet.noneOf(Attribute.class);
        for (String value : values) {
            for (String name : value.split(",")) {
                if (name.isBlank()) {
                    continue;
                }
                try {
                    wanted.add(Attribute.valueOf(name.trim()));
                } catch (IllegalArgumentException e) {
                    throw S3Error.INVALID_ARGUMENT.exception("Invalid attribute name specified: " + name.trim());
                }
            }
        }
        if (wanted.isEmpty()) {
            throw S3Error.INVALID_ARGUMENT.exception(ATTRIBUTES + " header specifying the attributes to be retrieved is either missing or empty");
        }
        return wanted;
    }

    /** A multipart object's parts after {@code marker}, at most {@code maxParts}; null for an object of one part. */
    private static GetObjectAttributesResponse.ObjectParts parts(ObjectInfo info, int marker, int maxParts) {
        MultipartOrigin origin = info.manifest().multipart();
        if (origin == null) {
            return null;
        }
        int count = origin.partSizes().size();
        if (origin.partChecksums().isEmpty()) {
            return new GetObjectAttributesResponse.ObjectParts(count, null, null, null, null, null);
        }
        List<GetObjectAttributesResponse.Part> page = new ArrayList<>();
        for (int n = marker + 1; n <= count && page.size() < maxParts; n++) {
            page.add(new GetObjectAttributesResponse.Part(n, origin.partSizes().get(n - 1), ChecksumElements.of(origin.partChecksums().get(n - 1))));
        }
        int last = page.isEmpty() ? marker : page.getLast().partNumber();
        boolean truncated = last < count;
        return new GetObjectAttributesResponse.ObjectParts(count, marker, truncated ? last : null, maxParts, truncated, page);
    }
}
