package dev.meshctl.core.rbac;

import static dev.meshctl.core.rbac.Policies.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.meshctl.api.mesh.Workload;
import dev.meshctl.core.identity.SpiffeId;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectionTest {

    @Test
    void readsTheNamespaceFromThePrincipal() {
        assertThat(Connection.namespaceOf("cluster.local/ns/prod/sa/curl")).contains("prod");
        assertThat(Connection.namespaceOf("spiffe://cluster.local/ns/prod/sa/curl")).contains("prod");
        assertThat(Connection.namespaceOf("cluster.local/prod/curl")).isEmpty();
        assertThat(Connection.namespaceOf("cluster.local/ns//sa/curl")).isEmpty();
    }

    @Test
    void dropsTheSchemeAndEmptyPrincipals() {
        Connection c = Policies.conn("spiffe://cluster.local/ns/prod/sa/curl", "10.0.0.1", 80);
        assertThat(c.sourcePrincipal()).contains("cluster.local/ns/prod/sa/curl");
        assertThat(c.sourceNamespace()).contains("prod");
        assertThat(Policies.conn("", "10.0.0.1", 80).sourcePrincipal()).isEmpty();
    }

    @Test
    void buildsFromAWorkload() {
        Workload w = Workload.newBuilder().setNamespace("default").putLabels("app", "reviews").build();
        Connection c = Connection.toWorkload(Optional.of(SpiffeId.of("cluster.local", "default", "curl")),
                new InetSocketAddress(ip("10.0.0.1"), 40000), new InetSocketAddress(ip("10.0.0.2"), 9080), w);
        assertThat(c.sourcePrincipal()).contains("cluster.local/ns/default/sa/curl");
        assertThat(c.destinationLabels()).isEqualTo(Map.of("app", "reviews"));
        assertThat(c.destinationPort()).isEqualTo(9080);
    }

    @Test
    void refusesUnresolvedAddressesAndBadPorts() {
        assertThatIllegalArgumentException().isThrownBy(() -> Connection.of(Optional.empty(), ip("10.0.0.1"),
                InetSocketAddress.createUnresolved("reviews", 80), "default", Map.of())).withMessageContaining("unresolved");
        assertThatIllegalArgumentException().isThrownBy(() -> new Connection(Optional.empty(), Optional.empty(),
                ip("10.0.0.1"), ip("10.0.0.2"), 70000, "default", Map.of())).withMessageContaining("70000");
    }
}
