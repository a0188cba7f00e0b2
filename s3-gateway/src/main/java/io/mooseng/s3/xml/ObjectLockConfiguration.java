package io.mooseng.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** Get/PutObjectLockConfiguration body: object lock enabled, and an optional default retention (Mode with Days or Years). */
@JacksonXmlRootElement(localName = "ObjectLockConfiguration")
public final class ObjectLockConfiguration {
    public String objectLockEnabled;
    public Rule rule;

    public static final class Rule {
        public DefaultRetention defaultRetention;
    }

    public static final class DefaultRetention {
        public String mode;
        public Integer days;
        public Integer years;
    }

    /** @param mode null for no default retention */
    public static ObjectLockConfiguration of(String mode, int days, int years) {
        ObjectLockConfiguration c = new ObjectLockConfiguration();
        c.objectLockEnabled = "Enabled";
        if (mode != null) {
            c.rule = new Rule();
            c.rule.defaultRetention = new DefaultRetention();
            c.rule.defaultRetention.mode = mode;
            c.rule.defaultRetention.days = days > 0 ? days : null;
            c.rule.defaultRetention.years = years > 0 ? years : null;
        }
        return c;
    }

    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns() {
        return S3Xml.NAMESPACE;
    }
}
