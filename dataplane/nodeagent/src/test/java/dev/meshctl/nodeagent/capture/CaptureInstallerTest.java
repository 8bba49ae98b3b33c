package dev.meshctl.nodeagent.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CaptureInstallerTest {

    /** A node namespace in miniature: counts jumps, chains, rules and routes the commands create and delete. */
    private static class FakeNamespace implements CommandRunner {
        final Map<String, Integer> present = new HashMap<>();
        final List<String> commands = new ArrayList<>();

        @Override
        public Result run(List<String> command, String stdin) {
            String line = String.join(" ", command);
            commands.add(line);
            if (line.startsWith("sysctl")) {
                return new Result(0, "net.ipv4.tcp_migrate_req = 1");
            }
            if (line.equals("ip -4 rule show")) {
                return new Result(0, "0:\tfrom all lookup local\n" + (present.containsKey("rule")
                        ? "32000:\tfrom all fwmark 0x1/0x1 lookup 133\n" : "") + "32766:\tfrom all lookup main");
            }
            if (line.contains(" -S PREROUTING")) {
                String target = line.contains(" mangle ") ? "MESHCTL-PREROUTING" : "MESHCTL-NAT";
                return new Result(0, "-P PREROUTING ACCEPT\n"
                        + "-A PREROUTING -j MESHCTL-X\n".replace("MESHCTL-X", target)
                        .repeat(present.getOrDefault("jump " + target, 0)));
            }
            if (line.startsWith("nft -f")) {
                present.put("nft table", 1);
                return new Result(0, "");
            }
            if (line.startsWith("nft delete table")) {
                return new Result(present.remove("nft table") != null ? 0 : 1, "");
            }
            if (line.startsWith("iptables-restore")) {
                for (String l : stdin.lines().toList()) {
                    if (l.startsWith(":")) {
                        present.put("chain " + l.substring(1, l.indexOf(' ')), 1);
                    } else if (l.startsWith("-I PREROUTING")) {
                        present.merge("jump " + l.substring(l.lastIndexOf(' ') + 1), 1, Integer::sum);
                    }
                }
                return new Result(0, "");
            }
            String key = line.contains(" -D PREROUTING ") ? "jump " + command.get(command.size() - 1)
                    : line.contains(" -X ") || line.contains(" -F ") ? "chain " + command.get(command.size() - 1)
                    : line.startsWith("ip rule") ? "rule" : line.startsWith("ip route") ? "route" : line;
            if (line.contains(" add ") || line.contains(" replace ")) {
                present.merge(key, 1, Integer::sum);
                return new Result(0, "");
            }
            if (line.contains("route flush")) {
                return new Result(present.remove(key) != null ? 0 : 1, "");
            }
            if (line.contains(" -F ")) {
                return new Result(present.containsKey(key) ? 0 : 1, "");
            }
            Integer n = present.get(key);
            if (n == null) {
                return new Result(1, "No such file or directory");
            }
            if (n == 1) {
                present.remove(key);
            } else {
                present.put(key, n - 1);
            }
            return new Result(0, "");
        }
    }

    @Test
    void firstApplyInstallsRoutingChainsAndJumpsThenOnlySwapsChains() throws Exception {
        FakeNamespace ns = new FakeNamespace();
        CaptureInstaller installer = new CaptureInstaller(ns, CaptureRules.Ports.defaults());
        installer.apply(Set.of("10.244.1.5"));
        assertThat(ns.present).containsEntry("jump MESHCTL-PREROUTING", 1).containsEntry("jump MESHCTL-NAT", 1)
                .containsKeys("chain MESHCTL-DIVERT", "chain MESHCTL-NAT", "rule", "route");

        ns.commands.clear();
        installer.apply(Set.of("10.244.1.5", "10.244.1.6"));
        assertThat(ns.commands).containsExactly("iptables-restore --noflush", "nft -f -");
        assertThat(ns.present).containsEntry("jump MESHCTL-PREROUTING", 1);

        ns.commands.clear();
        installer.apply(List.of("10.244.1.6", "10.244.1.5"));
        assertThat(ns.commands).as("unchanged pods change nothing").isEmpty();
        assertThat(installer.captured()).containsExactlyInAnyOrder("10.244.1.5", "10.244.1.6");
    }

    @Test
    void successorTakesOverInstalledRulesWithoutRemovingAnythingFirst() throws Exception {
        FakeNamespace ns = new FakeNamespace();
        new CaptureInstaller(ns, CaptureRules.Ports.defaults()).apply(Set.of("10.244.1.5"));
        ns.commands.clear();

        new CaptureInstaller(ns, CaptureRules.Ports.defaults()).apply(Set.of("10.244.1.5", "10.244.1.7"));

        assertThat(ns.commands).as("nothing is deleted or flushed, so no packet escapes capture").noneMatch(c ->
                c.contains(" -D ") || c.contains(" -F ") || c.contains(" -X ") || c.contains(" del ")
                        || c.contains("route flush") || c.startsWith("nft delete"));
        assertThat(ns.commands).containsExactly("sysctl -w net.ipv4.tcp_migrate_req=1", "ip -4 rule show",
                "ip route replace local 0.0.0.0/0 dev lo table 133", "iptables -w -t mangle -S PREROUTING",
                "iptables -w -t nat -S PREROUTING", "iptables-restore --noflush", "nft -f -");
        assertThat(ns.present).containsEntry("jump MESHCTL-PREROUTING", 1).containsEntry("jump MESHCTL-NAT", 1)
                .containsEntry("rule", 1);
    }

    @Test
    void firstInstallAddsJumpsInsideTheSameTransactionAsTheChains() throws Exception {
        List<String> inputs = new ArrayList<>();
        FakeNamespace ns = new FakeNamespace() {
            @Override
            public Result run(List<String> command, String stdin) {
                if (command.get(0).equals("iptables-restore")) {
                    inputs.add(stdin);
                }
                return super.run(command, stdin);
            }
        };
        new CaptureInstaller(ns, CaptureRules.Ports.defaults()).apply(Set.of("10.244.1.5"));
        assertThat(inputs).singleElement().satisfies(in -> {
            String mangle = in.substring(0, in.indexOf("*nat"));
            assertThat(mangle).contains(":MESHCTL-PREROUTING - [0:0]", "-I PREROUTING 1 -j MESHCTL-PREROUTING");
            assertThat(mangle.indexOf("-I PREROUTING")).isLessThan(mangle.indexOf("COMMIT"));
            assertThat(in.substring(in.indexOf("*nat"))).contains("-I PREROUTING 1 -j MESHCTL-NAT");
        });
    }

    @Test
    void takeOverAfterACrashKeepsOneJumpOfEach() throws Exception {
        FakeNamespace ns = new FakeNamespace();
        new CaptureInstaller(ns, CaptureRules.Ports.defaults()).apply(Set.of("10.244.1.5"));
        ns.present.put("jump MESHCTL-PREROUTING", 3);

        new CaptureInstaller(ns, CaptureRules.Ports.defaults()).apply(Set.of("10.244.1.5"));

        assertThat(ns.present).containsEntry("jump MESHCTL-PREROUTING", 1).containsEntry("jump MESHCTL-NAT", 1);
    }

    @Test
    void releasedInstallerLeavesTheRulesForItsSuccessor() throws Exception {
        FakeNamespace ns = new FakeNamespace();
        CaptureInstaller installer = new CaptureInstaller(ns, CaptureRules.Ports.defaults());
        installer.apply(Set.of("10.244.1.5"));
        ns.commands.clear();
        installer.release();
        assertThat(ns.commands).isEmpty();
        assertThat(installer.captured()).isEmpty();
        assertThat(ns.present).containsKeys("jump MESHCTL-PREROUTING", "rule", "route", "nft table");
    }

    @Test
    void removeAllClearsEverythingIncludingACrashedRunsDuplicatesAndIsIdempotent() throws Exception {
        FakeNamespace ns = new FakeNamespace();
        new CaptureInstaller(ns, CaptureRules.Ports.defaults()).apply(Set.of("10.244.1.5"));
        ns.present.put("jump MESHCTL-PREROUTING", 2); // a crashed agent's leftover jump
        ns.present.put("rule", 2);

        assertThat(CaptureInstaller.removeAll(ns)).isNotEmpty();
        assertThat(ns.present).isEmpty();
        assertThat(CaptureInstaller.removeAll(ns)).as("second run removes nothing").isEmpty();
        assertThat(ns.present).isEmpty();
    }

    @Test
    void restartAfterCrashDoesNotDuplicateJumps() throws Exception {
        FakeNamespace ns = new FakeNamespace();
        new CaptureInstaller(ns, CaptureRules.Ports.defaults()).apply(Set.of("10.244.1.5"));
        CaptureInstaller restarted = new CaptureInstaller(ns, CaptureRules.Ports.defaults());
        restarted.apply(Set.of("10.244.1.5"));
        assertThat(ns.present).containsEntry("jump MESHCTL-PREROUTING", 1).containsEntry("rule", 1);
        restarted.close();
        assertThat(ns.present).isEmpty();
    }

    @Test
    void failedCommandNamesItselfAndItsOutput() {
        CommandRunner failing = (command, stdin) -> command.get(0).equals("iptables-restore")
                ? new CommandRunner.Result(2, "line 7: TPROXY: No chain/target/match by that name")
                : new CommandRunner.Result(command.contains("add") || command.contains("replace")
                        || command.contains("show") ? 0 : 1, "");
        CaptureInstaller installer = new CaptureInstaller(failing, CaptureRules.Ports.defaults());
        assertThatThrownBy(() -> installer.apply(Set.of("10.244.1.5")))
                .isInstanceOf(CaptureException.class)
                .hasMessageContaining("iptables-restore --noflush failed with exit code 2")
                .hasMessageContaining("No chain/target/match");
    }

    @Test
    void missingToolIsReportedWithWhatIsNeeded() {
        CommandRunner missing = (command, stdin) -> {
            throw new java.io.IOException("Cannot run program \"ip\"");
        };
        assertThat(CaptureInstaller.removeAll(missing)).isEmpty();
        assertThatThrownBy(() -> new CaptureInstaller(missing, CaptureRules.Ports.defaults()).apply(Set.of()))
                .isInstanceOf(CaptureException.class).hasMessageContaining("iproute2");
    }
}
