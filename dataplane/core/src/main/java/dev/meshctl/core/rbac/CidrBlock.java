package dev.meshctl.core.rbac;

import dev.meshctl.api.mesh.Cidr;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An address block such as {@code 10.244.0.0/16}; an IPv4 block never contains an IPv6 address, and the reverse.
 *
 * @param network the block's address
 * @param length the prefix length: 0..32 for IPv4, 0..128 for IPv6
 */
public record CidrBlock(InetAddress network, int length) {

    /** Checks that the length fits the address family. */
    public CidrBlock {
        Objects.requireNonNull(network, "network");
        int max = network.getAddress().length * 8;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length " + length + " of " + network.getHostAddress()
                    + " is not in 0.." + max);
        }
    }

    /**
     * Returns the block a {@link Cidr} describes.
     *
     * @throws IllegalArgumentException if the address is not an IP literal or the length does not fit it
     */
    public static CidrBlock of(Cidr cidr) {
        Objects.requireNonNull(cidr, "cidr");
        return new CidrBlock(parseIp(cidr.getAddress()), cidr.getLength());
    }

    /**
     * Parses an IPv4 or IPv6 literal without any name lookup.
     *
     * @throws IllegalArgumentException if {@code text} is not an IP literal
     */
    public static InetAddress parseIp(String text) {
        Objects.requireNonNull(text, "text");
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(text);
        if (address == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address; write it as 10.0.0.1 or fd00::1");
        }
        return address;
    }

    /** Returns whether {@code address} lies in this block. */
    public boolean contains(InetAddress address) {
        Objects.requireNonNull(address, "address");
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        if (a.length != n.length) {
            return false;
        }
        int whole = length / 8;
        for (int i = 0; i < whole; i++) {
            if (a[i] != n[i]) {
                return false;
            }
        }
        int rest = length % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[whole] & mask) == (n[whole] & mask);
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + length;
    }
}
