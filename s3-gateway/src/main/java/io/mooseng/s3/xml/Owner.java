package io.mooseng.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;

/** The owner of a bucket or object: the access key that acts. */
public record Owner(@JacksonXmlProperty(localName = "ID") String id, String displayName) {
    public static Owner of(String accessKey) {
        return new Owner(accessKey, accessKey);
    }
}
