package io.mooseng.core.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates a policy document: IAM's grammar (Version, Id, Statement as one object or
 * an array; Sid, Effect, Principal/NotPrincipal, Action/NotAction, Resource/NotResource,
 * Condition), refusing what IAM refuses with a message naming the problem.
 */
final class PolicyParser {
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final String CURRENT_VERSION = "2012-10-17";
    private static final Set<String> VERSIONS = Set.of(CURRENT_VERSION, "2008-10-17");
    private static final Set<String> TOP_FIELDS = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_FIELDS = Set.of("Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
            "Resource", "NotResource", "Condition");
    private static final Pattern ACTION = Pattern.compile("\\*|[A-Za-z0-9-]+:[A-Za-z0-9*?-]+");

    /** The bucket a bucket policy is for; null for an identity policy. */
    private final String bucket;

    PolicyParser(String bucket) {
        this.bucket = bucket;
    }

    PolicyDocument parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw malformed("Policies must be valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw malformed("Policies must be valid JSON and the first byte must be '{'");
        }
        unknownFields(root, TOP_FIELDS);
        JsonNode version = root.get("Version");
        if (version != null && !(version.isTextual() && VERSIONS.contains(version.asText()))) {
            throw malformed("The policy must contain a valid version string (2012-10-17 or 2008-10-17)");
        }
        JsonNode statements = root.get("Statement");
        if (statements == null) {
            throw malformed("Missing required field Statement");
        }
        if (!statements.isObject() && (!statements.isArray() || statements.isEmpty())) {
            throw malformed("Statement must be an object or a non-empty array of objects");
        }
        Iterable<JsonNode> nodes = statements.isObject() ? List.of(statements) : statements;
        // policy variables came with 2012-10-17; before, ${...} was plain text
        boolean variables = version != null && version.asText().equals(CURRENT_VERSION);
        List<Statement> parsed = new ArrayList<>();
        Set<String> sids = new HashSet<>();
        for (JsonNode s : nodes) {
            Statement statement = statement(s, variables);
            if (statement.sid() != null && !sids.add(statement.sid())) {
                throw malformed("Statement IDs (SID) in a single policy must be unique: " + statement.sid());
            }
            parsed.add(statement);
        }
        return new PolicyDocument(parsed, variables);
    }

    private Statement statement(JsonNode s, boolean variables) {
        if (!s.isObject()) {
            throw malformed("Each Statement must be an object");
        }
        unknownFields(s, STATEMENT_FIELDS);
        JsonNode sid = s.get("Sid");
        if (sid != null && !sid.isTextual()) {
            throw malformed("Sid must be a string");
        }
        JsonNode effect = s.get("Effect");
        if (effect == null) {
            throw malformed("Missing required field Effect");
        }
        if (!effect.isTextual() || !(effect.asText().equals("Allow") || effect.asText().equals("Deny"))) {
            throw malformed("Invalid effect: " + effect + " (Allow or Deny)");
        }
        Principals principals = principals(s);
        boolean notAction = s.has("NotAction");
        List<String> actions = strings(either(s, "Action", "NotAction"), notAction ? "NotAction" : "Action");
        for (String a : actions) {
            if (!ACTION.matcher(a).matches() || (bucket != null && !a.equals("*") && !a.regionMatches(true, 0, "s3:", 0, 3))) {
                throw malformed("Policy has invalid action: " + a);
            }
        }
        boolean notResource = s.has("NotResource");
        List<String> resources = strings(either(s, "Resource", "NotResource"), notResource ? "NotResource" : "Resource");
        for (String r : resources) {
            checkResource(r, variables);
        }
        return new Statement(sid == null ? null : sid.asText(), effect.asText().equals("Allow"), principals, actions, notAction,
                resources, notResource, conditions(s.get("Condition"), variables));
    }

    private Principals principals(JsonNode s) {
        JsonNode principal = s.get("Principal");
        JsonNode notPrincipal = s.get("NotPrincipal");
        if (bucket == null) {
            if (principal != null || notPrincipal != null) {
                throw malformed("Policy document should not specify a principal (an identity policy is about its user)");
            }
            return null;
        }
        if (principal != null && notPrincipal != null) {
            throw malformed("A statement cannot have both Principal and NotPrincipal");
        }
        if (principal == null && notPrincipal == null) {
            throw malformed("Missing required field Principal");
        }
        JsonNode node = principal != null ? principal : notPrincipal;
        List<String> names;
        if (node.isTextual() && node.asText().equals("*")) {
            names = List.of("*");
        } else if (node.isObject() && node.size() == 1 && node.has("AWS")) {
            names = strings(node.get("AWS"), "Principal AWS");
        } else {
            throw malformed("Invalid principal in policy: " + node + " (\"*\" or {\"AWS\": names})");
        }
        try {
            return Principals.of(names, notPrincipal != null);
        } catch (IllegalArgumentException e) {
            throw malformed(e.getMessage());
        }
    }

    /** The one of two exclusive fields the statement has. */
    private static JsonNode either(JsonNode s, String field, String negated) {
        if (s.has(field) && s.has(negated)) {
            throw malformed("A statement cannot have both " + field + " and " + negated);
        }
        JsonNode node = s.has(field) ? s.get(field) : s.get(negated);
        if (node == null) {
            throw malformed("Missing required field " + field);
        }
        return node;
    }

    private void checkResource(String r, boolean variables) {
        if (variables) {
            try {
                PolicyVariables.validate(r);
            } catch (IllegalArgumentException e) {
                throw malformed(e.getMessage());
            }
        }
        if (r.equals("*")) {
            return;
        }
        if (bucket == null) {
            if (!r.startsWith("arn:") || r.split(":", -1).length < 6) {
                throw malformed("Policy has invalid resource: " + r + " (an ARN such as arn:aws:s3:::bucket/key, or *)");
            }
            return;
        }
        String path = r.startsWith(AccessRequest.S3_ARN_PREFIX) ? r.substring(AccessRequest.S3_ARN_PREFIX.length()) : null;
        int slash = path == null ? -1 : path.indexOf('/');
        if (path == null || !Wildcard.matches(slash < 0 ? path : path.substring(0, slash), bucket, false)) {
            throw malformed("Policy has invalid resource: " + r + " (arn:aws:s3:::" + bucket + " or arn:aws:s3:::" + bucket + "/KEY-PATTERN)");
        }
    }

    private static List<Condition> conditions(JsonNode block, boolean variables) {
        if (block == null) {
            return List.of();
        }
        if (!block.isObject()) {
            throw malformed("Condition must be an object of operators");
        }
        List<Condition> conditions = new ArrayList<>();
        for (Map.Entry<String, JsonNode> op : block.properties()) {
            if (!op.getValue().isObject() || op.getValue().isEmpty()) {
                throw malformed("Condition " + op.getKey() + " must be an object of keys and values");
            }
            for (Map.Entry<String, JsonNode> key : op.getValue().properties()) {
                try {
                    conditions.add(Condition.parse(op.getKey(), key.getKey(), strings(key.getValue(), op.getKey() + " " + key.getKey()), variables));
                } catch (IllegalArgumentException e) {
                    throw malformed(e.getMessage());
                }
            }
        }
        return conditions;
    }

    /** A string, number or boolean, or a non-empty array of them, as strings. */
    private static List<String> strings(JsonNode node, String field) {
        List<String> values = new ArrayList<>();
        Iterator<JsonNode> items = node.isArray() ? node.iterator() : List.of(node).iterator();
        while (items.hasNext()) {
            JsonNode v = items.next();
            if (!v.isValueNode() || v.isNull()) {
                throw malformed(field + " must be a string or an array of strings");
            }
            values.add(v.asText());
        }
        if (values.isEmpty()) {
            throw malformed(field + " must not be empty");
        }
        return values;
    }

    private static void unknownFields(JsonNode node, Set<String> known) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw malformed("Unknown field " + name);
            }
        }
    }

    private static MooseException malformed(String why) {
        return new MooseException(ErrorCode.MALFORMED_POLICY, why);
    }
}
