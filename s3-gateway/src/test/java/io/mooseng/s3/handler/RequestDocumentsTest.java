package io.mooseng.s3.handler;

import io.mooseng.core.model.CompletedPart;
import io.mooseng.core.model.MultipartUpload;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import io.mooseng.s3.xml.CompleteMultipartUpload;
import io.mooseng.s3.xml.DeleteRequest;
import io.mooseng.s3.xml.DeleteResult;
import io.mooseng.s3.xml.S3Xml;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import io.mooseng.core.model.VersionDeleted;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parts of handlers that turn request documents and storage answers into S3 answers. */
class RequestDocumentsTest {

    private static <T> T read(String xml, Class<T> type) {
        return S3Xml.read(xml.getBytes(StandardCharsets.UTF_8), type);
    }

    @Test
    void deleteObjectsKeysAndLimits() {
        assertEquals(List.of("a", "b"), DeleteObjectsHandler.keys(read(
                "<Delete><Object><Key>a</Key></Object><Object><Key>b</Key></Object></Delete>", DeleteRequest.class)));
        StringBuilder many = new StringBuilder("<Delete>");
        for (int i = 0; i <= DeleteObjectsHandler.MAX_KEYS; i++) {
            many.append("<Object><Key>k").append(i).append("</Key></Object>");
        }
        String tooMany = many.append("</Delete>").toString();
        for (String body : List.of("<Delete><Quiet>true</Quiet></Delete>", "<Delete><Object><VersionId>1</VersionId></Object></Delete>", tooMany)) {
            S3Exception e = assertThrows(S3Exception.class, () -> DeleteObjectsHandler.keys(read(body, DeleteRequest.class)));
            assertEquals(S3Error.MALFORMED_XML, e.error());
        }
    }

    @Test
    void deleteResultsInRequestOrderAndQuietLeavesOnlyErrors() {
        VersionDeleted marker = new VersionDeleted("M", true, java.util.Optional.empty());
        DeleteObjectsHandler.Outcome[] outcomes = {new DeleteObjectsHandler.Outcome(null, null),
                new DeleteObjectsHandler.Outcome(null, S3Error.INTERNAL_ERROR.exception()), new DeleteObjectsHandler.Outcome(marker, null)};
        java.util.List<String> versions = java.util.Arrays.asList(null, null, null);
        DeleteResult loud = DeleteObjectsHandler.result(List.of("a", "b", "c"), versions, outcomes, false);
        assertEquals(List.of(new DeleteResult.Deleted("a", null, null, null), new DeleteResult.Deleted("c", null, true, "M")), loud.deleted());
        assertEquals("InternalError", loud.errors().get(0).code());
        DeleteResult quiet = DeleteObjectsHandler.result(List.of("a", "b", "c"), versions, outcomes, true);
        assertTrue(quiet.deleted().isEmpty());
        assertEquals(1, quiet.errors().size());
    }

    @Test
    void completeMultipartParts() {
        assertEquals(List.of(new CompletedPart(1, "a"), new CompletedPart(2, "b")), MultipartHandler.parts(read(
                "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"a\"</ETag></Part>"
                        + "<Part><PartNumber>2</PartNumber><ETag>b</ETag></Part></CompleteMultipartUpload>", CompleteMultipartUpload.class)));
        for (String body : List.of("<CompleteMultipartUpload></CompleteMultipartUpload>",
                "<CompleteMultipartUpload><Part><ETag>a</ETag></Part></CompleteMultipartUpload>",
                "<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>")) {
            S3Exception e = assertThrows(S3Exception.class, () -> MultipartHandler.parts(read(body, CompleteMultipartUpload.class)), body);
            assertEquals(S3Error.MALFORMED_XML, e.error());
        }
    }

    @Test
    void continuationTokensAreOpaqueAndChecked() {
        String token = ListObjectsHandler.encodeToken("photos/2024/é.jpg");
        assertFalse(token.contains("/"));
        assertEquals("photos/2024/é.jpg", ListObjectsHandler.decodeToken(token));
        assertEquals(S3Error.INVALID_ARGUMENT, assertThrows(S3Exception.class, () -> ListObjectsHandler.decodeToken("%%%")).error());
    }

    @Test
    void maxKeys() {
        assertEquals(1000, ListObjectsHandler.maxKeys(null, 1000));
        assertEquals(1000, ListObjectsHandler.maxKeys("5000", 1000));
        assertEquals(0, ListObjectsHandler.maxKeys("0", 1000));
        for (String bad : new String[] {"-1", "ten", "99999999999"}) {
            assertEquals(S3Error.INVALID_ARGUMENT, assertThrows(S3Exception.class, () -> ListObjectsHandler.maxKeys(bad, 1000)).error());
        }
    }

    private static MultipartUpload upload(String key, String id) {
        return new MultipartUpload(id, "b", key, 0, ObjectProperties.EMPTY, null);
    }

    @Test
    void uploadListingPagesByKeyAndUploadIdAndRollsUpPrefixes() {
        List<MultipartUpload> all = List.of(upload("b", "2"), upload("a", "1"), upload("dir/x", "3"), upload("dir/y", "4"),
                upload("b", "1"), upload("c", "5"));
        ListUploadsHandler.Page first = ListUploadsHandler.page(all, "", "/", null, null, 3);
        assertEquals(List.of("a", "b", "b"), first.uploads().stream().map(MultipartUpload::key).toList());
        assertTrue(first.truncated());
        assertEquals("b", first.nextKeyMarker());
        assertEquals("2", first.nextUploadIdMarker());

        ListUploadsHandler.Page second = ListUploadsHandler.page(all, "", "/", "b", "2", 3);
        assertEquals(List.of("c"), second.uploads().stream().map(MultipartUpload::key).toList());
        assertEquals(List.of("dir/"), second.prefixes());
        assertFalse(second.truncated());
        assertNull(second.nextKeyMarker());

        ListUploadsHandler.Page afterPrefix = ListUploadsHandler.page(all, "", "/", "dir/", null, 10);
        assertTrue(afterPrefix.uploads().isEmpty() && afterPrefix.prefixes().isEmpty());

        ListUploadsHandler.Page underDir = ListUploadsHandler.page(all, "dir/", null, null, null, 1);
        assertEquals(List.of("dir/x"), underDir.uploads().stream().map(MultipartUpload::key).toList());
        assertTrue(underDir.truncated());
    }
}
