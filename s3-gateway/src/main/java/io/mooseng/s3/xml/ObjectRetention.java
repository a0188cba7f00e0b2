package io.mooseng.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** Get/PutObjectRetention body: a mode and the date the retention lasts until (both absent to remove it). */
@JacksonXmlRootElement(localName = "Retention")
public final class ObjectRetention {
    public String mode;
    public String retainUntilDate;

    public static ObjectRetention of(String mode, String retainUntilDate) {
        ObjectRetention r = new ObjectRetention();
        r.mode = mode;
        r.retainUntilDate = retainUntilDate;
        return r;
    }

    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns() {
        return S3Xml.NAMESPACE;
    }
}
