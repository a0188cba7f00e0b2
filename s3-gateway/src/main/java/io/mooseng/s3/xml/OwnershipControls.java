package io.mooseng.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

import java.util.List;

/** Get/PutBucketOwnershipControls body: one rule naming the bucket's object ownership (a class: Jackson fills its lists). */
@JacksonXmlRootElement(localName = "OwnershipControls")
public final class OwnershipControls {
    @JacksonXmlProperty(localName = "Rule")
    public List<Rule> rules;

    public static final class Rule {
        public String objectOwnership;
    }

    public static OwnershipControls of(String ownership) {
        Rule r = new Rule();
        r.objectOwnership = ownership;
        OwnershipControls c = new OwnershipControls();
        c.rules = List.of(r);
        return c;
    }

    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns() {
        return S3Xml.NAMESPACE;
    }
}
