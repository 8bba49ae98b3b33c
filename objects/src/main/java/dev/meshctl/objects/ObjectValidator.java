package dev.meshctl.objects;

import dev.meshctl.objects.istio.AuthorizationPolicy;
import dev.meshctl.objects.istio.PeerAuthentication;
import dev.meshctl.objects.validation.AuthorizationPolicyRules;
import dev.meshctl.objects.validation.Findings;
import dev.meshctl.objects.validation.GatewayRules;
import dev.meshctl.objects.validation.HttpRouteRules;
import dev.meshctl.objects.validation.MetadataRules;
import dev.meshctl.objects.validation.PeerAuthenticationRules;
import dev.meshctl.objects.validation.ServiceRules;
import dev.meshctl.objects.validation.Violation;
import dev.meshctl.objects.validation.WorkloadRules;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Checks decoded objects against the rules of their kind; pure: no I/O, no state. */
public final class ObjectValidator {
  /** Creates a validator. */
  public ObjectValidator() {}

  /** Returns every rule {@code object} breaks, or an empty list when it is valid. */
  public List<Violation> check(HasMetadata object) {
    Objects.requireNonNull(object, "object");
    Kind kind = Kinds.of(object);
    Findings findings = new Findings();
    boolean labelName = object instanceof Namespace || object instanceof Service;
    MetadataRules.check(object.getMetadata(), labelName, kind.namespaced(), findings);
    if (object instanceof Deployment deployment) {
      WorkloadRules.deployment(deployment, findings);
    } else if (object instanceof Pod pod) {
      WorkloadRules.pod(pod, findings);
    } else if (object instanceof Service service) {
      ServiceRules.service(service, findings);
    } else if (object instanceof AuthorizationPolicy policy) {
      AuthorizationPolicyRules.policy(policy, findings);
    } else if (object instanceof PeerAuthentication peerAuthentication) {
      PeerAuthenticationRules.peerAuthentication(peerAuthentication, findings);
    } else if (object instanceof Gateway gateway) {
      GatewayRules.gateway(gateway, findings);
    } else if (object instanceof HTTPRoute route) {
      HttpRouteRules.route(route, findings);
    }
    return findings.violations();
  }

  /** Returns the problems of one parsed object, naming its source, document and object. */
  public List<Problem> validate(ParsedObject parsed) {
    Objects.requireNonNull(parsed, "parsed");
    List<Problem> problems = new ArrayList<>();
    for (Violation v : check(parsed.object())) {
      problems.add(new Problem(parsed.source(), parsed.document(), parsed.describe(), v.field(), v.message()));
    }
    return problems;
  }

  /**
   * Checks all objects and refuses them together if any is invalid.
   *
   * @throws InvalidObjectsException listing every problem of every object
   */
  public void requireValid(List<ParsedObject> objects) {
    Objects.requireNonNull(objects, "objects");
    List<Problem> problems = new ArrayList<>();
    objects.forEach(o -> problems.addAll(validate(o)));
    if (!problems.isEmpty()) {
      throw new InvalidObjectsException(problems);
    }
  }
}
