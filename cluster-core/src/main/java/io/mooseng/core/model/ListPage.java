package io.mooseng.core.model;

import java.util.List;

/**
 * One page of a listing. {@code objects} and {@code commonPrefixes} are each in key order;
 * together at most maxKeys entries. {@code nextStartAfter} is the greatest entry returned
 * (key or common prefix) when {@code truncated}, else null.
 */
public record ListPage(List<ObjectSummary> objects, List<String> commonPrefixes, boolean truncated, String nextStartAfter) {
    public ListPage {
        objects = List.copyOf(objects);
        commonPrefixes = List.copyOf(commonPrefixes);
    }
}
