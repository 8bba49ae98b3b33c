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
    private static final class FakeNamespace implements CommandRunner {
        final Map<String, Integer> present = new HashMap<>();
        final List<String> commands = new ArrayList<>();

        @Override
        public Result run(List<String> command, String stdin) {
            String line = String.join(" ", command);
            commands.add(line);
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
                : new CommandRunner.Result(command.contains("add") || command.contains("replace") ? 0 : 1, "");
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
