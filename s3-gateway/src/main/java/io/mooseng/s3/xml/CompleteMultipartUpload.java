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
        @JacksonXmlProperty(localName = "ChecksumCRC32")
        public String checksumCrc32;
        @JacksonXmlProperty(localName = "ChecksumCRC32C")
        public String checksumCrc32c;
        @JacksonXmlProperty(localName = "ChecksumCRC64NVME")
        public String checksumCrc64nvme;
        @JacksonXmlProperty(localName = "ChecksumSHA1")
        public String checksumSha1;
        @JacksonXmlProperty(localName = "ChecksumSHA256")
        public String checksumSha256;
    }
}
