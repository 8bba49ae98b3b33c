package dev.meshctl.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.objects.istio.AuthorizationPolicy;
import dev.meshctl.objects.istio.AuthorizationPolicySpec;
import dev.meshctl.objects.istio.AuthorizationPolicySpec.Action;
import dev.meshctl.objects.istio.PeerAuthentication;
import dev.meshctl.objects.istio.PeerAuthenticationSpec.Mode;
import dev.meshctl.objects.istio.PolicyTargetReference;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectParserTest {
  private final ObjectParser parser = new ObjectParser();

  @Test
  void parsesBookinfoCoreKinds() {
    List<ParsedObject> parsed = parser.parse("bookinfo.yaml", Samples.read("bookinfo.yaml"));

    assertThat(parsed).extracting(p -> (Object) p.object().getClass()).containsExactly(
        Namespace.class, Service.class, ServiceAccount.class, Deployment.class, Pod.class);
    assertThat(parsed).extracting(ParsedObject::document).containsExactly(1, 2, 3, 4, 5);
    assertThat(parsed.get(0).object().getMetadata().getLabels()).containsEntry("istio.io/dataplane-mode", "ambient");
    Deployment reviews = (Deployment) parsed.get(3).object();
    assertThat(reviews.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(0).getContainerPort())
        .isEqualTo(9080);
    assertThat(parsed.get(3).describe()).isEqualTo("Deployment bookinfo/reviews-v1");
    Pod curl = (Pod) parsed.get(4).object();
    assertThat(curl.getMetadata().getNamespace()).as("namespace defaults").isEqualTo("default");
  }

  @Test
  void parsesIstioDocsAuthorizationPoliciesUnchanged() {
    List<ParsedObject> parsed = parser.parse("istio-authz.yaml", Samples.read("istio-authz.yaml"));

    assertThat(parsed).hasSize(8);
    AuthorizationPolicySpec first = ((AuthorizationPolicy) parsed.get(0).object()).getSpec();
    assertThat(first.effectiveAction()).isEqualTo(Action.ALLOW);
    assertThat(first.rules().get(0).from().get(0).source().principals())
        .containsExactly("cluster.local/ns/default/sa/curl");
    assertThat(first.rules().get(1).when().get(0).key()).isEqualTo("request.auth.claims[iss]");

    AuthorizationPolicySpec deny = ((AuthorizationPolicy) parsed.get(1).object()).getSpec();
    assertThat(deny.effectiveAction()).isEqualTo(Action.DENY);
    assertThat(deny.selector().matchLabels()).containsEntry("app", "httpbin").containsEntry("version", "v1");
    assertThat(deny.rules().get(0).from().get(0).source().notNamespaces()).containsExactly("foo");

    AuthorizationPolicy ports = (AuthorizationPolicy) parsed.get(2).object();
    assertThat(ports.getMetadata().getNamespace()).isEqualTo("default");
    assertThat(ports.getSpec().rules().get(0).to().get(0).operation().ports()).containsExactly("8080");

    AuthorizationPolicySpec waypoint = ((AuthorizationPolicy) parsed.get(3).object()).getSpec();
    assertThat(waypoint.targetRefs()).containsExactly(new PolicyTargetReference("", "Service", "productpage", null));
    assertThat(waypoint.rules().get(0).to().get(0).operation().methods()).containsExactly("GET");
    assertThat(waypoint.rules().get(0).to().get(0).operation().hasHttpFields()).isTrue();

    AuthorizationPolicy allowNothing = (AuthorizationPolicy) parsed.get(4).object();
    assertThat(allowNothing.getApiVersion()).isEqualTo("security.istio.io/v1beta1");
    assertThat(allowNothing.getSpec().rules()).isEmpty();

    PeerAuthentication strict = (PeerAuthentication) parsed.get(6).object();
    assertThat(strict.getSpec().mtls().effectiveMode()).isEqualTo(Mode.STRICT);
    PeerAuthentication finance = (PeerAuthentication) parsed.get(7).object();
    assertThat(finance.getSpec().portLevelMtls().get("8080").effectiveMode()).isEqualTo(Mode.DISABLE);
  }

  @Test
  void parsesWaypointGatewayAndWeightedRoute() {
    List<ParsedObject> parsed = parser.parse("waypoint.yaml", Samples.read("waypoint.yaml"));

    Gateway waypoint = (Gateway) parsed.get(0).object();
    assertThat(waypoint.getSpec().getGatewayClassName()).isEqualTo("istio-waypoint");
    assertThat(waypoint.getSpec().getListeners().get(0).getPort()).isEqualTo(15008);
    assertThat(waypoint.getSpec().getListeners().get(0).getProtocol()).isEqualTo("HBONE");
    assertThat(waypoint.getMetadata().getLabels()).containsEntry("istio.io/waypoint-for", "service");

    HTTPRoute route = (HTTPRoute) parsed.get(1).object();
    assertThat(route.getSpec().getParentRefs().get(0).getKind()).isEqualTo("Service");
    assertThat(route.getSpec().getParentRefs().get(0).getGroup()).isEmpty();
    assertThat(route.getSpec().getRules().get(0).getBackendRefs()).extracting(HTTPBackendRef::getWeight)
        .containsExactly(90, 10);
  }

  @Test
  void skipsEmptyDocumentsButCountsThem() {
    String yaml = "---\n---\n# only a comment\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\n";

    List<ParsedObject> parsed = parser.parse("x.yaml", yaml);

    assertThat(parsed).singleElement().satisfies(p -> assertThat(p.document()).isEqualTo(3));
  }

  @Test
  void acceptsKindList() {
    String yaml = """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: Namespace
          metadata: {name: a}
        - apiVersion: v1
          kind: ServiceAccount
          metadata: {name: curl, namespace: a}
        """;

    assertThat(parser.parse("list.yaml", yaml)).extracting(ParsedObject::describe)
        .containsExactly("Namespace a", "ServiceAccount a/curl");
  }

  @Test
  void acceptsJson() {
    String json = "{\"apiVersion\": \"v1\", \"kind\": \"ServiceAccount\", \"metadata\": {\"name\": \"curl\"}}";

    assertThat(parser.parse("sa.json", json)).extracting(ParsedObject::describe)
        .containsExactly("ServiceAccount default/curl");
  }

  @Test
  void readsDirectorySortedAndSkipsOtherFiles(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("b.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n");
    Files.writeString(dir.resolve("a.yml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n");
    Files.writeString(dir.resolve("c.json"), "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"c\"}}");
    Files.writeString(dir.resolve("notes.txt"), "not yaml: [");

    List<ParsedObject> parsed = parser.parse(dir);

    assertThat(parsed).extracting(ParsedObject::describe).containsExactly("Namespace a", "Namespace b", "Namespace c");
    assertThat(parsed.get(0).source()).isEqualTo(dir.resolve("a.yml").toString());
  }

  @Test
  void readsStdinAndFilesTogether(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ns.yaml");
    Files.writeString(file, "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n");
    var stdin = new ByteArrayInputStream(
        "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: curl}\n".getBytes(StandardCharsets.UTF_8));

    List<ParsedObject> parsed = parser.parse(List.of(file.toString(), "-"), stdin);

    assertThat(parsed).extracting(ParsedObject::source).containsExactly(file.toString(), "<stdin>");
  }

  @Test
  void reportsProblemsFromEverySourceAtOnce(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "apiVersion: v1\nkind: Namespace\nmetadata: {name: Bad_Name}\n");
    var stdin = new ByteArrayInputStream("apiVersion: v1\nkind: Secret\nmetadata: {name: x}\n"
        .getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> parser.parse(List.of(bad.toString(), dir.resolve("missing.yaml").toString(), "-"),
        stdin))
        .isInstanceOfSatisfying(InvalidObjectsException.class, e -> assertThat(e.problems())
            .extracting(Problem::source)
            .containsExactly(bad.toString(), dir.resolve("missing.yaml").toString(), "<stdin>"));
  }

  @Test
  void withoutValidationStillDecodesStrictly() {
    String invalidButWellFormed = "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {type: NodePort}\n";

    List<ParsedObject> parsed = ObjectParser.withoutValidation().parse("s.yaml", invalidButWellFormed);

    assertThat(parsed).hasSize(1);
    assertThatThrownBy(() -> ObjectParser.withoutValidation().parse("s.yaml", "apiVersion: v1\nkind: Nope\n"))
        .isInstanceOf(InvalidObjectsException.class);
  }

  @Test
  void writtenYamlReadsBackEqual() {
    for (String sample : List.of("bookinfo.yaml", "istio-authz.yaml", "waypoint.yaml")) {
      for (ParsedObject p : parser.parse(sample, Samples.read(sample))) {
        HasMetadata back = parser.parse("back", ObjectYaml.write(p.object())).get(0).object();
        assertThat(back).as(p.describe()).isEqualTo(p.object());
      }
    }
  }
}
