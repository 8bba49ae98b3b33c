package dev.meshctl.nodeagent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.api.mesh.Workload;
import org.junit.jupiter.api.Test;

class BaggageTest {

    private static final String ID = "spiffe://cluster.local/ns/shop/sa/cart";

    @Test
    void readsWhatZtunnelAndTheAgentSend() {
        assertThat(Baggage.peer("k8s.cluster.name=east,k8s.namespace.name=shop,k8s.statefulset.name=cart,"
                + "service.name=cart-svc,service.version=v3", ID)).hasValueSatisfying(p -> {
                    assertThat(p.workload()).isEqualTo("cart");
                    assertThat(p.namespace()).isEqualTo("shop");
                    assertThat(p.identity()).isEqualTo(ID);
                    assertThat(p.labels()).isEqualTo(new WorkloadLabels(null, null, "cart-svc", "v3", "east"));
                });
        assertThat(Baggage.peer(" k8s.namespace.name = shop ;p=1, k8s.deployment.name=cart", ID))
                .map(Peer::workload).hasValue("cart");
    }

    @Test
    void refusesBaggageTheIdentityDoesNotBackOrThatNamesNoWorkload() {
        assertThat(Baggage.peer("k8s.namespace.name=kube-system,k8s.deployment.name=cart", ID)).isEmpty();
        assertThat(Baggage.peer("k8s.deployment.name=cart", ID)).isEmpty();
        assertThat(Baggage.peer("k8s.namespace.name=shop,k8s.pod.name=cart-1", ID)).isEmpty();
        assertThat(Baggage.peer("k8s.namespace.name=shop,k8s.deployment.name=", ID)).isEmpty();
        assertThat(Baggage.peer("garbage", ID)).isEmpty();
        assertThat(Baggage.peer("k8s.namespace.name=shop,k8s.deployment.name=cart", "spiffe://x/sa/cart")).isEmpty();
    }

    @Test
    void standardLabelsFallBackAsIstioDoes() {
        Workload bare = Workload.newBuilder().setName("cart-7f9-x").setNamespace("shop").build();
        assertThat(WorkloadLabels.of(bare))
                .isEqualTo(new WorkloadLabels("unknown", "unknown", "cart-7f9-x", "latest", "Kubernetes"));
        Workload k8s = bare.toBuilder().putLabels("app.kubernetes.io/name", "cart")
                .putLabels("app.kubernetes.io/version", "1.2").setWorkloadName("cart").setClusterId("east").build();
        assertThat(WorkloadLabels.of(k8s)).isEqualTo(new WorkloadLabels("cart", "1.2", "cart", "latest", "east"));
        assertThat(Baggage.of(k8s)).isEqualTo("k8s.cluster.name=east,k8s.namespace.name=shop,k8s.deployment.name=cart,"
                + "service.name=cart,service.version=latest,app.name=cart,app.version=1.2");
    }
}
