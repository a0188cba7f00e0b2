package io.mooseng.s3.handler;

import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import io.mooseng.s3.xml.AccessControlPolicy;
import io.mooseng.s3.xml.Owner;
import io.mooseng.s3.xml.S3Xml;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AclHandlerTest {
    private static MultiMap headers(String name, String value) {
        return MultiMap.caseInsensitiveMultiMap().add(name, value);
    }

    @Test
    void cannedAclsAreTakenAndGrantsRefused() {
        for (String canned : AclHandler.CANNED) {
            AclHandler.checkHeaders(headers("x-amz-acl", canned));
        }
        AclHandler.checkHeaders(MultiMap.caseInsensitiveMultiMap());
        assertEquals(S3Error.INVALID_ARGUMENT, assertThrows(S3Exception.class,
                () -> AclHandler.checkHeaders(headers("x-amz-acl", "public"))).error());
        assertEquals(S3Error.NOT_IMPLEMENTED, assertThrows(S3Exception.class,
                () -> AclHandler.checkHeaders(headers("X-Amz-Grant-Read", "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\""))).error());
    }

    @Test
    void aPolicyMayOnlyGrantTheOwnerFullControl() {
        AclHandler.checkPolicy(AccessControlPolicy.ownerFullControl(Owner.of("AK")), "AK");
        assertEquals(S3Error.NOT_IMPLEMENTED, assertThrows(S3Exception.class,
                () -> AclHandler.checkPolicy(AccessControlPolicy.ownerFullControl(Owner.of("OTHER")), "AK")).error());
        AccessControlPolicy read = AccessControlPolicy.ownerFullControl(Owner.of("AK"));
        read.grants.getFirst().permission = "READ";
        assertEquals(S3Error.NOT_IMPLEMENTED, assertThrows(S3Exception.class, () -> AclHandler.checkPolicy(read, "AK")).error());
        AccessControlPolicy noList = S3Xml.read("<AccessControlPolicy><Owner><ID>AK</ID></Owner></AccessControlPolicy>"
                .getBytes(StandardCharsets.UTF_8), AccessControlPolicy.class);
        assertEquals(S3Error.MALFORMED_XML, assertThrows(S3Exception.class, () -> AclHandler.checkPolicy(noList, "AK")).error());
    }
}
