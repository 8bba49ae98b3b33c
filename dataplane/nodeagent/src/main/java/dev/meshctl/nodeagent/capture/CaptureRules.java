package dev.meshctl.nodeagent.capture;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Renders the capture rules for a set of enrolled local pod IPs: {@code iptables-restore --noflush} input that
 * replaces the contents of the agent's own chains, the jumps into them, and the policy-routing commands.
 *
 * <p>Pure: no I/O. Declaring a chain in restore input flushes it, so one restore swaps a chain's rules atomically.
 */
public final class CaptureRules {

    /** The mangle chain jumped to first from PREROUTING. */
    public static final String PREROUTING_CHAIN = "MESHCTL-PREROUTING";
    /** The mangle chain that marks packets of the agent's transparent sockets and accepts them. */
    public static final String DIVERT_CHAIN = "MESHCTL-DIVERT";
    /** The nat chain that keeps marked (captured) flows away from service DNAT, so the agent sees the VIP. */
    public static final String NAT_CHAIN = "MESHCTL-NAT";
    /** The nftables table holding inbound capture after service DNAT. */
    public static final String NFT_TABLE = "meshctl";
    /** The packet mark of captured flows. */
    public static final String MARK = "0x1/0x1";
    /** The routing table delivering marked packets locally. */
    public static final int ROUTE_TABLE = 133;
    /** The priority of the {@code fwmark} rule. */
    public static final int RULE_PRIORITY = 32000;

    /** The listener ports the rules send traffic to. */
    public record Ports(int outbound, int inboundPlaintext, int hbone) {
        /** Checks every port is in 1..65535. */
        public Ports {
            for (int p : new int[] {outbound, inboundPlaintext, hbone}) {
                if (p < 1 || p > 65535) {
                    throw new IllegalArgumentException("capture port " + p + " is not in 1..65535");
                }
            }
        }

        /** Returns 15001, 15006, 15008. */
        public static Ports defaults() {
            return new Ports(15001, 15006, 15008);
        }
    }

    private CaptureRules() {
    }

    /**
     * Returns {@code nft -f} input that (re)creates table {@value #NFT_TABLE}: inbound capture of flows that service
     * DNAT sent to a local enrolled pod. Mangle PREROUTING runs before nat, so a client that addressed a VIP (an
     * unenrolled pod on this node) reaches the pod's IP only after the mangle rules ran; without this chain such a
     * flow would skip inbound authorization (and STRICT mTLS). It runs at {@code dstnat + 10}, after DNAT, and skips
     * packets already captured (marked).
     */
    public static String nftInbound(Collection<String> podIps, Ports ports) {
        Objects.requireNonNull(podIps, "podIps");
        Objects.requireNonNull(ports, "ports");
        List<String> pods = new ArrayList<>(sorted(podIps));
        StringBuilder sb = new StringBuilder();
        sb.append("table ip ").append(NFT_TABLE).append('\n');
        sb.append("delete table ip ").append(NFT_TABLE).append('\n');
        sb.append("table ip ").append(NFT_TABLE).append(" {\n");
        sb.append("  chain inbound {\n");
        sb.append("    type filter hook prerouting priority dstnat + 10; policy accept;\n");
        sb.append("    meta mark & 0x1 == 0x1 accept\n");
        if (!pods.isEmpty()) {
            String set = "{ " + String.join(", ", pods) + " }";
            sb.append("    ct status dnat ip daddr ").append(set).append(" tcp dport ").append(ports.hbone())
                .append(" tproxy to :").append(ports.hbone()).append(" meta mark set meta mark | 0x1 accept\n");
            sb.append("    ct status dnat ip daddr ").append(set).append(" meta l4proto tcp tproxy to :")
                .append(ports.inboundPlaintext()).append(" meta mark set meta mark | 0x1 accept\n");
        }
        sb.append("  }\n}\n");
        return sb.toString();
    }

    /**
     * Returns restore input declaring (and so flushing) the agent's chains and filling them for {@code podIps}.
     * Pods come out sorted so that the same set always renders the same text.
     */
    public static String chains(Collection<String> podIps, Ports ports) {
        Objects.requireNonNull(podIps, "podIps");
        Objects.requireNonNull(ports, "ports");
        List<String> lines = new ArrayList<>();
        lines.add("*mangle");
        lines.add(":" + PREROUTING_CHAIN + " - [0:0]");
        lines.add(":" + DIVERT_CHAIN + " - [0:0]");
        lines.add("-A " + DIVERT_CHAIN + " -j MARK --set-mark " + MARK);
        lines.add("-A " + DIVERT_CHAIN + " -j ACCEPT");
        // Replies to the agent's own transparent sockets (spoofed source IPs) must reach the agent, not be captured.
        lines.add("-A " + PREROUTING_CHAIN + " -p tcp -m socket --transparent -j " + DIVERT_CHAIN);
        for (String ip : sorted(podIps)) {
            // Without the LOCAL exclusion, replies to the agent on this node are dropped and a pod can loop the agent.
            // Only the original direction: a pod's *replies* (e.g. to an unenrolled client whose flow bypassed capture)
            // must never be pulled into the outbound listener.
            lines.add("-A " + PREROUTING_CHAIN + " -s " + ip + "/32 -p tcp -m conntrack --ctdir ORIGINAL"
                    + " -m addrtype ! --dst-type LOCAL -j TPROXY"
                    + " --on-ip 127.0.0.1 --on-port " + ports.outbound() + " --tproxy-mark " + MARK);
            lines.add("-A " + PREROUTING_CHAIN + " -d " + ip + "/32 -p tcp --dport 15008 -j TPROXY --on-port "
                    + ports.hbone() + " --tproxy-mark " + MARK);
            lines.add("-A " + PREROUTING_CHAIN + " -d " + ip + "/32 -p tcp -j TPROXY --on-port "
                    + ports.inboundPlaintext() + " --tproxy-mark " + MARK);
        }
        lines.add("COMMIT");
        lines.add("*nat");
        lines.add(":" + NAT_CHAIN + " - [0:0]");
        // ACCEPT, not RETURN: from a user chain RETURN would fall through to the service DNAT rules, and a captured
        // flow to a VIP must reach the agent with the VIP intact (conntrack would otherwise rewrite its later packets)
        lines.add("-A " + NAT_CHAIN + " -m mark --mark " + MARK + " -j ACCEPT");
        lines.add("COMMIT");
        return String.join("\n", lines) + "\n";
    }

    /**
     * Returns one {@code iptables-restore --noflush} transaction that replaces the agent's chains for {@code podIps}
     * and, where {@code missingJumps} says so, inserts the jump into them at the top of PREROUTING. Each table commits
     * as a whole, so an enrolled pod is captured by the old rules or the new ones, never by neither.
     *
     * @param missingJumps the tables ({@code mangle}, {@code nat}) whose PREROUTING has no jump to the agent yet
     */
    public static String transaction(Collection<String> podIps, Ports ports, Collection<String> missingJumps) {
        Objects.requireNonNull(missingJumps, "missingJumps");
        String chains = chains(podIps, ports);
        StringBuilder out = new StringBuilder();
        String table = "";
        for (String line : chains.split("\n")) {
            if (line.startsWith("*")) {
                table = line.substring(1);
            }
            if (line.equals("COMMIT") && missingJumps.contains(table)) {
                out.append("-I PREROUTING 1 -j ").append(table.equals("nat") ? NAT_CHAIN : PREROUTING_CHAIN)
                        .append('\n');
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    /** Returns the chain that PREROUTING of {@code table} ({@code mangle} or {@code nat}) jumps to. */
    public static String jumpTarget(String table) {
        return switch (table) {
            case "mangle" -> PREROUTING_CHAIN;
            case "nat" -> NAT_CHAIN;
            default -> throw new IllegalArgumentException("BUG: the agent installs no jump in table " + table);
        };
    }

    /** Returns restore input inserting the jumps into the agent's chains at the top of both PREROUTING chains. */
    public static String jumps() {
        return String.join("\n",
                "*mangle",
                "-I PREROUTING 1 -j " + PREROUTING_CHAIN,
                "COMMIT",
                "*nat",
                // First, ahead of the service DNAT chain: a captured flow to a VIP must keep the VIP.
                "-I PREROUTING 1 -j " + NAT_CHAIN,
                "COMMIT") + "\n";
    }

    /** Returns the commands adding the policy routing that delivers marked packets to local sockets. */
    public static List<List<String>> routingAdd() {
        return List.of(
                List.of("ip", "rule", "add", "fwmark", MARK, "lookup", Integer.toString(ROUTE_TABLE),
                        "priority", Integer.toString(RULE_PRIORITY)),
                List.of("ip", "route", "replace", "local", "0.0.0.0/0", "dev", "lo", "table",
                        Integer.toString(ROUTE_TABLE)));
    }

    /** Returns whether {@code ip -4 rule show} output holds the agent's {@code fwmark} rule. */
    public static boolean hasRoutingRule(String ruleShowOutput) {
        Objects.requireNonNull(ruleShowOutput, "ruleShowOutput");
        return ruleShowOutput.lines().anyMatch(l -> l.startsWith(RULE_PRIORITY + ":")
                && l.contains("fwmark " + MARK + " lookup " + ROUTE_TABLE));
    }

    /** Returns how many jumps to the agent's chain {@code iptables -S PREROUTING} output of {@code table} lists. */
    public static int countJumps(String listOutput, String table) {
        Objects.requireNonNull(listOutput, "listOutput");
        String jump = "-A PREROUTING -j " + jumpTarget(table);
        return (int) listOutput.lines().map(String::strip).filter(jump::equals).count();
    }

    /** Returns the command deleting one copy of the {@code fwmark} rule (fails once none is left). */
    public static List<String> ruleDelete() {
        return List.of("ip", "rule", "del", "fwmark", MARK, "lookup", Integer.toString(ROUTE_TABLE),
                "priority", Integer.toString(RULE_PRIORITY));
    }

    /** Returns the command emptying the agent's routing table. */
    public static List<String> routeFlush() {
        return List.of("ip", "route", "flush", "table", Integer.toString(ROUTE_TABLE));
    }

    private static TreeSet<String> sorted(Collection<String> podIps) {
        TreeSet<String> out = new TreeSet<>(CaptureRules::compareIps);
        for (String ip : podIps) {
            out.add(checkedIpv4(ip));
        }
        return out;
    }

    // Numeric order reads naturally in `iptables -S` (10.244.1.9 before 10.244.1.10).
    private static int compareIps(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < 4; i++) {
            int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Returns {@code ip} if it is a dotted IPv4 literal; anything else could inject rule text, so it is refused. */
    static String checkedIpv4(String ip) {
        Objects.requireNonNull(ip, "ip");
        if (!ip.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("pod IP '" + ip + "' is not an IPv4 address; capture covers IPv4 only");
        }
        for (String part : ip.split("\\.")) {
            if (Integer.parseInt(part) > 255) {
                throw new IllegalArgumentException("pod IP '" + ip + "' is not an IPv4 address");
            }
        }
        String[] p = ip.split("\\.");
        return Integer.parseInt(p[0]) + "." + Integer.parseInt(p[1]) + "." + Integer.parseInt(p[2]) + "."
                + Integer.parseInt(p[3]);
    }
}
