package io.mooseng.metadata.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * A member of the metadata Raft group: its id (e.g. {@code m1}) and raft address.
 * Written {@code id=host:port} on the command line; a bare {@code host:port} gets an id
 * derived from the address, which is also the id a client assumes for an address until a
 * peer tells it the real one.
 */
public record RaftMember(String id, String address) {
    public RaftMember {
        if (id == null || !id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("member id must be 1-64 of [A-Za-z0-9._-], got '" + id + "'");
        }
        RaftPeers.port(address);
    }

    /** A member known by address only. */
    public static RaftMember of(String address) {
        return new RaftMember(RaftPeers.peerId(address).toString(), address);
    }

    /** Parses {@code id=host:port} or {@code host:port}. */
    public static RaftMember parse(String spec) {
        String s = spec.trim();
        int eq = s.indexOf('=');
        return eq < 0 ? of(s) : new RaftMember(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
    }

    /** Parses a comma-separated list; ids must be distinct. */
    public static List<RaftMember> parseList(String csv) {
        List<RaftMember> out = new ArrayList<>();
        for (String part : csv.split(",")) {
            if (!part.isBlank()) {
                RaftMember m = parse(part);
                if (out.stream().anyMatch(o -> o.id().equals(m.id()) || o.address().equals(m.address()))) {
                    throw new IllegalArgumentException("member " + m + " is listed twice in '" + csv + "'");
                }
                out.add(m);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no member in '" + csv + "'");
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return id + "=" + address;
    }
}
