package io.mooseng.core.model;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyncRuleTest {
    @Test
    void everythingFlowsEverywhereByDefault() {
        assertTrue(SyncRule.ALL.flows("a", "b", "any/key"));
        assertFalse(SyncRule.OFF.flows("a", "b", "any/key"));
    }

    @Test
    void onlyBetweenItsZonesUnderItsPrefixes() {
        SyncRule rule = new SyncRule(true, List.of("a", "b"), "", List.of("shared/", "logs/"));
        assertTrue(rule.flows("a", "b", "shared/x"));
        assertTrue(rule.flows("b", "a", "logs/y"));
        assertFalse(rule.flows("a", "c", "shared/x"), "c is not one of its zones");
        assertFalse(rule.flows("c", "a", "shared/x"), "nor as an origin");
        assertFalse(rule.flows("a", "b", "private/x"), "outside its prefixes");
    }

    @Test
    void oneDirectionFromItsSource() {
        SyncRule rule = new SyncRule(true, List.of(), "a", List.of());
        assertTrue(rule.flows("a", "b", "k"));
        assertFalse(rule.flows("b", "a", "k"));
        assertThrows(IllegalArgumentException.class, () -> new SyncRule(true, List.of("b", "c"), "a", List.of()));
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
