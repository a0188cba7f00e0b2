package io.mooseng.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

import java.util.List;

/** Get/PutBucketCors body (a class, not a record: Jackson cannot read repeated elements into a record). */
@JacksonXmlRootElement(localName = "CORSConfiguration")
public final class CorsConfiguration {
    @JacksonXmlProperty(localName = "CORSRule")
    public List<Rule> rules;

    public static final class Rule {
        @JacksonXmlProperty(localName = "ID")
        public String id;
        public List<String> allowedHeader;
        public List<String> allowedMethod;
        public List<String> allowedOrigin;
        public List<String> exposeHeader;
        public Integer maxAgeSeconds;
    }

    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns() {
        return S3Xml.NAMESPACE;
    }
}
