package dev.meshctl.lab.netns;

import dev.meshctl.lab.LabException;
import dev.meshctl.lab.NodeInfo;
import dev.meshctl.lab.workload.ImageCatalog;
import dev.meshctl.lab.workload.LabAnnotations;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Carries out pod lifecycle on the host: a network namespace linked to its node, DNS files, and the pod's process
 * started inside the namespace with Kubernetes' downward-API values in its environment.
 */
final class PodRuntime {
  static final Path NETNS_ETC = Path.of("/etc/netns");
  private final NetnsNames names;
  private final Topology topology;
  private final CommandRunner run;
  private final ImageCatalog images;
  private final Path logDir;

  PodRuntime(NetnsNames names, CommandRunner run, ImageCatalog images, Path logDir) {
    this.names = names;
    this.topology = new Topology(names);
    this.run = run;
    this.images = images;
    this.logDir = logDir;
  }

  /** Creates pod {@code id}'s namespace and link on {@code node} and starts its process; annotates the pod. */
  Pod launch(Pod pod, NodeInfo node, long id, String ip, String hosts, String resolvConf) {
    String ns = names.pod(id);
    run.check(List.of("ip", "netns", "add", ns));
    try {
      run.check(List.of("ip", "-n", node.netns(), "-batch", "-"), topology.podNodeSide(id, node.index(), ip));
      run.check(List.of("ip", "-n", ns, "-batch", "-"), topology.podSide(node.index(), ip));
      writeDnsFiles(ns, hosts, resolvConf);
      Map<String, String> annotations = new HashMap<>();
      if (pod.getMetadata().getAnnotations() != null) {
        annotations.putAll(pod.getMetadata().getAnnotations());
      }
      annotations.put(LabAnnotations.POD_ID, Long.toString(id));
      annotations.put(LabAnnotations.NETNS, ns);
      pod.getMetadata().setAnnotations(annotations);
      pod.getStatus().setPodIP(ip);
      pod.getStatus().setHostIP(node.ip());
      pod.getStatus().setStartTime(Instant.now().toString());
      return start(pod);
    } catch (RuntimeException e) {
      deleteNamespace(ns);
      throw e;
    }
  }

  /** Starts (or restarts) the pod's process in its existing namespace. */
  Pod start(Pod pod) {
    String ns = netns(pod);
    Container container = pod.getSpec().getContainers().get(0);
    List<String> command = images.command(container.getImage()).orElseThrow(() -> new LabException(
        "BUG: image " + container.getImage() + " passed validation but the lab cannot run it"));
    List<String> argv = new ArrayList<>(List.of("setsid", "ip", "netns", "exec", ns));
    argv.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().clear();
    pb.environment().putAll(environment(pod, container));
    Path log = logFile(pod);
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(log, "--- started " + Instant.now() + ": " + String.join(" ", command) + "\n",
          StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.redirectErrorStream(true);
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process process = pb.start();
      long pid = process.pid();
      long startTime = ProcessTable.startTime(pid).orElse(0L);
      pod.getMetadata().getAnnotations().put(LabAnnotations.PID, Long.toString(pid));
      pod.getMetadata().getAnnotations().put(LabAnnotations.START_TIME, Long.toString(startTime));
      return pod;
    } catch (IOException e) {
      throw new LabException("cannot start pod " + pod.getMetadata().getName() + ": " + e.getMessage(), e);
    }
  }

  /** Stops the pod's process and removes its namespace (which removes its link and route) and DNS files. */
  void teardown(Pod pod) {
    stop(pod);
    String ns = netns(pod);
    if (ns != null) {
      deleteNamespace(ns);
    }
  }

  /** Stops the pod's process if it still runs. */
  void stop(Pod pod) {
    long pid = annotationLong(pod, LabAnnotations.PID);
    long start = annotationLong(pod, LabAnnotations.START_TIME);
    ProcessTable.stop(pid, start, 2000);
  }

  /** Removes a namespace (killing anything left in it) and its /etc/netns files; quiet when already gone. */
  void deleteNamespace(String ns) {
    CommandRunner.Result pids = run.run(List.of("ip", "netns", "pids", ns), null);
    if (pids.ok()) {
      List<ProcessHandle> killed = new ArrayList<>();
      for (String line : pids.stdout().split("\\s+")) {
        if (!line.isBlank()) {
          ProcessHandle.of(Long.parseLong(line.trim())).ifPresent(h -> {
            h.destroyForcibly();
            killed.add(h);
          });
        }
      }
      for (ProcessHandle h : killed) {
        try {
          h.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          // reported by the caller's final check of what is left
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    run.run(List.of("ip", "netns", "del", ns), null);
    Path etc = NETNS_ETC.resolve(ns);
    for (String f : List.of("hosts", "resolv.conf")) {
      try {
        Files.deleteIfExists(etc.resolve(f));
      } catch (IOException e) {
        // a leftover file is reported by `lab down`'s final check
      }
    }
    try {
      Files.deleteIfExists(etc);
    } catch (IOException e) {
      // as above
    }
  }

  /** Tells whether the pod's process is the one started for it and still runs. */
  boolean alive(Pod pod) {
    return ProcessTable.alive(annotationLong(pod, LabAnnotations.PID), annotationLong(pod, LabAnnotations.START_TIME));
  }

  /** Tells whether every declared container port listens inside the pod's namespace. */
  boolean listening(Pod pod) {
    Set<Integer> wanted = pod.getSpec().getContainers().stream()
        .flatMap(c -> c.getPorts() == null ? java.util.stream.Stream.<ContainerPort>empty() : c.getPorts().stream())
        .map(ContainerPort::getContainerPort)
        .collect(Collectors.toSet());
    if (wanted.isEmpty()) {
      return true;
    }
    return ProcessTable.listeningPorts(annotationLong(pod, LabAnnotations.PID)).containsAll(wanted);
  }

  /** Rewrites a pod's DNS files in place: the bind mounts of running processes keep pointing at the same inode. */
  void writeDnsFiles(String ns, String hosts, String resolvConf) {
    Path etc = NETNS_ETC.resolve(ns);
    try {
      Files.createDirectories(etc);
      Files.writeString(etc.resolve("hosts"), hosts, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
      Files.writeString(etc.resolve("resolv.conf"), resolvConf, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new LabException("cannot write DNS files for " + ns + " under " + etc + ": " + e.getMessage(), e);
    }
  }

  Path logFile(Pod pod) {
    return logDir.resolve(pod.getMetadata().getNamespace() + "_" + pod.getMetadata().getName() + ".log");
  }

  static String netns(Pod pod) {
    var a = pod.getMetadata().getAnnotations();
    return a == null ? null : a.get(LabAnnotations.NETNS);
  }

  static long annotationLong(Pod pod, String key) {
    var a = pod.getMetadata().getAnnotations();
    String v = a == null ? null : a.get(key);
    try {
      return v == null ? 0 : Long.parseLong(v);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Map<String, String> environment(Pod pod, Container container) {
    Map<String, String> env = new TreeMap<>();
    env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    env.put("HOME", "/root");
    env.put("HOSTNAME", pod.getMetadata().getName());
    env.put("POD_NAME", pod.getMetadata().getName());
    env.put("POD_NAMESPACE", pod.getMetadata().getNamespace());
    env.put("NODE_NAME", pod.getSpec().getNodeName());
    env.put("POD_IP", pod.getStatus().getPodIP());
    env.put("SERVICE_ACCOUNT", pod.getSpec().getServiceAccountName());
    Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    env.put("POD_LABELS", new TreeMap<>(labels).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
    if (container.getEnv() != null) {
      for (EnvVar v : container.getEnv()) {
        if (v.getValue() != null) {
          env.put(v.getName(), v.getValue());
        }
      }
    }
    return env;
  }
}
