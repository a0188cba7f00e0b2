package io.mooseng.s3.handler;

import io.mooseng.core.model.CorsRule;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import io.mooseng.s3.xml.CorsConfiguration;
import io.mooseng.s3.xml.S3Xml;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CorsRulesTest {
    private static final String CONFIG = """
            <CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <CORSRule>
                <ID>web</ID>
                <AllowedOrigin>https://*.example.com</AllowedOrigin>
                <AllowedOrigin>http://localhost:8080</AllowedOrigin>
                <AllowedMethod>GET</AllowedMethod>
                <AllowedMethod>PUT</AllowedMethod>
                <AllowedHeader>x-amz-*</AllowedHeader>
                <AllowedHeader>Content-Type</AllowedHeader>
                <ExposeHeader>ETag</ExposeHeader>
                <MaxAgeSeconds>600</MaxAgeSeconds>
              </CORSRule>
              <CORSRule>
                <AllowedOrigin>*</AllowedOrigin>
                <AllowedMethod>HEAD</AllowedMethod>
              </CORSRule>
            </CORSConfiguration>""";

    private static List<CorsRule> parse(String xml) {
        return CorsRules.fromDocument(S3Xml.read(xml.getBytes(StandardCharsets.UTF_8), CorsConfiguration.class));
    }

    private static S3Error refused(String xml) {
        return assertThrows(S3Exception.class, () -> parse(xml)).error();
    }

    @Test
    void documentsRoundTrip() {
        List<CorsRule> rules = parse(CONFIG);
        assertEquals(new CorsRule("web", List.of("https://*.example.com", "http://localhost:8080"), List.of("GET", "PUT"),
                List.of("x-amz-*", "Content-Type"), List.of("ETag"), 600), rules.get(0));
        assertEquals(new CorsRule(null, List.of("*"), List.of("HEAD"), List.of(), List.of(), -1), rules.get(1));
        assertEquals(rules, CorsRules.fromDocument(S3Xml.read(S3Xml.write(CorsRules.toDocument(rules)), CorsConfiguration.class)));
    }

    @Test
    void theFirstRuleAllowingOriginMethodAndEveryHeaderAnswers() {
        List<CorsRule> rules = parse(CONFIG);
        assertEquals("web", CorsRules.match(rules, "https://app.example.com", "PUT", List.of("X-Amz-Date", "content-type")).orElseThrow().id());
        assertEquals(Optional.empty(), CorsRules.match(rules, "https://app.example.com", "PUT", List.of("authorization")));
        assertEquals(Optional.empty(), CorsRules.match(rules, "https://example.com", "GET", List.of()), "the wildcard needs its dot");
        assertEquals(Optional.empty(), CorsRules.match(rules, "http://localhost:8080", "DELETE", List.of()));
        assertNull(CorsRules.match(rules, "http://anywhere", "HEAD", List.of()).orElseThrow().id());
    }

    @Test
    void answersNameTheOriginAndAllowCredentialsUnlessAnyOriginIsAllowed() {
        List<CorsRule> rules = parse(CONFIG);
        MultiMap web = CorsRules.headers(rules.get(0), "https://app.example.com");
        assertEquals("https://app.example.com", web.get("Access-Control-Allow-Origin"));
        assertEquals("true", web.get("Access-Control-Allow-Credentials"));
        assertEquals("GET, PUT", web.get("Access-Control-Allow-Methods"));
        assertEquals("ETag", web.get("Access-Control-Expose-Headers"));
        assertEquals("600", web.get("Access-Control-Max-Age"));
        assertTrue(web.get("Vary").startsWith("Origin"));
        MultiMap any = CorsRules.headers(rules.get(1), "http://anywhere");
        assertEquals("*", any.get("Access-Control-Allow-Origin"));
        assertFalse(any.contains("Access-Control-Allow-Credentials"));
        assertFalse(any.contains("Access-Control-Max-Age"));
    }

    @Test
    void sLimitsAreEnforced() {
        assertEquals(S3Error.MALFORMED_XML, refused("<CORSConfiguration/>"));
        assertEquals(S3Error.MALFORMED_XML, refused("<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>"));
        assertEquals(S3Error.MALFORMED_XML, refused("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>"));
        assertEquals(S3Error.INVALID_REQUEST, refused(
                "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod></CORSRule></CORSConfiguration>"));
        assertEquals(S3Error.INVALID_REQUEST, refused(
                "<CORSConfiguration><CORSRule><AllowedOrigin>http://*.*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>"));
        assertEquals(S3Error.INVALID_REQUEST, refused("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>"
                + "<AllowedHeader>x-*-*</AllowedHeader></CORSRule></CORSConfiguration>"));
        String rule = "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>";
        assertEquals(100, parse("<CORSConfiguration>" + rule.repeat(100) + "</CORSConfiguration>").size());
        assertEquals(S3Error.INVALID_REQUEST, refused("<CORSConfiguration>" + rule.repeat(101) + "</CORSConfiguration>"));
    }

    @Test
    void wildcards() {
        assertTrue(CorsRules.wildcard("*", "anything"));
        assertTrue(CorsRules.wildcard("http://*.example.com", "http://a.b.example.com"));
        assertFalse(CorsRules.wildcard("http://*.example.com", "http://example.com"));
        assertTrue(CorsRules.wildcard("x-amz-*", "x-amz-"));
        assertFalse(CorsRules.wildcard("ab*ba", "aba"));
    }
}
