package io.mooseng.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

import java.util.List;

/** Get/PutBucketEncryption body: the algorithm of the bucket's default encryption (a class: Jackson fills its lists). */
@JacksonXmlRootElement(localName = "ServerSideEncryptionConfiguration")
public final class ServerSideEncryptionConfiguration {
    @JacksonXmlProperty(localName = "Rule")
    public List<Rule> rules;

    public static final class Rule {
        public ByDefault applyServerSideEncryptionByDefault;
        public Boolean bucketKeyEnabled;
    }

    public static final class ByDefault {
        @JacksonXmlProperty(localName = "SSEAlgorithm")
        public String sseAlgorithm;
        @JacksonXmlProperty(localName = "KMSMasterKeyID")
        public String kmsMasterKeyId;
    }

    public static ServerSideEncryptionConfiguration of(String algorithm) {
        ByDefault d = new ByDefault();
        d.sseAlgorithm = algorithm;
        Rule r = new Rule();
        r.applyServerSideEncryptionByDefault = d;
        r.bucketKeyEnabled = false;
        ServerSideEncryptionConfiguration c = new ServerSideEncryptionConfiguration();
        c.rules = List.of(r);
        return c;
    }

    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns() {
        return S3Xml.NAMESPACE;
    }
}
