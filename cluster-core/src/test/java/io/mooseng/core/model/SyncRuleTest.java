package io.mooseng.core.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyncRuleTest {
    @Test
    void everythingFlowsEverywhereByDefault() {
        assertTrue(SyncRule.ALL.flows("a", "b", "any/key", Map.of()));
        assertFalse(SyncRule.OFF.flows("a", "b", "any/key", Map.of()));
    }

    @Test
    void onlyBetweenItsZonesUnderItsPrefixes() {
        SyncRule rule = new SyncRule(true, List.of("a", "b"), "", List.of("shared/", "logs/"));
        assertTrue(rule.flows("a", "b", "shared/x", Map.of()));
        assertTrue(rule.flows("b", "a", "logs/y", Map.of()));
        assertFalse(rule.flows("a", "c", "shared/x", Map.of()), "c is not one of its zones");
        assertFalse(rule.flows("c", "a", "shared/x", Map.of()), "nor as an origin");
        assertFalse(rule.flows("a", "b", "private/x", Map.of()), "outside its prefixes");
    }

    @Test
    void oneDirectionFromItsSource() {
        SyncRule rule = new SyncRule(true, List.of(), "a", List.of());
        assertTrue(rule.flows("a", "b", "k", Map.of()));
        assertFalse(rule.flows("b", "a", "k", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new SyncRule(true, List.of("b", "c"), "a", List.of()));
    }

    @Test
    void onlyObjectsCarryingEveryTagOfItsFilter() {
        SyncRule rule = new SyncRule(true, List.of(), "", List.of(), Map.of("team", "a", "replicate", "yes"));
        assertTrue(rule.flows("a", "b", "k", Map.of("team", "a", "replicate", "yes", "other", "x")));
        assertFalse(rule.flows("a", "b", "k", Map.of("team", "a")), "all of its tags must match");
        assertFalse(rule.flows("a", "b", "k", Map.of("team", "b", "replicate", "yes")));
        assertTrue(rule.flows("a", "b", "k", null), "a change without tags (a delete) is not judged by them");
        assertTrue(rule.widens(new SyncRule(true, List.of(), "", List.of(), Map.of("team", "a", "replicate", "no"))));
    }

    @Test
    void widensWhenEnabledAndChanged() {
        SyncRule some = new SyncRule(true, List.of("a", "b"), "", List.of());
        assertTrue(SyncRule.ALL.widens(some));
        assertTrue(some.widens(SyncRule.OFF));
        assertFalse(SyncRule.OFF.widens(SyncRule.ALL));
        assertFalse(some.widens(some));
    }
}
