package dev.meshctl.core.rbac;

import static dev.meshctl.core.rbac.Policies.cidr;
import static dev.meshctl.core.rbac.Policies.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class CidrBlockTest {

    @Test
    void containsByPrefix() {
        CidrBlock block = CidrBlock.of(cidr("10.244.1.0", 25));
        assertThat(block.contains(ip("10.244.1.127"))).isTrue();
        assertThat(block.contains(ip("10.244.1.128"))).isFalse();
        assertThat(block).hasToString("10.244.1.0/25");
    }

    @Test
    void hostBitsInTheNetworkAreIgnored() {
        assertThat(CidrBlock.of(cidr("10.244.1.77", 24)).contains(ip("10.244.1.3"))).isTrue();
    }

    @Test
    void familiesDoNotMix() {
        assertThat(CidrBlock.of(cidr("0.0.0.0", 0)).contains(ip("fd00::1"))).isFalse();
        assertThat(CidrBlock.of(cidr("fd00::", 8)).contains(ip("fd12::1"))).isTrue();
    }

    @Test
    void refusesNamesWithoutLookingThemUp() {
        assertThatIllegalArgumentException().isThrownBy(() -> CidrBlock.parseIp("example.com"))
                .withMessageContaining("'example.com' is not an IP address");
        assertThatIllegalArgumentException().isThrownBy(() -> CidrBlock.parseIp("10.0.0.256"));
    }

    @Test
    void refusesLengthsOutsideTheFamily() {
        assertThatIllegalArgumentException().isThrownBy(() -> CidrBlock.of(cidr("10.0.0.0", 33)))
                .withMessageContaining("prefix length 33 of 10.0.0.0 is not in 0..32");
        assertThat(CidrBlock.of(cidr("fd00::", 128)).length()).isEqualTo(128);
    }
}
