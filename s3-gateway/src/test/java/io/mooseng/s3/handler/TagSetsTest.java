package io.mooseng.s3.handler;

import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import io.mooseng.s3.xml.S3Xml;
import io.mooseng.s3.xml.Tagging;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TagSetsTest {
    private static S3Error headerError(String header) {
        return assertThrows(S3Exception.class, () -> TagSets.fromHeader(header, TagSets.MAX_OBJECT_TAGS), header).error();
    }

    @Test
    void theHeaderIsAUrlEncodedQuery() {
        assertEquals(Map.of("a b", "1+2", "empty", "", "novalue", ""),
                TagSets.fromHeader("a%20b=1%2B2&empty=&novalue", TagSets.MAX_OBJECT_TAGS));
        assertEquals(Map.of(), TagSets.fromHeader(null, TagSets.MAX_OBJECT_TAGS));
        assertEquals(Map.of("ключ", "значение"), TagSets.fromHeader("%D0%BA%D0%BB%D1%8E%D1%87=%D0%B7%D0%BD%D0%B0%D1%87%D0%B5%D0%BD%D0%B8%D0%B5",
                TagSets.MAX_OBJECT_TAGS));
    }

    @Test
    void sRulesAreInvalidTag() {
        StringBuilder eleven = new StringBuilder();
        for (int i = 0; i < 11; i++) {
            eleven.append(i == 0 ? "" : "&").append("k").append(i).append("=v");
        }
        assertEquals(10, TagSets.fromHeader(eleven.substring(0, eleven.lastIndexOf("&")), TagSets.MAX_OBJECT_TAGS).size());
        assertEquals(S3Error.INVALID_TAG, headerError(eleven.toString()));
        assertEquals(S3Error.INVALID_TAG, headerError("a=1&a=2"));
        assertEquals(S3Error.INVALID_TAG, headerError("aws:x=1"));
        assertEquals(S3Error.INVALID_TAG, headerError("AWS:x=1"));
        assertEquals(S3Error.INVALID_TAG, headerError("=1"));
        assertEquals(S3Error.INVALID_TAG, headerError("k=%3Cscript%3E"));
        // lengths count Unicode characters, not bytes
        TagSets.fromHeader("é".repeat(128) + "=" + "é".repeat(256), TagSets.MAX_OBJECT_TAGS);
        assertEquals(S3Error.INVALID_TAG, headerError("k".repeat(129) + "=v"));
        assertEquals(S3Error.INVALID_TAG, headerError("k=" + "v".repeat(257)));
    }

    @Test
    void documentsRoundTripAndAllowFiftyTagsOnABucket() {
        Map<String, String> fifty = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            fifty.put("key" + i, "value " + i);
        }
        byte[] xml = S3Xml.write(Tagging.of(fifty));
        assertEquals(fifty, TagSets.fromDocument(S3Xml.read(xml, Tagging.class), TagSets.MAX_BUCKET_TAGS));
        S3Exception tooMany = assertThrows(S3Exception.class, () -> TagSets.fromDocument(S3Xml.read(xml, Tagging.class), TagSets.MAX_OBJECT_TAGS));
        assertEquals(S3Error.INVALID_TAG, tooMany.error());
        byte[] noValue = "<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>".getBytes(StandardCharsets.UTF_8);
        assertEquals(S3Error.MALFORMED_XML, assertThrows(S3Exception.class,
                () -> TagSets.fromDocument(S3Xml.read(noValue, Tagging.class), TagSets.MAX_OBJECT_TAGS)).error());
        byte[] empty = "<Tagging><TagSet/></Tagging>".getBytes(StandardCharsets.UTF_8);
        assertEquals(Map.of(), TagSets.fromDocument(S3Xml.read(empty, Tagging.class), TagSets.MAX_OBJECT_TAGS));
    }
}
