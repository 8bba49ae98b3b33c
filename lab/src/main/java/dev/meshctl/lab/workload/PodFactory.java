package dev.meshctl.lab.workload;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/** Builds Pod objects from a Deployment's template, named and labelled as Kubernetes does. */
public final class PodFactory {
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RandomGenerator random;

  public PodFactory(RandomGenerator random) {
    this.random = random;
  }

  /** Hashes a pod template, so a changed template is noticed and its pods replaced. */
  public static String templateHash(PodTemplateSpec template) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(JSON.writeValueAsString(template).getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder();
      for (int i = 0; sb.length() < 10; i++) {
        sb.append(ALPHABET.charAt(Math.floorMod(digest[i], ALPHABET.length())));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException | JsonProcessingException e) {
      throw new IllegalStateException("BUG: cannot hash pod template: " + e.getMessage(), e);
    }
  }

  /** Builds a new pending pod of {@code deployment} on {@code node}. */
  public Pod newPod(Deployment deployment, String node) {
    PodTemplateSpec template = deployment.getSpec().getTemplate();
    String hash = templateHash(template);
    ObjectMeta dm = deployment.getMetadata();
    Map<String, String> labels = new HashMap<>();
    if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      labels.putAll(template.getMetadata().getLabels());
    }
    labels.put(LabAnnotations.TEMPLATE_HASH_LABEL, hash);
    String name = dm.getName() + "-" + hash + "-" + suffix();
    return new PodBuilder()
        .withNewMetadata()
          .withName(name)
          .withNamespace(dm.getNamespace())
          .withLabels(labels)
          .addToOwnerReferences(new OwnerReferenceBuilder()
              .withApiVersion("apps/v1").withKind("Deployment").withName(dm.getName()).withUid(dm.getUid())
              .withController(true).build())
        .endMetadata()
        .withSpec(template.getSpec() == null ? null : JSON.convertValue(template.getSpec(), PodSpec.class))
        .editOrNewSpec()
          .withNodeName(node)
          .withServiceAccountName(serviceAccount(template))
        .endSpec()
        .withNewStatus().withPhase("Pending").endStatus()
        .build();
  }

  /** Returns the template's service account, {@code default} when unset, as Kubernetes does. */
  public static String serviceAccount(PodTemplateSpec template) {
    String sa = template.getSpec() == null ? null : template.getSpec().getServiceAccountName();
    return sa == null || sa.isBlank() ? "default" : sa;
  }

  private String suffix() {
    char[] c = new char[5];
    for (int i = 0; i < c.length; i++) {
      c[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    }
    return new String(c);
  }
}
