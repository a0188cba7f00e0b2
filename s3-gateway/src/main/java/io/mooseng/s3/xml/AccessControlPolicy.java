package io.mooseng.s3.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

import java.util.List;

/**
 * GetBucketAcl and GetObjectAcl response, and the PutBucketAcl and PutObjectAcl request body
 * (a class, not a record: Jackson cannot read a wrapped list into a record).
 */
@JacksonXmlRootElement(localName = "AccessControlPolicy")
public final class AccessControlPolicy {
    public static final String FULL_CONTROL = "FULL_CONTROL";

    public Owner owner;
    @JacksonXmlElementWrapper(localName = "AccessControlList")
    @JacksonXmlProperty(localName = "Grant")
    public List<Grant> grants;

    public static final class Grant {
        public Grantee grantee;
        public String permission;
    }

    /**
     * A canonical user (ID), a group (URI) or an e-mail address. S3 names the kind in
     * {@code xsi:type}, written with its prefix as SDKs expect; read, a grantee is told by
     * the element it carries.
     */
    @JsonPropertyOrder({"xmlns:xsi", "xsi:type", "ID", "DisplayName", "URI", "EmailAddress"})
    public static final class Grantee {
        @JacksonXmlProperty(isAttribute = true, localName = "xmlns:xsi")
        public String xmlnsXsi;
        @JacksonXmlProperty(isAttribute = true, localName = "xsi:type")
        public String type;
        @JacksonXmlProperty(localName = "ID")
        public String id;
        public String displayName;
        @JacksonXmlProperty(localName = "URI")
        public String uri;
        public String emailAddress;
    }

    /** The only policy MooseNG keeps: the owner has FULL_CONTROL. */
    public static AccessControlPolicy ownerFullControl(Owner owner) {
        Grantee grantee = new Grantee();
        grantee.xmlnsXsi = "http://www.w3.org/2001/XMLSchema-instance";
        grantee.type = "CanonicalUser";
        grantee.id = owner.id();
        grantee.displayName = owner.displayName();
        Grant grant = new Grant();
        grant.grantee = grantee;
        grant.permission = FULL_CONTROL;
        AccessControlPolicy policy = new AccessControlPolicy();
        policy.owner = owner;
        policy.grants = List.of(grant);
        return policy;
    }

    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns() {
        return S3Xml.NAMESPACE;
    }
}
