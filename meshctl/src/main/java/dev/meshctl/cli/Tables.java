package dev.meshctl.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Builds kubectl's default tables for each kind. */
final class Tables {
  private Tables() {}

  static Table of(Class<?> type, List<? extends HasMetadata> items, boolean namespaceColumn, boolean labels,
      boolean wide) {
    List<String> headers = new ArrayList<>();
    if (namespaceColumn) {
      headers.add("NAMESPACE");
    }
    headers.add("NAME");
    if (type == Pod.class) {
      headers.addAll(List.of("READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"));
    } else if (type == Service.class) {
      headers.addAll(List.of("TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"));
      if (wide) {
        headers.add("SELECTOR");
      }
    } else if (type == Deployment.class) {
      headers.addAll(List.of("READY", "UP-TO-DATE", "AVAILABLE", "AGE"));
    } else if (type == io.fabric8.kubernetes.api.model.Namespace.class) {
      headers.addAll(List.of("STATUS", "AGE"));
    } else {
      headers.add("AGE");
    }
    if (labels) {
      headers.add("LABELS");
    }
    Table table = new Table(headers.toArray(String[]::new));
    for (HasMetadata o : items) {
      List<String> row = new ArrayList<>();
      if (namespaceColumn) {
        row.add(o.getMetadata().getNamespace());
      }
      row.add(o.getMetadata().getName());
      String age = age(o.getMetadata().getCreationTimestamp());
      if (o instanceof Pod p) {
        boolean ready = dev.meshctl.lab.workload.Endpoints.ready(p);
        int restarts = p.getStatus().getContainerStatuses() == null || p.getStatus().getContainerStatuses().isEmpty()
            ? 0 : p.getStatus().getContainerStatuses().get(0).getRestartCount();
        String phase = p.getStatus().getPhase();
        row.addAll(List.of(ready ? "1/1" : "0/1", "Failed".equals(phase) ? "Error" : phase,
            Integer.toString(restarts), age, p.getStatus().getPodIP(), p.getSpec().getNodeName()));
      } else if (o instanceof Service s) {
        row.addAll(List.of("ClusterIP", s.getSpec().getClusterIP(), "<none>", ports(s.getSpec().getPorts()), age));
        if (wide) {
          row.add(labelString(s.getSpec().getSelector()));
        }
      } else if (o instanceof Deployment d) {
        int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        int ready = d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0
            : d.getStatus().getReadyReplicas();
        int updated = d.getStatus() == null || d.getStatus().getUpdatedReplicas() == null ? 0
            : d.getStatus().getUpdatedReplicas();
        int available = d.getStatus() == null || d.getStatus().getAvailableReplicas() == null ? 0
            : d.getStatus().getAvailableReplicas();
        row.addAll(List.of(ready + "/" + want, Integer.toString(updated), Integer.toString(available), age));
      } else if (o instanceof io.fabric8.kubernetes.api.model.Namespace) {
        row.addAll(List.of("Active", age));
      } else {
        row.add(age);
      }
      if (labels) {
        row.add(labelString(o.getMetadata().getLabels()));
      }
      table.row(row.toArray(String[]::new));
    }
    return table;
  }

  static String labelString(Map<String, String> labels) {
    if (labels == null || labels.isEmpty()) {
      return "<none>";
    }
    return new TreeMap<>(labels).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  private static String ports(List<ServicePort> ports) {
    if (ports == null || ports.isEmpty()) {
      return "<none>";
    }
    return ports.stream().map(p -> p.getPort() + "/" + (p.getProtocol() == null ? "TCP" : p.getProtocol()))
        .collect(Collectors.joining(","));
  }

  static String age(String timestamp) {
    if (timestamp == null) {
      return "<unknown>";
    }
    try {
      Duration d = Duration.between(Instant.parse(timestamp), Instant.now());
      long s = Math.max(0, d.getSeconds());
      if (s < 120) {
        return s + "s";
      }
      if (s < 7200) {
        return (s / 60) + "m";
      }
      if (s < 172800) {
        return (s / 3600) + "h";
      }
      return (s / 86400) + "d";
    } catch (RuntimeException e) {
      return "<unknown>";
    }
  }
}
