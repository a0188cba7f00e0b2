package io.mooseng.s3compat;

import java.util.ArrayList;
import java.util.List;

/** Reads a {@code jcmd Thread.print} dump down to what a one-line failure message can carry. */
final class ThreadDumps {
    private static final int FRAMES = 4;

    private ThreadDumps() {
    }

    /** Ratis's threads of one member that decide its role and move its log. */
    private static final List<String> RAFT_THREADS = List.of("FollowerState", "LeaderElection", "StateMachineUpdater", "RaftLogWorker");

    /**
     * The Raft RPC event loops, Ratis's role and log threads and every BLOCKED thread: name,
     * state and top frames, with the lock a thread waits for, separated by " | ".
     */
    static String summary(String dump) {
        List<String> picked = new ArrayList<>();
        for (String block : dump.split("\\n\\s*\\n")) {
            String[] lines = block.strip().split("\\n");
            if (lines.length < 2 || !lines[0].startsWith("\"")) {
                continue;
            }
            String name = lines[0].substring(1, lines[0].indexOf('"', 1));
            String state = lines[1].strip().replace("java.lang.Thread.State: ", "");
            if (!name.startsWith("mooseng-raft-rpc") && !state.startsWith("BLOCKED") && RAFT_THREADS.stream().noneMatch(name::contains)) {
                continue;
            }
            StringBuilder t = new StringBuilder(name).append(' ').append(state);
            int frames = 0;
            for (int i = 2; i < lines.length && frames < FRAMES; i++) {
                String l = lines[i].strip();
                if (l.startsWith("at ")) {
                    t.append(frames++ == 0 ? " at " : " < ").append(l.substring(3));
                } else if (l.startsWith("- waiting to lock") || l.startsWith("- parking to wait for")) {
                    t.append(" [").append(l.substring(2)).append(']');
                }
            }
            picked.add(t.toString());
        }
        return picked.isEmpty() ? "no Raft RPC or blocked threads in its dump" : String.join(" | ", picked);
    }
}
