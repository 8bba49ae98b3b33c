package dev.meshctl.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.objects.validation.Violation;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Table tests: each row is an object that breaks exactly one rule, and the field and words it must be told. */
class ObjectValidatorTest {
  private final ObjectValidator validator = new ObjectValidator();

  private static final String DEPLOY = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
      + "  replicas: %s\n  selector: {matchLabels: %s}\n  template:\n    metadata: {labels: {app: web}}\n"
      + "    spec:\n      containers: %s\n";
  private static final String GOOD_CONTAINERS = "[{name: web, image: 'web:1', ports: [{containerPort: 8080}],"
      + " env: [{name: A, value: b}]}]";
  private static final String SVC = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: %s\n";
  private static final String AP = "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\n"
      + "metadata: {name: p, namespace: foo}\nspec: %s\n";
  private static final String PA = "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\n"
      + "metadata: {name: p, namespace: foo}\nspec: %s\n";
  private static final String GW = "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
      + "metadata: {name: waypoint, labels: {istio.io/waypoint-for: %s}}\nspec: %s\n";
  private static final String ROUTE = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
      + "metadata: {name: r}\nspec: %s\n";
  private static final String WAYPOINT_SPEC =
      "{gatewayClassName: istio-waypoint, listeners: [{name: mesh, port: 15008, protocol: HBONE}]}";
  private static final String PARENT = "parentRefs: [{group: '', kind: Service, name: reviews, port: 9080}]";

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of(DEPLOY.formatted("2", "{app: web}", GOOD_CONTAINERS)),
        Arguments.of(DEPLOY.formatted("0", "{app: web}", GOOD_CONTAINERS)),
        Arguments.of(SVC.formatted("{ports: [{port: 80, targetPort: http}], selector: {app: web}}")),
        Arguments.of(SVC.formatted("{type: ClusterIP, ports: [{name: a, port: 80, targetPort: 8080},"
            + " {name: b, port: 80, protocol: UDP}]}")),
        Arguments.of(AP.formatted("{}")),
        Arguments.of(AP.formatted("{rules: [{}]}")),
        Arguments.of(AP.formatted("{action: CUSTOM, provider: {name: ext-authz}, rules: [{to: [{operation:"
            + " {paths: [/admin/*]}}]}]}")),
        Arguments.of(AP.formatted("{targetRef: {kind: Gateway, group: gateway.networking.k8s.io, name: waypoint}}")),
        Arguments.of(AP.formatted("{rules: [{from: [{source: {principals: ['*'], notPrincipals:"
            + " ['cluster.local/ns/*', '*/sa/curl']}}]}]}")),
        Arguments.of(AP.formatted("{rules: [{when: [{key: source.ip, values: [10.0.0.0/8]}, {key: remote.ip,"
            + " values: ['::1']}, {key: connection.sni, values: [x]}, {key: source.serviceAccount,"
            + " values: [default/curl]}]}]}")),
        Arguments.of(PA.formatted("{selector: {matchLabels: {app: a}}, mtls: {mode: PERMISSIVE}, portLevelMtls:"
            + " {8080: {mode: DISABLE}}}")),
        Arguments.of(GW.formatted("service", WAYPOINT_SPEC)),
        Arguments.of(ROUTE.formatted("{" + PARENT + ", rules: [{matches: [{path: {type: RegularExpression,"
            + " value: '/v[0-9]+/.*'}, method: GET, headers: [{name: x-user, value: jason}]}],"
            + " backendRefs: [{name: reviews-v1, port: 9080, weight: 0}]}]}")));
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        row(DEPLOY.formatted("-1", "{app: web}", GOOD_CONTAINERS), "spec.replicas", "0 or more"),
        row(DEPLOY.formatted("1", "{}", GOOD_CONTAINERS), "spec.selector.matchLabels", "required"),
        row(DEPLOY.formatted("1", "{app: api}", GOOD_CONTAINERS), "spec.selector.matchLabels.app",
            "has app=web"),
        row(DEPLOY.formatted("1", "{app: web}", "[]"), "spec.template.spec.containers", "at least one"),
        row(DEPLOY.formatted("1", "{app: web}", "[{name: web}]"), "spec.template.spec.containers[0].image",
            "required"),
        row(DEPLOY.formatted("1", "{app: web}", "[{name: web, image: x, ports: [{containerPort: 0}]}]"),
            "spec.template.spec.containers[0].ports[0].containerPort", "between 1 and 65535"),
        row(DEPLOY.formatted("1", "{app: web}", "[{name: web, image: x, env: [{value: v}]}]"),
            "spec.template.spec.containers[0].env[0].name", "needs a name"),
        row(DEPLOY.formatted("1", "{app: web}", "[{name: Web, image: x}]"),
            "spec.template.spec.containers[0].name", "DNS-1123 label"),
        row(DEPLOY.formatted("1", "{app: web}", GOOD_CONTAINERS).replace("name: web}", "name: web.v1}"),
            "metadata.name", null),
        row(DEPLOY.formatted("1", "{app: web}", GOOD_CONTAINERS).replace("{name: web}", "{name: Web}"),
            "metadata.name", "DNS-1123 subdomain"),
        row("apiVersion: v1\nkind: Namespace\nmetadata: {name: a.b}\n", "metadata.name", "DNS-1123 label"),
        row("apiVersion: v1\nkind: Namespace\nmetadata: {name: a, labels: {'bad key!': x}}\n",
            "metadata.labels[bad key!]", "label key"),
        row(SVC.formatted("{ports: [{port: 70000}]}"), "spec.ports[0].port", "between 1 and 65535"),
        row(SVC.formatted("{ports: []}"), "spec.ports", "at least one"),
        row(SVC.formatted("{ports: [{name: a, port: 80}, {name: b, port: 80}]}"), "spec.ports[1].port",
            "duplicate port 80/TCP"),
        row(SVC.formatted("{ports: [{port: 80}, {name: b, port: 81}]}"), "spec.ports[0].name",
            "more than one port"),
        row(SVC.formatted("{ports: [{port: 80, targetPort: 0}]}"), "spec.ports[0].targetPort", "between 1"),
        row(SVC.formatted("{ports: [{port: 80, targetPort: Not_A_Name}]}"), "spec.ports[0].targetPort",
            "not a valid port name"),
        row(SVC.formatted("{type: NodePort, ports: [{port: 80}]}"), "spec.type", "only ClusterIP"),
        row(SVC.formatted("{ports: [{port: 80, protocol: HTTP}]}"), "spec.ports[0].protocol", "TCP, UDP or SCTP"),
        row(AP.formatted("{action: allow}"), "spec.action", "ALLOW, DENY, AUDIT or CUSTOM"),
        row(AP.formatted("{action: CUSTOM}"), "spec.provider.name", "required when action is CUSTOM"),
        row(AP.formatted("{action: DENY, provider: {name: x}}"), "spec.provider", "only allowed with action CUSTOM"),
        row(AP.formatted("{selector: {matchLabels: {app: a}}, targetRefs: [{kind: Service, group: '', name: a}]}"),
            "spec.selector", "not both"),
        row(AP.formatted("{targetRef: {kind: Service, group: '', name: a}, targetRefs: [{kind: Service,"
            + " group: '', name: b}]}"), "spec.targetRef", "not both"),
        row(AP.formatted("{targetRefs: [{kind: Service, group: gateway.networking.k8s.io, name: a}]}"),
            "spec.targetRefs[0].group", "must be \"\""),
        row(AP.formatted("{targetRefs: [{kind: Pod, name: a}]}"), "spec.targetRefs[0].kind", "Gateway"),
        row(AP.formatted("{targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io}]}"),
            "spec.targetRefs[0].name", "required"),
        row(AP.formatted("{rules: [{from: [{}]}]}"), "spec.rules[0].from[0].source", "needs a source"),
        row(AP.formatted("{rules: [{from: [{source: {}}]}]}"), "spec.rules[0].from[0].source",
            "at least one field"),
        row(AP.formatted("{rules: [{to: [{operation: {}}]}]}"), "spec.rules[0].to[0].operation",
            "at least one field"),
        row(AP.formatted("{rules: [{to: [{operation: {ports: [http]}}]}]}"), "spec.rules[0].to[0].operation.ports[0]",
            "written as a string"),
        row(AP.formatted("{rules: [{to: [{operation: {notPorts: ['0']}}]}]}"),
            "spec.rules[0].to[0].operation.notPorts[0]", "between 1 and 65535"),
        row(AP.formatted("{rules: [{from: [{source: {ipBlocks: [10.0.0.0/33]}}]}]}"),
            "spec.rules[0].from[0].source.ipBlocks[0]", "prefix length"),
        row(AP.formatted("{rules: [{from: [{source: {notRemoteIpBlocks: [example.com]}}]}]}"),
            "spec.rules[0].from[0].source.notRemoteIpBlocks[0]", "not an IP address"),
        row(AP.formatted("{rules: [{from: [{source: {principals: ['cluster.local/*/sa/curl']}}]}]}"),
            "spec.rules[0].from[0].source.principals[0]", "prefix or suffix"),
        row(AP.formatted("{rules: [{from: [{source: {namespaces: ['']}}]}]}"),
            "spec.rules[0].from[0].source.namespaces[0]", "must not be empty"),
        row(AP.formatted("{rules: [{when: [{key: request.method, values: [GET]}]}]}"), "spec.rules[0].when[0].key",
            "unsupported key"),
        row(AP.formatted("{rules: [{when: [{key: source.ip}]}]}"), "spec.rules[0].when[0]", "values or notValues"),
        row(AP.formatted("{rules: [{when: [{key: destination.port, values: [abc]}]}]}"),
            "spec.rules[0].when[0].values[0]", "port number"),
        row(PA.formatted("{mtls: {mode: strict}}"), "spec.mtls.mode", "UNSET, DISABLE, PERMISSIVE or STRICT"),
        row(PA.formatted("{mtls: {mode: STRICT}, portLevelMtls: {8080: {mode: DISABLE}}}"), "spec.portLevelMtls",
            "needs a workload selector"),
        row(PA.formatted("{selector: {matchLabels: {app: a}}, portLevelMtls: {http: {mode: DISABLE}}}"),
            "spec.portLevelMtls.http", "port numbers"),
        row(PA.formatted("{selector: {matchLabels: {app: a}}, portLevelMtls: {8080: {mode: OFF}}}"),
            "spec.portLevelMtls[8080].mode", "UNSET, DISABLE"),
        row(GW.formatted("everything", WAYPOINT_SPEC), "metadata.labels[istio.io/waypoint-for]",
            "service, workload, all or none"),
        row(GW.formatted("service", "{listeners: [{name: mesh, port: 15008, protocol: HBONE}]}"),
            "spec.gatewayClassName", "required"),
        row(GW.formatted("service", "{gatewayClassName: istio-waypoint, listeners: []}"), "spec.listeners",
            "at least one listener"),
        row(GW.formatted("service", "{gatewayClassName: istio-waypoint, listeners: [{name: mesh, port: 0,"
            + " protocol: HBONE}]}"), "spec.listeners[0].port", "between 1 and 65535"),
        row(GW.formatted("service", "{gatewayClassName: istio-waypoint, listeners: [{name: mesh, port: 15008}]}"),
            "spec.listeners[0].protocol", "required"),
        row(ROUTE.formatted("{rules: [{backendRefs: [{name: a, port: 80}]}]}"), "spec.parentRefs",
            "at least one parentRef"),
        row(ROUTE.formatted("{" + PARENT + ", rules: [{backendRefs: [{name: a, port: 80, weight: -1}]}]}"),
            "spec.rules[0].backendRefs[0].weight", "between 0 and 1000000"),
        row(ROUTE.formatted("{" + PARENT + ", rules: [{backendRefs: [{name: a}]}]}"),
            "spec.rules[0].backendRefs[0].port", "required"),
        row(ROUTE.formatted("{" + PARENT + ", rules: [{matches: [{path: {type: Prefix, value: /}}]}]}"),
            "spec.rules[0].matches[0].path.type", "Exact, PathPrefix or RegularExpression"),
        row(ROUTE.formatted("{" + PARENT + ", rules: [{matches: [{path: {type: RegularExpression,"
            + " value: '/(a'}}]}]}"), "spec.rules[0].matches[0].path.value", "invalid regular expression"),
        row(ROUTE.formatted("{" + PARENT + ", rules: [{matches: [{path: {type: Exact, value: api}}]}]}"),
            "spec.rules[0].matches[0].path.value", "must start with \"/\""),
        row(ROUTE.formatted("{parentRefs: [{kind: Pod, name: x}]}"), "spec.parentRefs[0].kind",
            "Gateway or Service"));
  }

  private static Arguments row(String yaml, String field, String words) {
    return Arguments.of(yaml, field, words);
  }

  @ParameterizedTest
  @MethodSource("valid")
  void acceptsValidObjects(String yaml) {
    ParsedObject parsed = ObjectParser.withoutValidation().parse("case", yaml).get(0);

    assertThat(validator.check(parsed.object())).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void refusesBrokenRuleNamingTheField(String yaml, String field, String words) {
    ParsedObject parsed = ObjectParser.withoutValidation().parse("case", yaml).get(0);

    List<Violation> violations = validator.check(parsed.object());

    if (field.equals("metadata.name") && words == null) {
      assertThat(violations).as("dots are fine in subdomain names").isEmpty();
      return;
    }
    assertThat(violations).as(yaml).singleElement().satisfies(v -> {
      assertThat(v.field()).isEqualTo(field);
      assertThat(v.message()).contains(words);
    });
  }

  @Test
  void requireValidCollectsProblemsOfAllObjects() {
    List<ParsedObject> objects = ObjectParser.withoutValidation().parse("two.yaml",
        SVC.formatted("{ports: [{port: 0}]}") + "---\n" + PA.formatted("{mtls: {mode: x}}"));

    assertThatThrownBy(() -> validator.requireValid(objects))
        .isInstanceOfSatisfying(InvalidObjectsException.class, e -> assertThat(e.problems())
            .extracting(Problem::toString)
            .containsExactly(
                "two.yaml (document 1): Service default/web: spec.ports[0].port: must be a port number between 1"
                    + " and 65535, got 0",
                "two.yaml (document 2): PeerAuthentication foo/p: spec.mtls.mode: must be UNSET, DISABLE,"
                    + " PERMISSIVE or STRICT, got \"x\""));
  }
}
