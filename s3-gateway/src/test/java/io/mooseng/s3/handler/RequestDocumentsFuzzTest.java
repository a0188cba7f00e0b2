package io.mooseng.s3.handler;

import io.mooseng.core.fuzz.Fuzz;
import io.mooseng.core.fuzz.Mutations;
import io.mooseng.s3.xml.AccessControlPolicy;
import io.mooseng.s3.xml.CompleteMultipartUpload;
import io.mooseng.s3.xml.CorsConfiguration;
import io.mooseng.s3.xml.CreateBucketConfiguration;
import io.mooseng.s3.xml.DeleteRequest;
import io.mooseng.s3.xml.LifecycleConfiguration;
import io.mooseng.s3.xml.S3Xml;
import io.mooseng.s3.xml.Tagging;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import static io.mooseng.s3.error.ParserOutcomes.resultOrClientError;

/**
 * Every XML request document through the parse and checks its handler applies, from valid
 * documents changed at random (bytes, XML tokens, entities, a DOCTYPE, deep or long runs).
 * Property: the handler's parse returns or answers an S3 client error, never a 500.
 */
class RequestDocumentsFuzzTest {
    private static final String NS = " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";
    private static final List<String> DICTIONARY = List.of("<", ">", "</", "/>", "&", "&amp;", "&#0;", "&#x110000;", "&lol;",
            "<![CDATA[", "]]>", "<!--", "-->", "<!DOCTYPE x [<!ENTITY lol \"lol\">]>", "<?xml version=\"1.0\"?>", "<?pi x?>",
            " xmlns:a=\"urn:a\"", "a:", " xsi:type=\"Group\"", "<Part>", "</Part>", "<Object>", "<Key>", "</Key>", "<Tag>",
            "<CORSRule>", "<Rule>", "<Filter>", "<And>", "<Days>", "<AllowedOrigin>", "<Grant>", "<Grantee>", "<PartNumber>", "99999999999999999999", "-1", "true",
            "\u0000", "\uFFFE", "\u00e9", "\uD83D\uDE00", "\u2028", " ", "\t", "\r\n");

    private record Document(String name, String valid, Consumer<byte[]> parse) {
    }

    private static final List<Document> DOCUMENTS = List.of(
            new Document("CompleteMultipartUpload", "<CompleteMultipartUpload" + NS + "><Part><PartNumber>1</PartNumber>"
                    + "<ETag>\"a\"</ETag></Part><Part><PartNumber>2</PartNumber><ETag>b</ETag><ChecksumCRC32>AAAAAA==</ChecksumCRC32>"
                    + "</Part></CompleteMultipartUpload>",
                    b -> MultipartHandler.parts(S3Xml.read(b, CompleteMultipartUpload.class))),
            new Document("Delete", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete" + NS + "><Quiet>true</Quiet>"
                    + "<Object><Key>a/b&amp;c</Key></Object><Object><Key>d</Key><VersionId>null</VersionId></Object></Delete>",
                    b -> DeleteObjectsHandler.keys(S3Xml.read(b, DeleteRequest.class))),
            new Document("Tagging", "<Tagging" + NS + "><TagSet><Tag><Key>project</Key><Value>moose</Value></Tag>"
                    + "<Tag><Key>a b</Key><Value></Value></Tag></TagSet></Tagging>",
                    b -> TagSets.fromDocument(S3Xml.read(b, Tagging.class), TagSets.MAX_BUCKET_TAGS)),
            new Document("CORSConfiguration", "<CORSConfiguration" + NS + "><CORSRule><ID>r1</ID><AllowedOrigin>https://*.example.com"
                    + "</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedHeader>*</AllowedHeader>"
                    + "<ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule></CORSConfiguration>",
                    b -> CorsRules.fromDocument(S3Xml.read(b, CorsConfiguration.class))),
            new Document("CreateBucketConfiguration", "<CreateBucketConfiguration" + NS + "><LocationConstraint>eu-west-1"
                    + "</LocationConstraint></CreateBucketConfiguration>",
                    b -> S3Xml.read(b, CreateBucketConfiguration.class)),
            new Document("AccessControlPolicy", "<AccessControlPolicy" + NS + "><Owner><ID>AK</ID></Owner><AccessControlList>"
                    + "<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>AK</ID>"
                    + "</Grantee><Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>",
                    b -> AclHandler.checkPolicy(S3Xml.read(b, AccessControlPolicy.class), "AK")),
            new Document("LifecycleConfiguration", "<LifecycleConfiguration" + NS + "><Rule><ID>r1</ID><Filter><And><Prefix>logs/"
                    + "</Prefix><Tag><Key>t</Key><Value>v</Value></Tag><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan></And></Filter>"
                    + "<Status>Enabled</Status><Transition><Days>1</Days><StorageClass>EC_8_4</StorageClass></Transition><Expiration>"
                    + "<Date>2030-01-01T00:00:00.000Z</Date></Expiration><NoncurrentVersionExpiration><NoncurrentDays>3</NoncurrentDays>"
                    + "<NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionExpiration></Rule><Rule><Prefix>up/"
                    + "</Prefix><Status>Disabled</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation>"
                    + "</AbortIncompleteMultipartUpload></Rule></LifecycleConfiguration>",
                    b -> LifecycleRules.fromDocument(S3Xml.read(b, LifecycleConfiguration.class))));

    @Test
    void validDocumentsParse() {
        for (Document d : DOCUMENTS) {
            d.parse().accept(d.valid().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void changedDocumentsParseOrAreClientErrors() {
        Fuzz.check("xml documents", 3000, r -> {
            Document d = DOCUMENTS.get(r.nextInt(DOCUMENTS.size()));
            byte[] body = Mutations.mutate(r, d.valid().getBytes(StandardCharsets.UTF_8), DICTIONARY);
            resultOrClientError(() -> d.parse().accept(body));
        });
    }

    @Test
    void randomBytesAreClientErrors() {
        Fuzz.check("xml random", 1000, r -> {
            Document d = DOCUMENTS.get(r.nextInt(DOCUMENTS.size()));
            byte[] body = Mutations.randomBytes(r, 200);
            resultOrClientError(() -> d.parse().accept(body));
        });
    }
}
