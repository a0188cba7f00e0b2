package io.mooseng.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** Get/PutBucketVersioning body; a bucket never versioned answers it empty. */
@JacksonXmlRootElement(localName = "VersioningConfiguration")
public final class VersioningConfiguration {
    public String status;
    public String mfaDelete;

    public static VersioningConfiguration of(String status) {
        VersioningConfiguration c = new VersioningConfiguration();
        c.status = status;
        return c;
    }

    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns() {
        return S3Xml.NAMESPACE;
    }
}
