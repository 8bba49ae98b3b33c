package dev.meshctl.workshops.runner;

import dev.meshctl.workshops.check.CheckEngine;
import dev.meshctl.workshops.check.FakeExecutor;
import dev.meshctl.workshops.check.ProbeRunner;
import dev.meshctl.workshops.model.ResourceReader;
import dev.meshctl.workshops.model.WorkshopCatalog;
import dev.meshctl.workshops.render.Console;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** A workspace over an in-memory two-step workshop, a fake executor and captured output. */
final class TestWorkspace {
  static final String WORKSHOP = """
      title: Demo
      prerequisites: {nodes: 2, mesh: true, setup: ["meshctl apply -f {{samples}}/curl/curl.yaml"]}
      files: [policy.yaml]
      steps:
        - id: deploy
          title: Deploy
          instructions: steps/one.md
          commands: ["meshctl apply -f {{dir}}/policy.yaml"]
          checks:
            - name: pods run
              probe: {type: command, run: get-pids}
              expect: {contains: Running}
              hint: Look at the pods.
              save: pids
        - id: enroll
          title: Enroll & check
          instructions: steps/two.md
          commands: ["meshctl label namespace default istio.io/dataplane-mode=ambient"]
          checks:
            - name: same pids
              probe: {type: command, run: get-pids}
              expect: {contains: "{{pids}}"}
              hint: Pods must not restart.
            - name: curl is denied
              probe: {type: http, from: deploy/notcurl, url: 'http://productpage:9080/'}
              expect: {exitCode: 56}
              hint: Check the <policy> & its "selector".
      """;

  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  final AtomicBoolean labUp = new AtomicBoolean(true);
  final FakeExecutor executor;
  final Workspace workspace;

  TestWorkspace(Path root, FakeExecutor executor) {
    this.executor = executor;
    WorkshopCatalog catalog = new WorkshopCatalog(ResourceReader.of(Map.of(
        "index.yaml", "workshops: [01-demo]\n",
        "01-demo/workshop.yaml", WORKSHOP,
        "01-demo/steps/one.md", "# Deploy\nDeploy `it`.\n",
        "01-demo/steps/two.md", "# Enroll\n",
        "01-demo/policy.yaml", "kind: AuthorizationPolicy\n")));
    Path labDir = root.resolve("labs/demo");
    labDir.toFile().mkdirs();
    workspace = new Workspace("demo", catalog, executor, new CheckEngine(new ProbeRunner(executor), d -> { }),
        new ProgressStore(labDir, root.resolve("workshops/demo.json"), labUp::get), root.resolve("files"),
        root.resolve("work"), Path.of("/repo/samples"), labUp::get,
        new Console(new PrintWriter(out, true), new PrintWriter(err, true), false));
  }
}
