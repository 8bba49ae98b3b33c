package dev.meshctl.controlplane.push;

import static dev.meshctl.controlplane.push.Fixtures.workload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.api.discovery.DeltaDiscoveryRequest;
import dev.meshctl.api.discovery.Resource;
import dev.meshctl.api.discovery.TypeUrls;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TypeSubscriptionTest {

  private static final String W = TypeUrls.WORKLOAD;

  private static Map<String, Resource> resources(Snapshot s) {
    return s.resources(W);
  }

  private static TypeSubscription wildcard() {
    TypeSubscription sub = new TypeSubscription(W);
    sub.subscribe(DeltaDiscoveryRequest.newBuilder().setTypeUrl(W).build());
    return sub;
  }

  @Test
  void explicitNamesOnlyGetThoseNames() {
    Snapshot s = Snapshot.builder().add("a", workload("a", 1)).add("b", workload("b", 1)).build();
    TypeSubscription sub = new TypeSubscription(W);
    sub.subscribe(DeltaDiscoveryRequest.newBuilder().setTypeUrl(W).addResourceNamesSubscribe("b").build());
    TypeSubscription.Delta d = sub.nextDelta(resources(s));
    assertThat(d.resources()).extracting(Resource::getName).containsExactly("b");
    sub.sent("1", d, s.version());
    sub.ack("1");

    sub.subscribe(DeltaDiscoveryRequest.newBuilder().setTypeUrl(W).addResourceNamesUnsubscribe("b")
        .addResourceNamesSubscribe("a").build());
    TypeSubscription.Delta d2 = sub.nextDelta(resources(s));
    assertThat(d2.resources()).extracting(Resource::getName).containsExactly("a");
    assertThat(d2.removed()).isEmpty(); // the proxy already forgot "b" when it unsubscribed
  }

  @Test
  void staleNonceIsIgnored() {
    Snapshot s = Snapshot.builder().add("a", workload("a", 1)).build();
    TypeSubscription sub = wildcard();
    sub.sent("5", sub.nextDelta(resources(s)), s.version());
    assertThat(sub.ack("4")).isFalse();
    assertThat(sub.nack("4", "x")).isFalse();
    assertThat(sub.awaitingAck()).isTrue();
    assertThat(sub.ack("5")).isTrue();
    assertThat(sub.known()).containsOnlyKeys("a");
  }

  @Test
  void unchangedMapIsSkippedWithoutComparing() {
    Snapshot s = Snapshot.builder().add("a", workload("a", 1)).build();
    TypeSubscription sub = wildcard();
    sub.sent("1", sub.nextDelta(resources(s)), s.version());
    sub.ack("1");
    assertThat(sub.nextDelta(resources(s))).isNull();
    assertThat(sub.nextDelta(resources(s))).isNull();
  }

  @Test
  void nackedDeltaIsNotOfferedAgainButADifferentOneIs() {
    Snapshot s1 = Snapshot.builder().add("a", workload("a", 1)).build();
    Snapshot s2 = s1.toBuilder().put("a", workload("a", 2)).build();
    Snapshot s3 = s1.toBuilder().put("a", workload("a", 3)).build();
    TypeSubscription sub = wildcard();
    sub.sent("1", sub.nextDelta(resources(s1)), s1.version());
    sub.ack("1");
    sub.sent("2", sub.nextDelta(resources(s2)), s2.version());
    sub.nack("2", "bad");
    assertThat(sub.nextDelta(resources(s2))).isNull();
    assertThat(sub.status().lastNack()).isEqualTo("bad");
    assertThat(sub.status().ackedVersion()).isEqualTo(s1.version());
    assertThat(sub.nextDelta(resources(s3)).resources()).extracting(Resource::getVersion)
        .containsExactly(Snapshot.contentVersion(workload("a", 3)));
    // Going back to what the proxy has is an empty delta: nothing to send.
    assertThat(sub.nextDelta(resources(s1))).isNull();
  }
}
