package dev.meshctl.lab.netns;

import dev.meshctl.lab.LabException;
import dev.meshctl.lab.NodeInfo;
import dev.meshctl.lab.Progress;
import dev.meshctl.lab.state.LabState;
import dev.meshctl.lab.workload.DeploymentPlan;
import dev.meshctl.lab.workload.LabAnnotations;
import dev.meshctl.lab.workload.PodFactory;
import dev.meshctl.lab.workload.Scheduler;
import dev.meshctl.objects.store.ObjectStore;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Makes the running pods match the Deployments in the store (start, stop, replace, restart crashed ones), keeps pod
 * status current, and then syncs services. Plays the parts of the ReplicaSet controller, scheduler and kubelet.
 */
final class Reconciler {
  private final ObjectStore store;
  private final PodRuntime runtime;
  private final ServiceSync services;
  private final PodFactory factory;
  private final Duration readyTimeout;
  private final Supplier<List<NodeInfo>> nodes;

  Reconciler(ObjectStore store, PodRuntime runtime, ServiceSync services, PodFactory factory,
      Duration readyTimeout, Supplier<List<NodeInfo>> nodes) {
    this.store = store;
    this.runtime = runtime;
    this.services = services;
    this.factory = factory;
    this.readyTimeout = readyTimeout;
    this.nodes = nodes;
  }

  /** Starts, stops and restarts pods as Deployments demand, waits (bounded) for new pods, then syncs services. */
  void reconcile(Consumer<LabState> save, Supplier<LabState> state, Progress progress) {
    List<Pod> pods = new ArrayList<>(store.list(Pod.class));
    Map<String, Deployment> deployments = new java.util.LinkedHashMap<>();
    for (Deployment d : store.list(Deployment.class)) {
      deployments.put(d.getMetadata().getNamespace() + "/" + d.getMetadata().getName(), d);
    }
    List<Pod> waiting = new ArrayList<>();
    for (Pod pod : List.copyOf(pods)) {
      String owner = ownerName(pod);
      if (owner != null && !deployments.containsKey(pod.getMetadata().getNamespace() + "/" + owner)) {
        progress.step("stopping pod " + pod.getMetadata().getName());
        remove(pod, pods);
      } else if (!runtime.alive(pod)) {
        progress.step("restarting pod " + pod.getMetadata().getName());
        int restarts = (int) PodRuntime.annotationLong(pod, LabAnnotations.PREFIX + "restarts") + 1;
        pod.getMetadata().getAnnotations().put(LabAnnotations.PREFIX + "restarts", Integer.toString(restarts));
        setStatus(pod, "Pending", false);
        store.put(runtime.start(pod));
        waiting.add(pod);
      }
    }
    for (Deployment d : deployments.values()) {
      List<Pod> owned = pods.stream()
          .filter(p -> p.getMetadata().getNamespace().equals(d.getMetadata().getNamespace()))
          .filter(p -> DeploymentPlan.ownedBy(p, d.getMetadata().getName())).toList();
      DeploymentPlan plan = DeploymentPlan.of(d, owned);
      for (Pod p : plan.toDelete()) {
        progress.step("stopping pod " + p.getMetadata().getName());
        remove(p, pods);
        waiting.remove(p);
      }
      for (int i = 0; i < plan.toCreate(); i++) {
        Pod pod = launch(d, pods, save, state, progress);
        pods.add(pod);
        waiting.add(pod);
      }
    }
    awaitReady(waiting, progress);
    updateDeployments();
    syncServices();
  }

  /** Records replica counts on each Deployment, as the Deployment controller does. */
  private void updateDeployments() {
    List<Pod> pods = store.list(Pod.class);
    for (Deployment d : store.list(Deployment.class)) {
      List<Pod> owned = pods.stream()
          .filter(p -> p.getMetadata().getNamespace().equals(d.getMetadata().getNamespace()))
          .filter(p -> DeploymentPlan.ownedBy(p, d.getMetadata().getName())).toList();
      int ready = (int) owned.stream().filter(dev.meshctl.lab.workload.Endpoints::ready).count();
      var status = new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
          .withReplicas(owned.size()).withUpdatedReplicas(owned.size())
          .withReadyReplicas(ready).withAvailableReplicas(ready).build();
      if (!status.equals(d.getStatus())) {
        d.setStatus(status);
        store.put(d);
      }
    }
  }

  /** Updates the status of every pod from its process, without starting or stopping anything. */
  void refresh() {
    for (Pod pod : store.list(Pod.class)) {
      updateStatus(pod);
    }
    updateDeployments();
  }

  /** Rewrites service rules and DNS files from the store. */
  void syncServices() {
    services.sync(nodes.get(), store.list(Service.class), store.list(Pod.class));
  }

  private Pod launch(Deployment d, List<Pod> pods, Consumer<LabState> save, Supplier<LabState> state,
      Progress progress) {
    List<NodeInfo> all = nodes.get();
    Map<String, Integer> load = new HashMap<>();
    Map<String, Integer> siblings = new HashMap<>();
    for (Pod p : pods) {
      load.merge(p.getSpec().getNodeName(), 1, Integer::sum);
      if (p.getMetadata().getNamespace().equals(d.getMetadata().getNamespace())
          && DeploymentPlan.ownedBy(p, d.getMetadata().getName())) {
        siblings.merge(p.getSpec().getNodeName(), 1, Integer::sum);
      }
    }
    String nodeName = Scheduler.choose(all.stream().map(NodeInfo::name).toList(), load, siblings);
    NodeInfo node = all.stream().filter(n -> n.name().equals(nodeName)).findFirst().orElseThrow();
    String ip = freeIp(node, pods);
    LabState s = state.get();
    long id = s.nextPodId();
    save.accept(s.withNextPodId(id + 1));
    Pod pod = factory.newPod(d, nodeName);
    progress.step("starting pod " + pod.getMetadata().getName() + " on " + nodeName);
    List<io.fabric8.kubernetes.api.model.Service> svcs = store.list(Service.class);
    pod.getStatus().setPodIP(ip);
    String hosts = ServiceSync.hosts(pod, ServiceSync.entries(svcs));
    Pod launched = runtime.launch(pod, node, id, ip, hosts, HostsFile.resolvConf(pod.getMetadata().getNamespace()));
    setStatus(launched, "Pending", false);
    store.put(launched);
    return launched;
  }

  private void awaitReady(List<Pod> waiting, Progress progress) {
    if (waiting.isEmpty()) {
      return;
    }
    progress.step("waiting for " + waiting.size() + " pod(s) to be ready");
    long deadline = System.nanoTime() + readyTimeout.toNanos();
    Set<Pod> pending = new HashSet<>(waiting);
    while (!pending.isEmpty()) {
      pending.removeIf(p -> {
        updateStatus(p);
        return !"Pending".equals(p.getStatus().getPhase()) && (Boolean.TRUE.equals(ready(p))
            || "Failed".equals(p.getStatus().getPhase()));
      });
      if (pending.isEmpty() || System.nanoTime() > deadline) {
        break;
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LabException("interrupted while waiting for pods to be ready");
      }
    }
  }

  private void updateStatus(Pod pod) {
    boolean alive = runtime.alive(pod);
    String phase = alive ? "Running" : "Failed";
    boolean ready = alive && runtime.listening(pod);
    String before = pod.getStatus().getPhase();
    Boolean wasReady = ready(pod);
    if (!Objects.equals(before, phase) || !Objects.equals(wasReady, ready)) {
      setStatus(pod, phase, ready);
      store.put(pod);
    }
  }

  private static Boolean ready(Pod pod) {
    var conditions = pod.getStatus().getConditions();
    if (conditions == null) {
      return null;
    }
    return conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst()
        .map(c -> "True".equals(c.getStatus())).orElse(null);
  }

  private static void setStatus(Pod pod, String phase, boolean ready) {
    pod.getStatus().setPhase(phase);
    pod.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready")
        .withStatus(ready ? "True" : "False").build()));
    String container = pod.getSpec().getContainers().get(0).getName();
    pod.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName(container)
        .withImage(pod.getSpec().getContainers().get(0).getImage()).withReady(ready).withStarted("Running".equals(phase))
        .withRestartCount((int) PodRuntime.annotationLong(pod, LabAnnotations.PREFIX + "restarts")).build()));
  }

  private void remove(Pod pod, List<Pod> pods) {
    runtime.teardown(pod);
    store.delete(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    pods.remove(pod);
  }

  private static String freeIp(NodeInfo node, List<Pod> pods) {
    Set<String> used = new HashSet<>();
    for (Pod p : pods) {
      if (node.name().equals(p.getSpec().getNodeName()) && p.getStatus().getPodIP() != null) {
        used.add(p.getStatus().getPodIP());
      }
    }
    for (int host = AddressPlan.firstPodHost(); host <= AddressPlan.lastPodHost(); host++) {
      String ip = AddressPlan.podIp(node.index(), host);
      if (!used.contains(ip)) {
        return ip;
      }
    }
    throw new LabException("node " + node.name() + " has no free pod address in " + node.podCidr()
        + ": scale something down or bring the lab up with more nodes");
  }

  private static String ownerName(Pod pod) {
    var refs = pod.getMetadata().getOwnerReferences();
    if (refs == null) {
      return null;
    }
    return refs.stream().filter(r -> "Deployment".equals(r.getKind())).map(r -> r.getName()).findFirst().orElse(null);
  }
}
