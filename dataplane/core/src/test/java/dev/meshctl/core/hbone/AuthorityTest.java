package dev.meshctl.core.hbone;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthorityTest {

    @Test
    void parsesIpv4HostAndPort() {
        InetSocketAddress a = Authority.parse("10.0.0.7:9080").orElseThrow();
        assertThat(a.getHostString()).isEqualTo("10.0.0.7");
        assertThat(a.getPort()).isEqualTo(9080);
        assertThat(a.isUnresolved()).isTrue();
    }

    @Test
    void parsesBracketedIpv6() {
        InetSocketAddress a = Authority.parse("[fd00::7]:80").orElseThrow();
        assertThat(a.getHostString()).isEqualTo("fd00::7");
        assertThat(a.getPort()).isEqualTo(80);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.7", "10.0.0.7:", ":80", "10.0.0.7:0", "10.0.0.7:65536", "host:http",
            "fd00::7:80", "[fd00::7:80"})
    void refusesMalformedAuthorities(String authority) {
        assertThat(Authority.parse(authority)).isEmpty();
    }

    @Test
    void refusesNull() {
        assertThat(Authority.parse(null)).isEmpty();
    }

    @Test
    void formatsAddressesWithBracketsForIpv6() {
        assertThat(Authority.format(new InetSocketAddress("10.0.0.7", 15008))).isEqualTo("10.0.0.7:15008");
        assertThat(Authority.format(new InetSocketAddress("fd00::7", 80))).isEqualTo("[fd00:0:0:0:0:0:0:7]:80");
    }
}
