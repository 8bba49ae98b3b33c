package dev.meshctl.controlplane.push;

import static dev.meshctl.controlplane.push.Fixtures.workload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.api.discovery.DeltaDiscoveryRequest;
import dev.meshctl.api.discovery.Resource;
import dev.meshctl.api.discovery.TypeUrls;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared diff, and the deltas a stream takes from it once its proxy holds one snapshot's map. */
class ResourceDiffsTest {

  private static final String W = TypeUrls.WORKLOAD;

  private static Map<String, Resource> map(Snapshot s) {
    return s.resources(W);
  }

  private static TypeSubscription synced(Snapshot s, ResourceDiffs diffs, String... names) {
    TypeSubscription sub = new TypeSubscription(W);
    DeltaDiscoveryRequest.Builder request = DeltaDiscoveryRequest.newBuilder().setTypeUrl(W);
    for (String n : names) {
      request.addResourceNamesSubscribe(n);
    }
    sub.subscribe(request.build());
    sub.sent("0", sub.nextDelta(map(s), diffs), s.version());
    assertThat(sub.ack("0")).isTrue();
    return sub;
  }

  @Test
  void diffHasChangedAddedAndRemovedAndIsComputedOncePerPair() {
    Snapshot a = Snapshot.builder().add("x", workload("x", 1)).add("y", workload("y", 1)).build();
    Snapshot b = a.toBuilder().put("x", workload("x", 2)).remove(W, "y").put("z", workload("z", 1)).build();
    ResourceDiffs diffs = new ResourceDiffs();
    ResourceDiffs.Diff d = diffs.diff(map(a), map(b));
    assertThat(d.changed()).extracting(Resource::getName).containsExactlyInAnyOrder("x", "z");
    assertThat(d.removed()).containsExactly("y");
    assertThat(diffs.diff(map(a), map(b))).isSameAs(d);
    assertThat(diffs.diff(map(b), map(a)).removed()).containsExactly("z");
  }

  @Test
  void afterAnAckTheNextDeltaIsTheDiffAndTheSameMapIsNotComparedAgain() {
    Snapshot s1 = Snapshot.builder().add("a", workload("a", 1)).add("b", workload("b", 1)).build();
    Snapshot s2 = s1.toBuilder().put("a", workload("a", 2)).remove(W, "b").build();
    ResourceDiffs diffs = new ResourceDiffs();
    TypeSubscription sub = synced(s1, diffs);
    TypeSubscription.Delta d = sub.nextDelta(map(s2), diffs);
    assertThat(d.resources()).extracting(Resource::getName).containsExactly("a");
    assertThat(d.removed()).containsExactly("b");
    sub.sent("1", d, s2.version());
    assertThat(sub.ack("1")).isTrue();
    assertThat(sub.known()).containsOnlyKeys("a");
    assertThat(sub.nextDelta(map(s2), diffs)).isNull();
  }

  @Test
  void explicitNamesFilterTheSharedDiff() {
    Snapshot s1 = Snapshot.builder().add("a", workload("a", 1)).add("b", workload("b", 1)).build();
    Snapshot s2 = s1.toBuilder().put("a", workload("a", 2)).put("b", workload("b", 2)).build();
    Snapshot s3 = s2.toBuilder().remove(W, "a").remove(W, "b").build();
    ResourceDiffs diffs = new ResourceDiffs();
    TypeSubscription sub = synced(s1, diffs, "b");
    TypeSubscription.Delta d = sub.nextDelta(map(s2), diffs);
    assertThat(d.resources()).extracting(Resource::getName).containsExactly("b");
    sub.sent("1", d, s2.version());
    sub.ack("1");
    assertThat(sub.nextDelta(map(s3), diffs).removed()).containsExactly("b");
  }

  @Test
  void aChangeOnlyInUnsubscribedNamesSendsNothing() {
    Snapshot s1 = Snapshot.builder().add("a", workload("a", 1)).add("b", workload("b", 1)).build();
    Snapshot s2 = s1.toBuilder().put("a", workload("a", 2)).build();
    TypeSubscription sub = synced(s1, new ResourceDiffs(), "b");
    assertThat(sub.nextDelta(map(s2), new ResourceDiffs())).isNull();
  }

  @Test
  void aSubscriptionChangeWhileAResponseIsInFlightFallsBackToComparingWhatTheProxyHolds() {
    Snapshot s1 = Snapshot.builder().add("a", workload("a", 1)).add("b", workload("b", 1)).build();
    Snapshot s2 = s1.toBuilder().put("b", workload("b", 2)).build();
    ResourceDiffs diffs = new ResourceDiffs();
    TypeSubscription sub = synced(s1, diffs, "a");
    // nothing pending for "a"; subscribe to "b" too, then ACK a response that was computed before
    sub.subscribe(DeltaDiscoveryRequest.newBuilder().setTypeUrl(W).setResponseNonce("0")
        .addResourceNamesSubscribe("b").build());
    TypeSubscription.Delta d = sub.nextDelta(map(s1), diffs);
    assertThat(d.resources()).extracting(Resource::getName).containsExactly("b");
    sub.sent("1", d, s1.version());
    sub.subscribe(DeltaDiscoveryRequest.newBuilder().setTypeUrl(W).setResponseNonce("1")
        .addResourceNamesUnsubscribe("a").build());
    sub.ack("1");
    // s1's map is not what the proxy holds now ("a" was dropped): the next delta compares, and sends b's change
    TypeSubscription.Delta next = sub.nextDelta(map(s2), diffs);
    assertThat(next.resources()).extracting(Resource::getName).containsExactly("b");
    assertThat(next.removed()).isEmpty();
  }

  @Test
  void afterANackTheProxyStillHoldsTheOldMap() {
    Snapshot s1 = Snapshot.builder().add("a", workload("a", 1)).build();
    Snapshot s2 = s1.toBuilder().put("a", workload("a", 2)).build();
    Snapshot s3 = s1.toBuilder().put("b", workload("b", 1)).build();
    ResourceDiffs diffs = new ResourceDiffs();
    TypeSubscription sub = synced(s1, diffs);
    sub.sent("1", sub.nextDelta(map(s2), diffs), s2.version());
    sub.nack("1", "bad");
    TypeSubscription.Delta d = sub.nextDelta(map(s3), diffs);
    assertThat(d.resources()).extracting(Resource::getName).containsExactly("b");
    assertThat(sub.known()).containsEntry("a", Snapshot.contentVersion(workload("a", 1)));
  }
}
