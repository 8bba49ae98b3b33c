package dev.meshctl.controlplane.ca;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Bootstrap tokens that node agents present to the CA (the lab's stand-in for a Kubernetes
 * service-account token). Only SHA-256 hashes are stored, one {@code <node> <hex hash>} line per node,
 * so the file does not let anyone impersonate a node.
 */
public final class NodeCredentials implements NodeAuthenticator {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int TOKEN_BYTES = 32;

    private final Optional<Path> file;
    /** Replaced whole on every change; readers need no lock. */
    private volatile Map<String, byte[]> hashes;

    private NodeCredentials(Optional<Path> file, Map<String, byte[]> hashes) {
        this.file = file;
        this.hashes = hashes;
    }

    /** Opens the credentials stored in {@code file}, which is created on the first {@link #issue}. */
    public static NodeCredentials open(Path file) {
        Objects.requireNonNull(file, "file");
        return new NodeCredentials(Optional.of(file), Files.exists(file) ? parse(file) : Map.of());
    }

    /** Returns credentials kept in memory only. */
    public static NodeCredentials inMemory() {
        return new NodeCredentials(Optional.empty(), Map.of());
    }

    /** Issues a new random token for {@code nodeName}, replacing any earlier one, and returns it. */
    public synchronized String issue(String nodeName) {
        checkNodeName(nodeName);
        byte[] raw = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Map<String, byte[]> next = new TreeMap<>(hashes);
        next.put(nodeName, sha256(token));
        save(next);
        return token;
    }

    /** Revokes the token of {@code nodeName}, if any. */
    public synchronized void revoke(String nodeName) {
        Objects.requireNonNull(nodeName, "nodeName");
        if (hashes.containsKey(nodeName)) {
            Map<String, byte[]> next = new TreeMap<>(hashes);
            next.remove(nodeName);
            save(next);
        }
    }

    /** Returns the node that {@code token} was issued to, comparing against every hash in constant time. */
    public Optional<String> authenticate(String token) {
        Objects.requireNonNull(token, "token");
        byte[] presented = sha256(token);
        String match = null;
        // No early exit: the time taken must not depend on which entry (if any) matched.
        for (Map.Entry<String, byte[]> entry : hashes.entrySet()) {
            if (MessageDigest.isEqual(presented, entry.getValue())) {
                match = entry.getKey();
            }
        }
        return Optional.ofNullable(match);
    }

    private void save(Map<String, byte[]> next) {
        Map<String, byte[]> copy = Map.copyOf(next);
        if (file.isPresent()) {
            StringBuilder text = new StringBuilder("# node bootstrap token hashes (SHA-256); reissue with the CLI to rotate\n");
            new TreeMap<>(copy).forEach((node, hash) ->
                    text.append(node).append(' ').append(HexFormat.of().formatHex(hash)).append('\n'));
            PrivateFiles.write(file.get(), text.toString(), true);
        }
        hashes = copy;
    }

    private static Map<String, byte[]> parse(Path file) {
        Map<String, byte[]> map = new TreeMap<>();
        try {
            int number = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                number++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] parts = trimmed.split(" ");
                if (parts.length != 2 || parts[1].length() != 64) {
                    throw new IllegalArgumentException(file + " line " + number
                            + ": expected '<node> <64 hex digits>'; delete the line and reissue that node's token");
                }
                try {
                    map.put(parts[0], HexFormat.of().parseHex(parts[1]));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + " line " + number + ": the hash is not hex", e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read node credentials " + file + ": " + e.getMessage(), e);
        }
        return Map.copyOf(map);
    }

    private static void checkNodeName(String nodeName) {
        Objects.requireNonNull(nodeName, "nodeName");
        if (nodeName.isEmpty() || nodeName.startsWith("#") || nodeName.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new IllegalArgumentException("node name '" + nodeName + "' must be non-empty printable ASCII"
                    + " without spaces and not start with '#'");
        }
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("BUG: SHA-256 is missing from this JDK", e);
        }
    }
}
