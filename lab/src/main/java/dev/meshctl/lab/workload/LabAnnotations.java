package dev.meshctl.lab.workload;

/** Names the annotations the lab keeps on its Pod objects (where its process and namespace are). */
public final class LabAnnotations {
  public static final String PREFIX = "lab.meshctl.dev/";
  public static final String POD_ID = PREFIX + "pod-id";
  public static final String NETNS = PREFIX + "netns";
  public static final String PID = PREFIX + "pid";
  public static final String START_TIME = PREFIX + "start-time";
  public static final String TEMPLATE_HASH_LABEL = "pod-template-hash";

  private LabAnnotations() {}
}
