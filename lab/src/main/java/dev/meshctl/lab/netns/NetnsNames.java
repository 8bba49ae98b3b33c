package dev.meshctl.lab.netns;

import java.util.regex.Pattern;

/**
 * Names the namespaces and links of a lab. Links live inside the lab's namespaces, never in the host's, so their
 * names only need to be unique per namespace; namespace names carry the lab name so labs never collide.
 */
public final class NetnsNames {
  public static final String BRIDGE = "br0";
  public static final String POD_IFACE = "eth0";
  public static final String NODE_IFACE = "eth0";
  private final String lab;
  private final Pattern owned;

  public NetnsNames(String lab) {
    this.lab = lab;
    this.owned = Pattern.compile("mc-" + Pattern.quote(lab) + "-(net|cp|node\\d+|pod\\d+)");
  }

  public String network() {
    return "mc-" + lab + "-net";
  }

  public String controlPlane() {
    return "mc-" + lab + "-cp";
  }

  public String node(int index) {
    return "mc-" + lab + "-node" + index;
  }

  public String pod(long id) {
    return "mc-" + lab + "-pod" + id;
  }

  /** Names the bridge-side end of node {@code index}'s link. */
  public static String bridgePort(int index) {
    return "n" + index;
  }

  /** Names the node-side end of pod {@code id}'s link (at most 15 characters for ids below 10^13). */
  public static String podVeth(long id) {
    return "vp" + id;
  }

  /** Tells whether a namespace name belongs to this lab. */
  public boolean owns(String netns) {
    return owned.matcher(netns).matches();
  }
}
