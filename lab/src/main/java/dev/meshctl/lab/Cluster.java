package dev.meshctl.lab;

import dev.meshctl.objects.ParsedObject;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Operates a running lab cluster: the same verbs on every provider. */
public interface Cluster {

  String name();

  String provider();

  List<NodeInfo> nodes();

  /** Applies validated objects all together; returns kubectl-like lines ("deployment.apps/x created"). */
  Outcome apply(List<ParsedObject> objects, Progress progress);

  /** Deletes the named objects; returns kubectl-like lines ("service/x deleted"). */
  Outcome delete(List<ParsedObject> objects, Progress progress);

  /** Lists objects of a kind, in one namespace or all of them ({@code namespace == null}). */
  <T extends HasMetadata> List<T> list(Class<T> type, String namespace);

  /**
   * Sets and removes labels on an object, as {@code kubectl label} does.
   *
   * @param kind namespace, pod or service
   */
  String label(String kind, String namespace, String name, Map<String, String> set, Set<String> remove,
      boolean overwrite);

  /** Resolves a pod by name or {@code deploy/NAME} to its pod name. */
  String resolvePod(String namespace, String target);

  /** Builds the process that runs {@code command} inside a pod's network namespace. */
  ProcessBuilder exec(String namespace, String pod, List<String> command);

  /**
   * Builds a packet capture ({@code tcpdump ARGS}) on the cluster network's bridge, or on node {@code node}'s link to
   * it when {@code node} is not null.
   */
  ProcessBuilder capture(String node, List<String> tcpdumpArgs);

  /** Returns the log file of a pod's process. */
  Path logs(String namespace, String pod);

  /** Reports nodes and pods; also refreshes what a crashed process changed. */
  LabStatus status();

  /** Returns the host for mesh component processes, when this provider runs them itself (netns; not kind). */
  java.util.Optional<ComponentHost> components();

  /** Names the provider-specific resources (namespaces) the lab owns, for inspection and cleanup checks. */
  Set<String> ownedNamespaces();
}
