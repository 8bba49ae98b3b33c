package dev.meshctl.nodeagent.capture;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link CaptureRules} in the node's network namespace and removes them again, by name, also after a crash.
 *
 * <p>Installing never removes first: a successor agent takes over the rules its predecessor installed, so the first
 * {@link #apply} adds only what is missing (routing, jumps) and swaps the chains' contents in one atomic
 * {@code iptables-restore --noflush} transaction per table; nftables input is one transaction too. There is no moment
 * in which an enrolled pod's traffic escapes capture. Nothing here touches a pod.
 */
public final class CaptureInstaller implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CaptureInstaller.class);
    // Enough to clear duplicates a crashed older agent may have left, without looping forever on a broken tool.
    private static final int MAX_DUPLICATES = 16;
    /**
     * Lets a listener that closes hand the connections still in its accept queue to another listener of the same
     * SO_REUSEPORT group (Linux 5.14+), so an agent handing off to its successor drops no handshake in flight.
     */
    static final List<String> MIGRATE_REQUESTS = List.of("sysctl", "-w", "net.ipv4.tcp_migrate_req=1");

    private final CommandRunner runner;
    private final CaptureRules.Ports ports;
    private Set<String> applied;
    private boolean installed;

    /** Creates an installer running commands through {@code runner}, capturing to {@code ports}. */
    public CaptureInstaller(CommandRunner runner, CaptureRules.Ports ports) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.ports = Objects.requireNonNull(ports, "ports");
    }

    /** Captures exactly {@code podIps} (the enrolled pods of this node); does nothing if they did not change. */
    public synchronized void apply(Collection<String> podIps) throws CaptureException {
        Objects.requireNonNull(podIps, "podIps");
        Set<String> wanted = Set.copyOf(podIps);
        if (installed && wanted.equals(applied)) {
            return;
        }
        if (!installed) {
            if (!once(runner, MIGRATE_REQUESTS, new ArrayList<>())) {
                log.warn("cannot enable net.ipv4.tcp_migrate_req: a hand-off to a successor agent may reset"
                        + " connections still in the old agent's accept queue (needs Linux 5.14+)");
            }
            if (!CaptureRules.hasRoutingRule(require(List.of("ip", "-4", "rule", "show"), ""))) {
                require(CaptureRules.routingAdd().get(0), "");
            }
            require(CaptureRules.routingAdd().get(1), "");
            Map<String, Integer> jumps = new LinkedHashMap<>();
            for (String table : List.of("mangle", "nat")) {
                jumps.put(table, CaptureRules.countJumps(listPrerouting(table), table));
            }
            List<String> missing = jumps.entrySet().stream().filter(e -> e.getValue() == 0).map(Map.Entry::getKey)
                    .toList();
            require(List.of("iptables-restore", "--noflush"), CaptureRules.transaction(wanted, ports, missing));
            // A crashed older agent may have left extra jumps; one stays, so deleting the rest changes nothing.
            jumps.forEach((table, count) -> {
                for (int i = 1; i < count; i++) {
                    once(runner, List.of("iptables", "-w", "-t", table, "-D", "PREROUTING", "-j",
                            CaptureRules.jumpTarget(table)), new ArrayList<>());
                }
            });
            installed = true;
        } else {
            require(List.of("iptables-restore", "--noflush"), CaptureRules.chains(wanted, ports));
        }
        require(List.of("nft", "-f", "-"), CaptureRules.nftInbound(wanted, ports));
        applied = wanted;
        log.info("capturing TCP of {} enrolled pod(s): {}", wanted.size(), new java.util.TreeSet<>(wanted));
    }

    private String listPrerouting(String table) {
        try {
            CommandRunner.Result r = runner.run(List.of("iptables", "-w", "-t", table, "-S", "PREROUTING"), "");
            return r.ok() ? r.output() : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Returns the pod IPs currently captured. */
    public synchronized Set<String> captured() {
        return applied == null ? Set.of() : applied;
    }

    /**
     * Forgets the rules without removing them: the agent handed them to its successor, which owns them from now on.
     */
    public synchronized void release() {
        installed = false;
        applied = null;
    }

    /** Removes every rule, chain and route this agent installs. */
    @Override
    public synchronized void close() {
        removeAll(runner);
        installed = false;
        applied = null;
    }

    /**
     * Removes the agent's jumps, chains, {@code fwmark} rule and routing table, whoever installed them; idempotent,
     * so it is safe after a crash and when nothing is installed. Returns the commands that removed something.
     */
    public static List<List<String>> removeAll(CommandRunner runner) {
        Objects.requireNonNull(runner, "runner");
        List<List<String>> removed = new ArrayList<>();
        repeat(runner, List.of("iptables", "-w", "-t", "mangle", "-D", "PREROUTING", "-j",
                CaptureRules.PREROUTING_CHAIN), removed);
        repeat(runner, List.of("iptables", "-w", "-t", "nat", "-D", "PREROUTING", "-j", CaptureRules.NAT_CHAIN),
                removed);
        // Flush both mangle chains before deleting either: PREROUTING's chain refers to DIVERT.
        for (String[] chain : new String[][] {{"mangle", CaptureRules.PREROUTING_CHAIN},
                {"mangle", CaptureRules.DIVERT_CHAIN}, {"nat", CaptureRules.NAT_CHAIN}}) {
            once(runner, List.of("iptables", "-w", "-t", chain[0], "-F", chain[1]), removed);
        }
        for (String[] chain : new String[][] {{"mangle", CaptureRules.PREROUTING_CHAIN},
                {"mangle", CaptureRules.DIVERT_CHAIN}, {"nat", CaptureRules.NAT_CHAIN}}) {
            once(runner, List.of("iptables", "-w", "-t", chain[0], "-X", chain[1]), removed);
        }
        once(runner, List.of("nft", "delete", "table", "ip", CaptureRules.NFT_TABLE), removed);
        repeat(runner, CaptureRules.ruleDelete(), removed);
        once(runner, CaptureRules.routeFlush(), removed);
        return removed;
    }

    /** Runs {@code command} and returns its output; throws naming the command unless it exits with 0. */
    private String require(List<String> command, String stdin) throws CaptureException {
        CommandRunner.Result result;
        try {
            result = runner.run(command, stdin);
        } catch (IOException e) {
            throw new CaptureException("cannot run " + String.join(" ", command) + ": " + e.getMessage()
                    + "; the node agent needs iptables, iproute2 and CAP_NET_ADMIN in the node's namespace", e);
        }
        if (!result.ok()) {
            throw new CaptureException(String.join(" ", command) + " failed with exit code " + result.exitCode()
                    + ": " + result.output() + (stdin.isEmpty() ? "" : "\ninput was:\n" + stdin)
                    + "; check that the kernel has the TPROXY, socket and addrtype netfilter modules");
        }
        return result.output();
    }

    private static boolean once(CommandRunner runner, List<String> command, List<List<String>> removed) {
        try {
            if (runner.run(command, "").ok()) {
                removed.add(command);
                return true;
            }
        } catch (IOException e) {
            log.warn("cannot run {} while removing capture rules: {}", String.join(" ", command), e.getMessage());
        }
        return false;
    }

    private static void repeat(CommandRunner runner, List<String> command, List<List<String>> removed) {
        for (int i = 0; i < MAX_DUPLICATES && once(runner, command, removed); i++) {
            // Each success removed one copy; stop at the first failure (none left).
        }
    }
}
