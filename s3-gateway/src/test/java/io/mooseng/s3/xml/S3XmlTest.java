package io.mooseng.s3.xml;

import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import io.mooseng.core.checksum.ChecksumAlgorithm;
import io.mooseng.core.checksum.ChecksumType;
import io.mooseng.core.model.ObjectChecksum;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class S3XmlTest {
    private static String xml(Object doc) {
        return new String(S3Xml.write(doc), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void listingRendersWithTheNamespaceOnTheRootOnly() {
        String out = xml(new ListBucketV2Result("b", "p/", "/", 1000, null, 2, true, null, "dG9rZW4", null,
                List.of(new ObjectEntry("p/a&b", S3Xml.timestamp(0), "\"abc\"", 3, "EC_4_2", null)),
                List.of(new CommonPrefix("p/c/"))));
        assertTrue(out.startsWith("<?xml version='1.0' encoding='UTF-8'?>") || out.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), out);
        assertTrue(out.contains("<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"), out);
        assertFalse(out.contains("xmlns=\"\""), out);
        assertTrue(out.contains("<Contents><Key>p/a&amp;b</Key><LastModified>1970-01-01T00:00:00.000Z</LastModified>"
                + "<ETag>\"abc\"</ETag><Size>3</Size><StorageClass>EC_4_2</StorageClass></Contents>"), out);
        assertTrue(out.contains("<CommonPrefixes><Prefix>p/c/</Prefix></CommonPrefixes>"), out);
        assertTrue(out.contains("<KeyCount>2</KeyCount><IsTruncated>true</IsTruncated>"), out);
        assertTrue(out.contains("<NextContinuationToken>dG9rZW4</NextContinuationToken>"), out);
        assertFalse(out.contains("ContinuationToken></"), "absent fields are left out: " + out);
    }

    @Test
    void bucketListWrapsEachBucket() {
        String out = xml(new ListAllMyBucketsResult(Owner.of("AK"), List.of(
                new ListAllMyBucketsResult.Bucket("a", S3Xml.timestamp(1000), "us-east-1"),
                new ListAllMyBucketsResult.Bucket("b", S3Xml.timestamp(2000), "us-east-1")), "Yg", "p"));
        assertTrue(out.contains("<Owner><ID>AK</ID><DisplayName>AK</DisplayName></Owner><Buckets><Bucket><Name>a</Name>"
                + "<CreationDate>1970-01-01T00:00:01.000Z</CreationDate><BucketRegion>us-east-1</BucketRegion></Bucket><Bucket><Name>b</Name>"), out);
        assertTrue(out.contains("</Buckets><ContinuationToken>Yg</ContinuationToken><Prefix>p</Prefix>"), out);
        String empty = xml(new ListAllMyBucketsResult(Owner.of("AK"), List.of(), null, null));
        assertTrue(empty.contains("<Buckets/>") && !empty.contains("ContinuationToken") && !empty.contains("Prefix"), empty);
    }

    @Test
    void aclNamesTheGranteeKindWithItsXsiPrefix() {
        String out = xml(AccessControlPolicy.ownerFullControl(Owner.of("AK")));
        assertTrue(out.contains("<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Owner><ID>AK</ID>"
                + "<DisplayName>AK</DisplayName></Owner><AccessControlList><Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                + "xsi:type=\"CanonicalUser\"><ID>AK</ID><DisplayName>AK</DisplayName></Grantee>"
                + "<Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>"), out);
    }

    @Test
    void parsesAnAccessControlPolicy() {
        AccessControlPolicy p = S3Xml.read(bytes("<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<Owner><ID>AK</ID></Owner><AccessControlList>"
                + "<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>AK</ID></Grantee>"
                + "<Permission>FULL_CONTROL</Permission></Grant>"
                + "<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"Group\">"
                + "<URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant>"
                + "</AccessControlList></AccessControlPolicy>"), AccessControlPolicy.class);
        assertEquals("AK", p.owner.id());
        assertEquals(2, p.grants.size());
        assertEquals("AK", p.grants.get(0).grantee.id);
        assertEquals("FULL_CONTROL", p.grants.get(0).permission);
        assertEquals("http://acs.amazonaws.com/groups/global/AllUsers", p.grants.get(1).grantee.uri);
    }

    @Test
    void errorsCarryNoNamespace() {
        String out = xml(new ErrorDocument("NoSuchKey", "The specified key does not exist.", null, "/b/k", "ABC"));
        assertTrue(out.contains("<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>"
                + "<Resource>/b/k</Resource><RequestId>ABC</RequestId></Error>"), out);
        String region = xml(new ErrorDocument("AuthorizationHeaderMalformed", "wrong region", "eu-west-1", "/", "ABC"));
        assertTrue(region.contains("<Message>wrong region</Message><Region>eu-west-1</Region><Resource>/</Resource>"), region);
    }

    @Test
    void smallDocuments() {
        assertTrue(xml(new LocationConstraint("")).contains("<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"></LocationConstraint>"));
        assertTrue(xml(new LocationConstraint("eu-west-1")).contains(">eu-west-1</LocationConstraint>"));
        String deleted = xml(new DeleteResult(List.of(new DeleteResult.Deleted("a", null, null, null), new DeleteResult.Deleted("m", null, true, "V")),
                List.of(new DeleteResult.Failed("b", null, "AccessDenied", "no"))));
        assertTrue(deleted.contains("<Deleted><Key>a</Key></Deleted><Deleted><Key>m</Key><DeleteMarker>true</DeleteMarker>"
                + "<DeleteMarkerVersionId>V</DeleteMarkerVersionId></Deleted><Error><Key>b</Key><Code>AccessDenied</Code><Message>no</Message></Error>"),
                deleted);
        String versions = xml(new ListVersionsResult("b", "", "", "", null, null, 1000, null, null, false, List.of(
                new ListVersionsResult.Version("a", "V2", true, S3Xml.timestamp(0), "\"e\"", 5, "STANDARD", null),
                new ListVersionsResult.DeleteMarker("b", "M", true, S3Xml.timestamp(0), null),
                new ListVersionsResult.Version("b", "V1", false, S3Xml.timestamp(0), "\"e\"", 5, "STANDARD", null)),
                List.of(new CommonPrefix("c/"))));
        assertTrue(versions.contains("<ListVersionsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>b</Name><Prefix></Prefix>"
                + "<KeyMarker></KeyMarker><VersionIdMarker></VersionIdMarker><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>"
                + "<Version><Key>a</Key><VersionId>V2</VersionId><IsLatest>true</IsLatest>"), versions);
        assertTrue(versions.contains("</Version><DeleteMarker><Key>b</Key><VersionId>M</VersionId><IsLatest>true</IsLatest>"
                + "<LastModified>1970-01-01T00:00:00.000Z</LastModified></DeleteMarker><Version><Key>b</Key>"), versions);
        assertTrue(versions.endsWith("</Version><CommonPrefixes><Prefix>c/</Prefix></CommonPrefixes></ListVersionsResult>"), versions);
        String versioning = xml(io.mooseng.s3.xml.VersioningConfiguration.of(null));
        assertTrue(versioning.contains("<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"></VersioningConfiguration>")
                || versioning.contains("<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>"), versioning);
        String parts = xml(new ListPartsResult("b", "k", "u", Owner.of("AK"), Owner.of("AK"), "STANDARD", 0, null, 1000, false,
                null, null, List.of(new ListPartsResult.Part(1, S3Xml.timestamp(0), "\"e\"", 5, null))));
        assertTrue(parts.contains("<Part><PartNumber>1</PartNumber><LastModified>1970-01-01T00:00:00.000Z</LastModified><ETag>\"e\"</ETag><Size>5</Size></Part>"), parts);
        ObjectChecksum crc = ObjectChecksum.of(ChecksumAlgorithm.CRC32, new byte[] {0x35, 0x24, 0x41, (byte) 0xc2});
        String summed = xml(new ListPartsResult("b", "k", "u", Owner.of("AK"), Owner.of("AK"), "STANDARD", 0, null, 1000, false,
                "CRC32", "COMPOSITE", List.of(new ListPartsResult.Part(1, S3Xml.timestamp(0), "\"e\"", 5, ChecksumElements.of(crc)))));
        assertTrue(summed.contains("<IsTruncated>false</IsTruncated><ChecksumAlgorithm>CRC32</ChecksumAlgorithm><ChecksumType>COMPOSITE"
                + "</ChecksumType><Part><PartNumber>1</PartNumber><LastModified>1970-01-01T00:00:00.000Z</LastModified><ETag>\"e\"</ETag>"
                + "<Size>5</Size><ChecksumCRC32>NSRBwg==</ChecksumCRC32></Part>"), summed);
        ObjectChecksum composite = new ObjectChecksum(ChecksumAlgorithm.SHA1, ChecksumType.COMPOSITE, new byte[20], 3);
        String attributes = xml(new GetObjectAttributesResponse("e", ChecksumElements.bare(composite),
                new GetObjectAttributesResponse.ObjectParts(3, 0, 1, 1, true, List.of(new GetObjectAttributesResponse.Part(1, 5,
                        ChecksumElements.of(ObjectChecksum.of(ChecksumAlgorithm.SHA1, new byte[20]))))), null, 42L));
        assertTrue(attributes.contains("<GetObjectAttributesResponse xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><ETag>e</ETag>"
                + "<Checksum><ChecksumSHA1>AAAAAAAAAAAAAAAAAAAAAAAAAAA=</ChecksumSHA1><ChecksumType>COMPOSITE</ChecksumType></Checksum>"
                + "<ObjectParts><PartsCount>3</PartsCount><PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>1</NextPartNumberMarker>"
                + "<MaxParts>1</MaxParts><IsTruncated>true</IsTruncated><Part><PartNumber>1</PartNumber><Size>5</Size>"
                + "<ChecksumSHA1>AAAAAAAAAAAAAAAAAAAAAAAAAAA=</ChecksumSHA1></Part></ObjectParts><ObjectSize>42</ObjectSize>"
                + "</GetObjectAttributesResponse>"), attributes);
        assertTrue(xml(new CopyObjectResult("t", "\"e\"", ChecksumElements.withType(composite)))
                .contains("<ETag>\"e\"</ETag><ChecksumSHA1>AAAAAAAAAAAAAAAAAAAAAAAAAAA=-3</ChecksumSHA1><ChecksumType>COMPOSITE</ChecksumType>"));
    }

    @Test
    void parsesDeleteObjects() {
        DeleteRequest d = S3Xml.read(bytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>true</Quiet>"
                + "<Object><Key>a/b&amp;c</Key></Object><Object><Key>d</Key><VersionId>null</VersionId></Object></Delete>"), DeleteRequest.class);
        assertEquals(Boolean.TRUE, d.quiet);
        assertEquals(2, d.objects.size());
        assertEquals("a/b&c", d.objects.get(0).key);
        DeleteRequest single = S3Xml.read(bytes("<Delete><Object><Key>x</Key></Object></Delete>"), DeleteRequest.class);
        assertEquals(1, single.objects.size());
    }

    @Test
    void parsesCompleteMultipartUpload() {
        CompleteMultipartUpload c = S3Xml.read(bytes("<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<Part><PartNumber>1</PartNumber><ETag>\"a\"</ETag></Part><Part><ETag>b</ETag><PartNumber>2</PartNumber>"
                + "<ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part></CompleteMultipartUpload>"), CompleteMultipartUpload.class);
        assertEquals(2, c.parts.size());
        assertEquals(2, c.parts.get(1).partNumber);
        assertEquals("\"a\"", c.parts.get(0).etag);
    }

    @Test
    void malformedAndHostileBodiesAreMalformedXml() {
        for (String body : List.of("", "<Delete><Object><Key>a</Key></Object>", "not xml", "<Delete><Quiet>maybe</Quiet></Delete>",
                "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Delete><Object><Key>&x;</Key></Object></Delete>",
                "<!DOCTYPE Delete><Delete><Object><Key>a</Key></Object></Delete>",
                "<!-- only a comment -->",
                billionLaughs(),
                "<Delete>" + "<Object>".repeat(S3Xml.MAX_DEPTH) + "</Object>".repeat(S3Xml.MAX_DEPTH) + "</Delete>")) {
            S3Exception e = assertThrows(S3Exception.class, () -> S3Xml.read(bytes(body), DeleteRequest.class), body);
            assertEquals(S3Error.MALFORMED_XML, e.error(), body);
        }
    }

    @Test
    void nestingUpToTheLimitParses() {
        String deepest = "<Delete><Object><Key>a</Key></Object>" + "<X>".repeat(S3Xml.MAX_DEPTH - 1) + "</X>".repeat(S3Xml.MAX_DEPTH - 1) + "</Delete>";
        assertEquals(1, S3Xml.read(bytes(deepest), DeleteRequest.class).objects.size());
    }

    /** Entities of ten references each, nine levels deep: a billion bytes if expanded. */
    private static String billionLaughs() {
        StringBuilder doc = new StringBuilder("<!DOCTYPE Delete [<!ENTITY e0 \"lol\">");
        for (int i = 1; i < 10; i++) {
            doc.append("<!ENTITY e").append(i).append(" \"").append(("&e" + (i - 1) + ";").repeat(10)).append("\">");
        }
        return doc.append("]><Delete><Object><Key>&e9;</Key></Object></Delete>").toString();
    }
}
