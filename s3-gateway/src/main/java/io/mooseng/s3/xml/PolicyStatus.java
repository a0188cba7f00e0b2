package io.mooseng.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** GetBucketPolicyStatus response. */
@JacksonXmlRootElement(localName = "PolicyStatus")
public record PolicyStatus(@JacksonXmlProperty(localName = "IsPublic") boolean isPublic) {

    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns() {
        return S3Xml.NAMESPACE;
    }
}
