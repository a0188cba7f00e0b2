package io.mooseng.s3.handler;

import io.mooseng.core.model.MultipartUpload;
import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.auth.UriEncoding;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.xml.CommonPrefix;
import io.mooseng.s3.xml.ListMultipartUploadsResult;
import io.mooseng.s3.xml.Owner;
import io.mooseng.s3.xml.S3Xml;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * ListMultipartUploads (GET ?uploads): storage lists the uploads under a prefix; ordering
 * by (key, upload id), the markers, the delimiter roll-up and paging are done here.
 */
public final class ListUploadsHandler {
    private final ObjectService objects;

    public ListUploadsHandler(ObjectService objects) {
        this.objects = objects;
    }

    public Future<Void> listUploads(S3Request req) {
        String encoding = req.param("encoding-type");
        if (encoding != null && !encoding.equals("url")) {
            throw S3Error.INVALID_ARGUMENT.exception("Invalid Encoding Method specified in Request");
        }
        String prefix = req.param("prefix") == null ? "" : req.param("prefix");
        String delimiter = req.param("delimiter") == null || req.param("delimiter").isEmpty() ? null : req.param("delimiter");
        int max = ListObjectsHandler.maxKeys(req.param("max-uploads"), 1000);
        String keyMarker = req.param("key-marker");
        String uploadIdMarker = keyMarker == null ? null : req.param("upload-id-marker");
        return req.call(() -> objects.listMultipartUploads(req.bucket(), prefix)).compose(all -> {
            Page page = page(all, prefix, delimiter, keyMarker, uploadIdMarker, max);
            Owner owner = Owner.of(req.auth().accessKey());
            boolean url = encoding != null;
            return req.sendXml(200, new ListMultipartUploadsResult(req.bucket(), enc(url, keyMarker), uploadIdMarker,
                    page.truncated ? enc(url, page.nextKeyMarker) : null, page.truncated ? page.nextUploadIdMarker : null,
                    enc(url, prefix), enc(url, delimiter), max, encoding, page.truncated,
                    page.uploads.stream().map(u -> new ListMultipartUploadsResult.Upload(enc(url, u.key()), u.uploadId(),
                            owner, owner, u.storageClass() == null ? "STANDARD" : u.storageClass().name(),
                            S3Xml.timestamp(u.initiatedMillis()))).toList(),
                    page.prefixes.stream().map(p -> new CommonPrefix(enc(url, p))).toList()));
        });
    }

    record Page(List<MultipartUpload> uploads, List<String> prefixes, boolean truncated,
                String nextKeyMarker, String nextUploadIdMarker) {
    }

    /** At most {@code max} entries (uploads and common prefixes) after the markers, in (key, upload id) order. */
    static Page page(List<MultipartUpload> all, String prefix, String delimiter, String keyMarker,
                     String uploadIdMarker, int max) {
        List<MultipartUpload> sorted = all.stream().filter(u -> u.key().startsWith(prefix))
                .filter(u -> keyMarker == null || u.key().compareTo(keyMarker) > 0
                        || (u.key().equals(keyMarker) && uploadIdMarker != null && u.uploadId().compareTo(uploadIdMarker) > 0))
                // a marker that was a common prefix resumes after its whole group
                .filter(u -> delimiter == null || keyMarker == null || !keyMarker.endsWith(delimiter) || !u.key().startsWith(keyMarker))
                .sorted(Comparator.comparing(MultipartUpload::key).thenComparing(MultipartUpload::uploadId))
                .toList();
        List<MultipartUpload> uploads = new ArrayList<>();
        Set<String> prefixes = new LinkedHashSet<>();
        String nextKey = null;
        String nextUploadId = null;
        for (MultipartUpload u : sorted) {
            int at = delimiter == null ? -1 : u.key().indexOf(delimiter, prefix.length());
            String rolledUp = at < 0 ? null : u.key().substring(0, at + delimiter.length());
            if (rolledUp != null && prefixes.contains(rolledUp)) {
                continue;
            }
            if (uploads.size() + prefixes.size() == max) {
                return new Page(uploads, List.copyOf(prefixes), true, nextKey, nextUploadId);
            }
            if (rolledUp != null) {
                prefixes.add(rolledUp);
                nextKey = rolledUp;
                nextUploadId = null;
            } else {
                uploads.add(u);
                nextKey = u.key();
                nextUploadId = u.uploadId();
            }
        }
        return new Page(uploads, List.copyOf(prefixes), false, null, null);
    }

    private static String enc(boolean url, String value) {
        return url && value != null ? UriEncoding.encode(value, true) : value;
    }
}
