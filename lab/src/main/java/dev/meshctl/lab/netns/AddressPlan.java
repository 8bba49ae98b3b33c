package dev.meshctl.lab.netns;

import dev.meshctl.lab.LabException;

/**
 * Decides the lab's addresses. Every lab lives in namespaces of its own, so all labs share one plan: nodes on
 * 172.18.0.0/24, node i owns pod CIDR 10.244.i.0/24 (gateway .1), services get VIPs from 10.96.0.0/16.
 */
public final class AddressPlan {
  public static final String NODE_PREFIX = "172.18.0.";
  public static final int NODE_PREFIX_LENGTH = 24;
  public static final String CONTROL_PLANE_IP = "172.18.0.2";
  public static final String SERVICE_CIDR = "10.96.0.0/16";
  public static final String POD_CIDR = "10.244.0.0/16";
  private static final int FIRST_POD_HOST = 2;
  private static final int LAST_POD_HOST = 254;
  private static final int FIRST_VIP = 10;

  private AddressPlan() {}

  public static String nodeIp(int index) {
    return NODE_PREFIX + (10 + index);
  }

  public static String podCidr(int index) {
    return "10.244." + index + ".0/24";
  }

  /** Returns the address every pod on node {@code index} uses as its gateway (the node side of its veth). */
  public static String podGateway(int index) {
    return "10.244." + index + ".1";
  }

  /** Returns the {@code host}-th pod address of node {@code index}. */
  public static String podIp(int index, int host) {
    if (host < FIRST_POD_HOST || host > LAST_POD_HOST) {
      throw new LabException("BUG: pod host number " + host + " outside " + FIRST_POD_HOST + ".." + LAST_POD_HOST);
    }
    return "10.244." + index + "." + host;
  }

  public static int firstPodHost() {
    return FIRST_POD_HOST;
  }

  public static int lastPodHost() {
    return LAST_POD_HOST;
  }

  /** Returns the {@code n}-th service VIP (n >= 0). */
  public static String serviceVip(int n) {
    int offset = FIRST_VIP + n;
    if (offset >= 65534) {
      throw new LabException("service CIDR " + SERVICE_CIDR + " is exhausted: delete unused services");
    }
    return "10.96." + (offset / 256) + "." + (offset % 256);
  }
}
