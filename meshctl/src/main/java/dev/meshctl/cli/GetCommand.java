package dev.meshctl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.meshctl.lab.Cluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Lists lab objects in kubectl's shapes: a table, or a List object as JSON or YAML. */
@Command(name = "get", description = "List pods, services, deployments, namespaces or serviceaccounts.")
final class GetCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-n", "--namespace"}, defaultValue = "default", description = "Namespace (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = {"-A", "--all-namespaces"}, description = "List across all namespaces.")
  boolean allNamespaces;

  @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, wide, json or yaml.")
  String output;

  @Option(names = "--show-labels", description = "Add a LABELS column.")
  boolean showLabels;

  @Parameters(index = "0", paramLabel = "KIND",
      description = "pods (po), services (svc), deployments (deploy), namespaces (ns), serviceaccounts (sa).")
  String kind;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME")
  String name;

  @Override
  public void run() {
    MeshctlCommand root = MeshctlCommand.root(spec);
    Class<? extends HasMetadata> type = switch (kind) {
      case "pods", "pod", "po" -> Pod.class;
      case "services", "service", "svc" -> Service.class;
      case "deployments", "deployment", "deploy" -> Deployment.class;
      case "namespaces", "namespace", "ns" -> Namespace.class;
      case "serviceaccounts", "serviceaccount", "sa" -> ServiceAccount.class;
      default -> throw new CommandLine.ParameterException(spec.commandLine(), "unknown kind \"" + kind
          + "\": use pods, services, deployments, namespaces or serviceaccounts");
    };
    Cluster cluster = root.cluster();
    boolean clusterScoped = type == Namespace.class;
    List<? extends HasMetadata> items = new ArrayList<>(
        cluster.list(type, allNamespaces || clusterScoped ? null : namespace));
    if (name != null) {
      items = items.stream().filter(o -> name.equals(o.getMetadata().getName())).toList();
      if (items.isEmpty()) {
        throw new CliException(1, kind + " \"" + name + "\" not found"
            + (clusterScoped ? "" : " in namespace " + namespace));
      }
    }
    items = items.stream().sorted(Comparator
        .comparing((HasMetadata o) -> String.valueOf(o.getMetadata().getNamespace()))
        .thenComparing(o -> o.getMetadata().getName())).toList();
    var out = root.terminal().out();
    switch (output) {
      case "json" -> out.println(write(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT), items));
      case "yaml" -> out.print(write(new ObjectMapper(new YAMLFactory()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)), items));
      case "table", "wide" -> {
        Table table = Tables.of(type, items, allNamespaces && !clusterScoped, showLabels, "wide".equals(output));
        if (table.isEmpty()) {
          root.terminal().err().println("No resources found" + (clusterScoped || allNamespaces ? "" :
              " in " + namespace + " namespace") + ".");
        } else {
          table.print(out);
        }
      }
      default -> throw new CommandLine.ParameterException(spec.commandLine(),
          "unknown output format \"" + output + "\": use table, wide, json or yaml");
    }
    out.flush();
  }

  private static String write(ObjectMapper mapper, List<? extends HasMetadata> items) {
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("apiVersion", "v1");
    list.put("kind", "List");
    list.put("items", items);
    list.put("metadata", Map.of("resourceVersion", ""));
    try {
      return mapper.writeValueAsString(list);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("BUG: cannot serialise objects: " + e.getMessage(), e);
    }
  }
}
