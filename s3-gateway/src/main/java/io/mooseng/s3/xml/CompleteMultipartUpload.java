package io.mooseng.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

import java.util.List;

/** CompleteMultipartUpload request body. */
@JacksonXmlRootElement(localName = "CompleteMultipartUpload")
public final class CompleteMultipartUpload {
    @JacksonXmlProperty(localName = "Part")
    public List<Part> parts;

    public static final class Part {
        public Integer partNumber;
        @JacksonXmlProperty(localName = "ETag")
        public String etag;
    }
}
