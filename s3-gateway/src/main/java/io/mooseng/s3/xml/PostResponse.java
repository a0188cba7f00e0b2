package io.mooseng.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** The answer to a browser form upload asking for {@code success_action_status} 201. */
@JacksonXmlRootElement(localName = "PostResponse")
public record PostResponse(String location, String bucket, String key, String eTag) {

    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns() {
        return S3Xml.NAMESPACE;
    }
}
