package dev.meshctl.waypoint.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.api.mesh.Workload;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PeerLabelsTest {

    @Test
    void takesAppAndVersionFromTheWorkloadsLabels() {
        Workload w = Workload.newBuilder().setName("reviews-v2-x").setWorkloadName("reviews-v2")
                .putLabels("app.kubernetes.io/name", "reviews").putLabels("app.kubernetes.io/version", "2.0")
                .setClusterId("east").build();
        assertThat(PeerLabels.of(w)).isEqualTo(new PeerLabels("reviews-v2", "reviews", "2.0", "reviews-v2", "latest",
                "east"));
        Workload bare = Workload.newBuilder().setName("pod-1").build();
        assertThat(PeerLabels.of(bare)).isEqualTo(new PeerLabels("pod-1", "unknown", "unknown", "pod-1", "latest",
                "Kubernetes"));
    }

    @Test
    void readsBaggageOnlyForTheSendersOwnNamespace() {
        Map<String, String> b = PeerLabels.parseBaggage(PeerLabels.selfBaggage("default", "waypoint"));
        assertThat(PeerLabels.fromBaggage(b, Optional.of("default"))).hasValue(
                new PeerLabels("waypoint", null, null, "waypoint", "latest", "Kubernetes"));
        assertThat(PeerLabels.fromBaggage(b, Optional.of("other"))).isEmpty();
        assertThat(PeerLabels.fromBaggage(b, Optional.empty())).isEmpty();
        assertThat(PeerLabels.fromBaggage(PeerLabels.parseBaggage("k8s.namespace.name=default"),
                Optional.of("default"))).isEmpty();
        assertThat(PeerLabels.fromBaggage(PeerLabels.parseBaggage("k8s.namespace.name=default,k8s.job.name=j;x=1"),
                Optional.of("default"))).map(PeerLabels::workload).hasValue("j");
        assertThat(PeerLabels.parseBaggage("garbage,=x,k=")).isEmpty();
        assertThatThrownBy(() -> PeerLabels.selfBaggage(null, "w")).isInstanceOf(NullPointerException.class);
    }
}
