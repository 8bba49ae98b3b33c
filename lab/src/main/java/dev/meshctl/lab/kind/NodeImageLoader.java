package dev.meshctl.lab.kind;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.meshctl.lab.LabException;
import dev.meshctl.lab.Progress;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** Loads an image tarball into kind node containers: copy the archive in, then {@code ctr -n k8s.io images import}. */
public final class NodeImageLoader {
  private final DockerClient docker;

  public NodeImageLoader(DockerClient docker) {
    this.docker = Objects.requireNonNull(docker, "docker");
  }

  /** Connects to the Docker engine this environment points at. */
  public static DockerClient connect() {
    var config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
    return DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost()).build());
  }

  /** Imports {@code tar} into every container of {@code nodes}. */
  public void load(Path tar, List<String> nodes, Progress progress) {
    Objects.requireNonNull(tar, "tar");
    for (String node : nodes) {
      progress.step("loading " + tar.getFileName() + " into node " + node);
      docker.copyArchiveToContainerCmd(node).withHostResource(tar.toString()).withRemotePath("/tmp").exec();
      exec(node, List.of("ctr", "-n", "k8s.io", "images", "import", "/tmp/" + tar.getFileName()));
      exec(node, List.of("rm", "-f", "/tmp/" + tar.getFileName()));
    }
  }

  /** Runs {@code command} in container {@code node}; returns its output or throws naming the command. */
  String exec(String node, List<String> command) {
    ExecCreateCmdResponse exec = docker.execCreateCmd(node).withCmd(command.toArray(String[]::new))
        .withAttachStdout(true).withAttachStderr(true).exec();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      docker.execStartCmd(exec.getId()).exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<
          com.github.dockerjava.api.model.Frame>() {
        @Override
        public void onNext(com.github.dockerjava.api.model.Frame frame) {
          out.writeBytes(frame.getPayload());
        }
      }).awaitCompletion(5, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabException("interrupted while running " + command + " in node " + node, e);
    }
    Long code = docker.inspectExecCmd(exec.getId()).exec().getExitCodeLong();
    if (code == null || code != 0) {
      throw new LabException(String.join(" ", command) + " failed in node " + node + " (exit " + code + "): " + out);
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
