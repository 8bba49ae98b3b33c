package dev.meshctl.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectParserErrorsTest {
  private final ObjectParser parser = new ObjectParser();

  private List<Problem> problems(String yaml) {
    InvalidObjectsException e = catchThrowableOfType(InvalidObjectsException.class,
        () -> parser.parse("samples/x.yaml", yaml));
    assertThat(e).as("expected the input to be refused").isNotNull();
    return e.problems();
  }

  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: reviews-v1
      spec:
        replicas: %s
        selector:
          matchLabels: {app: reviews}
        template:
          metadata:
            labels: {app: reviews}
          spec:
            containers:
            - name: reviews
              image: reviews:v1
              ports:
              - containerPort: %s
      """;

  @Test
  void malformedYamlNamesLineAndColumn() {
    List<Problem> problems = problems("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: [a\n");

    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.document()).isEqualTo(1);
      assertThat(p.message()).startsWith("malformed YAML at line 5, column 1");
    });
  }

  @Test
  void malformedYamlInLaterDocumentKeepsEarlierProblems() {
    String yaml = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n---\na: b: c\n";

    assertThat(problems(yaml)).extracting(Problem::document, Problem::field)
        .containsExactly(tuple(1, "kind"), tuple(2, null));
  }

  @Test
  void duplicateKeyIsRefused() {
    assertThat(problems("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\nmetadata: {name: b}\n"))
        .singleElement().satisfies(p -> assertThat(p.message()).contains("Duplicate").contains("metadata"));
  }

  @Test
  void wrongTypeNamesFieldPath() {
    List<Problem> problems = problems("---\n" + DEPLOYMENT.formatted("1", "80") + "---\n"
        + DEPLOYMENT.formatted("three", "80"));

    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.toString()).isEqualTo("samples/x.yaml (document 2): Deployment default/reviews-v1:"
          + " spec.replicas: expected an integer, got \"three\"");
    });
  }

  @Test
  void wrongTypeDeepInsideListsNamesIndexes() {
    assertThat(problems(DEPLOYMENT.formatted("1", "[80]"))).singleElement().satisfies(p -> {
      assertThat(p.field()).isEqualTo("spec.template.spec.containers[0].ports[0].containerPort");
      assertThat(p.message()).isEqualTo("expected an integer, got a list");
    });
  }

  @Test
  void unknownFieldInFabric8ModelIsAnError() {
    String yaml = DEPLOYMENT.formatted("1", "80").replace("image: reviews:v1",
        "image: reviews:v1\n        imagePolicy: Always");

    assertThat(problems(yaml)).singleElement().satisfies(p -> {
      assertThat(p.object()).isEqualTo("Deployment default/reviews-v1");
      assertThat(p.field()).isEqualTo("spec.template.spec.containers[0].imagePolicy");
      assertThat(p.message()).startsWith("unknown field \"imagePolicy\"").contains("imagePullPolicy");
    });
  }

  @Test
  void misindentedFieldIsReportedWhereItLanded() {
    String yaml = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nports:\n- port: 80\n";

    assertThat(problems(yaml)).extracting(Problem::field).containsExactly("ports");
  }

  @Test
  void unknownFieldInIstioModelIsAnError() {
    String yaml = """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: p, namespace: foo}
        spec:
          rules:
          - from:
            - source:
                principal: ["cluster.local/ns/default/sa/curl"]
        """;

    assertThat(problems(yaml)).singleElement().satisfies(p -> {
      assertThat(p.object()).isEqualTo("AuthorizationPolicy foo/p");
      assertThat(p.field()).isEqualTo("spec.rules[0].from[0].source.principal");
      assertThat(p.message()).contains("unknown field \"principal\"").contains("principals");
    });
  }

  @Test
  void unknownMetadataFieldInIstioModelIsAnError() {
    String yaml = "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: p, lables: {}}\n";

    assertThat(problems(yaml)).extracting(Problem::field).containsExactly("metadata.lables");
  }

  @Test
  void unknownKindListsSupportedKinds() {
    assertThat(problems("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n")).singleElement().satisfies(p -> {
      assertThat(p.object()).isEqualTo("Secret default/s");
      assertThat(p.field()).isEqualTo("kind");
      assertThat(p.message()).contains("unsupported kind \"Secret\"").contains("apps/v1 Deployment")
          .contains("security.istio.io/v1 AuthorizationPolicy");
    });
  }

  @Test
  void unsupportedApiVersionOfKnownKindSaysWhichToUse() {
    assertThat(problems("apiVersion: security.istio.io/v1alpha1\nkind: AuthorizationPolicy\nmetadata: {name: p}\n"))
        .singleElement().satisfies(p -> {
          assertThat(p.field()).isEqualTo("apiVersion");
          assertThat(p.message()).contains("security.istio.io/v1 or security.istio.io/v1beta1");
        });
  }

  @Test
  void missingKindAndNonObjectsAreRefused() {
    assertThat(problems("apiVersion: v1\nmetadata: {name: a}\n---\n- a\n- b\n"))
        .extracting(Problem::field, Problem::message)
        .containsExactly(
            tuple("kind", "missing; every object needs apiVersion and kind"),
            tuple(null, "expected an object with apiVersion and kind, got a list"));
  }

  @Test
  void missingNameIsRefused() {
    assertThat(problems("apiVersion: v1\nkind: ServiceAccount\nmetadata: {namespace: a}\n"))
        .singleElement().satisfies(p -> {
          assertThat(p.object()).isEqualTo("ServiceAccount a/(no name)");
          assertThat(p.field()).isEqualTo("metadata.name");
        });
  }

  @Test
  void badPortIsRefused() {
    assertThat(problems(DEPLOYMENT.formatted("1", "70000"))).singleElement().satisfies(p -> {
      assertThat(p.field()).isEqualTo("spec.template.spec.containers[0].ports[0].containerPort");
      assertThat(p.message()).contains("between 1 and 65535").contains("70000");
    });
  }

  @Test
  void selectorNotMatchingTemplateIsRefused() {
    String yaml = DEPLOYMENT.formatted("1", "80").replace("matchLabels: {app: reviews}", "matchLabels: {app: rev}");

    assertThat(problems(yaml)).singleElement().satisfies(p -> {
      assertThat(p.field()).isEqualTo("spec.selector.matchLabels.app");
      assertThat(p.message()).contains("app=rev").contains("app=reviews");
    });
  }

  @Test
  void listItemsAreNamedByIndex() {
    String yaml = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: a, x: 1}\n";

    assertThat(problems(yaml)).extracting(Problem::field).containsExactly("items[0].metadata.x");
  }

  @Test
  void reportsSeveralProblemsAtOnceOneLineEach() {
    String yaml = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n---\n"
        + DEPLOYMENT.formatted("-1", "0")
        + "---\napiVersion: v1\nkind: Service\nmetadata: {name: Web}\nspec:\n  type: LoadBalancer\n"
        + "  ports: [{port: 80}]\n";

    InvalidObjectsException e = catchThrowableOfType(InvalidObjectsException.class,
        () -> parser.parse("samples/x.yaml", yaml));

    assertThat(e.problems()).extracting(Problem::document, Problem::field).containsExactly(
        tuple(1, "kind"),
        tuple(2, "spec.replicas"),
        tuple(2, "spec.template.spec.containers[0].ports[0].containerPort"),
        tuple(3, "metadata.name"),
        tuple(3, "spec.type"));
    assertThat(e.getMessage().lines()).hasSize(5);
  }

  @Test
  void sameObjectTwiceIsRefused() {
    String ns = "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n";

    assertThat(problems(ns + "---\n" + ns)).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("defined twice").contains("document 1"));
  }
}
