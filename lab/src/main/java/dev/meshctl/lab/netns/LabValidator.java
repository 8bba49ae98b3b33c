package dev.meshctl.lab.netns;

import dev.meshctl.lab.workload.ImageCatalog;
import dev.meshctl.objects.Kinds;
import dev.meshctl.objects.ParsedObject;
import dev.meshctl.objects.Problem;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks what the netns lab in particular can run: known images, existing namespaces and service accounts, and
 * cluster IPs inside the service CIDR. Pure: it is given what exists and what is being applied.
 */
final class LabValidator {
  private final ImageCatalog images;

  LabValidator(ImageCatalog images) {
    this.images = images;
  }

  /** Returns the problems of {@code objects}, given the namespaces and service accounts ("ns/name") that exist. */
  List<Problem> validate(List<ParsedObject> objects, Set<String> namespaces, Set<String> serviceAccounts) {
    Set<String> ns = new java.util.HashSet<>(namespaces);
    Set<String> sas = new java.util.HashSet<>(serviceAccounts);
    for (ParsedObject p : objects) {
      HasMetadata o = p.object();
      if (o instanceof Namespace) {
        ns.add(o.getMetadata().getName());
      } else if (o instanceof ServiceAccount) {
        sas.add(o.getMetadata().getNamespace() + "/" + o.getMetadata().getName());
      }
    }
    List<Problem> problems = new ArrayList<>();
    for (ParsedObject p : objects) {
      HasMetadata o = p.object();
      String what = Kinds.describe(o);
      String namespace = o.getMetadata().getNamespace();
      if (namespace != null && !ns.contains(namespace)) {
        problems.add(new Problem(p.source(), p.document(), what, "metadata.namespace",
            "namespace \"" + namespace + "\" not found: apply a Namespace object first (or in the same apply)"));
      }
      if (o instanceof Deployment d) {
        checkDeployment(p, d, what, sas, problems);
      } else if (o instanceof Service s) {
        checkService(p, s, what, problems);
      }
    }
    return problems;
  }

  private void checkDeployment(ParsedObject p, Deployment d, String what, Set<String> sas, List<Problem> problems) {
    var spec = d.getSpec().getTemplate().getSpec();
    List<Container> containers = spec.getContainers();
    if (containers.size() != 1) {
      problems.add(new Problem(p.source(), p.document(), what, "spec.template.spec.containers",
          "the netns lab runs one process per pod: give exactly one container (got " + containers.size() + ")"));
    }
    for (int i = 0; i < containers.size(); i++) {
      Container c = containers.get(i);
      String field = "spec.template.spec.containers[" + i + "]";
      if (images.command(c.getImage()).isEmpty()) {
        problems.add(new Problem(p.source(), p.document(), what, field + ".image",
            "unknown image \"" + c.getImage() + "\": the netns lab runs " + String.join(", ", ImageCatalog.known())
                + " (see samples/)"));
      } else if (!ImageCatalog.isIdleClient(c.getImage())
          && ((c.getCommand() != null && !c.getCommand().isEmpty()) || (c.getArgs() != null && !c.getArgs().isEmpty()))) {
        problems.add(new Problem(p.source(), p.document(), what, field + ".command",
            "the netns lab runs the image's own process: remove command/args (configure it with env)"));
      }
      if (c.getEnv() != null) {
        for (int e = 0; e < c.getEnv().size(); e++) {
          if (c.getEnv().get(e).getValueFrom() != null) {
            problems.add(new Problem(p.source(), p.document(), what, field + ".env[" + e + "].valueFrom",
                "valueFrom is not supported by the netns lab: use value (the lab sets POD_NAME, POD_NAMESPACE, "
                    + "NODE_NAME, POD_IP and SERVICE_ACCOUNT itself)"));
          }
        }
      }
    }
    String sa = spec.getServiceAccountName();
    String ns = d.getMetadata().getNamespace();
    if (sa != null && !sa.isBlank() && !"default".equals(sa) && !sas.contains(ns + "/" + sa)) {
      problems.add(new Problem(p.source(), p.document(), what, "spec.template.spec.serviceAccountName",
          "service account \"" + sa + "\" not found in namespace " + ns
              + ": apply the ServiceAccount first (or in the same apply)"));
    }
  }

  private static void checkService(ParsedObject p, Service s, String what, List<Problem> problems) {
    String ip = s.getSpec().getClusterIP();
    if (ip != null && !ip.isBlank() && !(ip.startsWith("10.96.") && ip.split("\\.").length == 4)) {
      problems.add(new Problem(p.source(), p.document(), what, "spec.clusterIP",
          "\"" + ip + "\" is outside the lab's service CIDR " + AddressPlan.SERVICE_CIDR
              + " (headless services are not supported): leave clusterIP unset"));
    }
  }
}
