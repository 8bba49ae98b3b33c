package dev.meshctl.nodeagent.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CaptureRulesTest {

    @Test
    void rendersChainsForEnrolledPodsInNumericOrder() {
        String text = CaptureRules.chains(Set.of("10.244.1.10", "10.244.1.9"), CaptureRules.Ports.defaults());
        assertThat(text.lines()).containsExactly(
                "*mangle",
                ":MESHCTL-PREROUTING - [0:0]",
                ":MESHCTL-DIVERT - [0:0]",
                "-A MESHCTL-DIVERT -j MARK --set-mark 0x1/0x1",
                "-A MESHCTL-DIVERT -j ACCEPT",
                "-A MESHCTL-PREROUTING -p tcp -m socket --transparent -j MESHCTL-DIVERT",
                "-A MESHCTL-PREROUTING -s 10.244.1.9/32 -p tcp -m conntrack --ctdir ORIGINAL -m addrtype ! --dst-type LOCAL -j TPROXY --on-ip 127.0.0.1"
                        + " --on-port 15001 --tproxy-mark 0x1/0x1",
                "-A MESHCTL-PREROUTING -d 10.244.1.9/32 -p tcp --dport 15008 -j TPROXY --on-port 15008"
                        + " --tproxy-mark 0x1/0x1",
                "-A MESHCTL-PREROUTING -d 10.244.1.9/32 -p tcp -j TPROXY --on-port 15006 --tproxy-mark 0x1/0x1",
                "-A MESHCTL-PREROUTING -s 10.244.1.10/32 -p tcp -m conntrack --ctdir ORIGINAL -m addrtype ! --dst-type LOCAL -j TPROXY --on-ip 127.0.0.1"
                        + " --on-port 15001 --tproxy-mark 0x1/0x1",
                "-A MESHCTL-PREROUTING -d 10.244.1.10/32 -p tcp --dport 15008 -j TPROXY --on-port 15008"
                        + " --tproxy-mark 0x1/0x1",
                "-A MESHCTL-PREROUTING -d 10.244.1.10/32 -p tcp -j TPROXY --on-port 15006 --tproxy-mark 0x1/0x1",
                "COMMIT",
                "*nat",
                ":MESHCTL-NAT - [0:0]",
                "-A MESHCTL-NAT -m mark --mark 0x1/0x1 -j ACCEPT",
                "COMMIT");
    }

    @Test
    void noPodsStillDeclaresTheChainsSoTheyAreFlushed() {
        String text = CaptureRules.chains(List.of(), CaptureRules.Ports.defaults());
        assertThat(text).contains(":MESHCTL-PREROUTING - [0:0]").doesNotContain("TPROXY");
    }

    @Test
    void jumpsGoFirstInBothPreroutingChains() {
        assertThat(CaptureRules.jumps().lines()).containsExactly("*mangle", "-I PREROUTING 1 -j MESHCTL-PREROUTING",
                "COMMIT", "*nat", "-I PREROUTING 1 -j MESHCTL-NAT", "COMMIT");
    }

    @Test
    void routingUsesTable133AtPriority32000() {
        assertThat(CaptureRules.routingAdd()).containsExactly(
                List.of("ip", "rule", "add", "fwmark", "0x1/0x1", "lookup", "133", "priority", "32000"),
                List.of("ip", "route", "replace", "local", "0.0.0.0/0", "dev", "lo", "table", "133"));
    }

    @Test
    void refusesAnythingButIpv4Literals() {
        for (String bad : new String[] {"10.0.0.1 -j ACCEPT", "fd00::1", "10.0.0.256", "pod.local", ""}) {
            assertThatThrownBy(() -> CaptureRules.chains(Set.of(bad), CaptureRules.Ports.defaults()))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IPv4");
        }
    }

    @org.junit.jupiter.api.Test
    void inboundCaptureAfterDnatCoversOnlyDnatedFlowsToEnrolledPods() {
        String nft = CaptureRules.nftInbound(java.util.Set.of("10.244.1.10", "10.244.1.9"),
                CaptureRules.Ports.defaults());
        assertThat(nft.lines()).containsExactly(
                "table ip meshctl",
                "delete table ip meshctl",
                "table ip meshctl {",
                "  chain inbound {",
                "    type filter hook prerouting priority dstnat + 10; policy accept;",
                "    meta mark & 0x1 == 0x1 accept",
                "    ct status dnat ip daddr { 10.244.1.9, 10.244.1.10 } tcp dport 15008 tproxy to :15008"
                        + " meta mark set meta mark | 0x1 accept",
                "    ct status dnat ip daddr { 10.244.1.9, 10.244.1.10 } meta l4proto tcp tproxy to :15006"
                        + " meta mark set meta mark | 0x1 accept",
                "  }",
                "}");
        assertThat(CaptureRules.nftInbound(java.util.Set.of(), CaptureRules.Ports.defaults()))
                .doesNotContain("tproxy");
    }
}
