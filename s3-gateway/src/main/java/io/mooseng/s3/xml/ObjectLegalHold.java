package io.mooseng.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** Get/PutObjectLegalHold body: Status ON or OFF. */
@JacksonXmlRootElement(localName = "LegalHold")
public final class ObjectLegalHold {
    public String status;

    public static ObjectLegalHold of(boolean on) {
        ObjectLegalHold h = new ObjectLegalHold();
        h.status = on ? "ON" : "OFF";
        return h;
    }

    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns() {
        return S3Xml.NAMESPACE;
    }
}
