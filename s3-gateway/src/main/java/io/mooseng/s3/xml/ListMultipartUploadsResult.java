package io.mooseng.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

import java.util.List;

/** ListMultipartUploads response. */
@JacksonXmlRootElement(localName = "ListMultipartUploadsResult")
public record ListMultipartUploadsResult(String bucket, String keyMarker, String uploadIdMarker, String nextKeyMarker,
                                         String nextUploadIdMarker, String prefix, String delimiter, int maxUploads,
                                         String encodingType, boolean isTruncated,
                                         @JacksonXmlProperty(localName = "Upload") List<Upload> uploads,
                                         List<CommonPrefix> commonPrefixes) {

    public record Upload(String key, String uploadId, Owner initiator, Owner owner, String storageClass, String initiated) {
    }

    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns() {
        return S3Xml.NAMESPACE;
    }
}
