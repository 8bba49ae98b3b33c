package dev.meshctl.core.config;

/**
 * Decides whether a proxy can run with a new config; a rejected config is NACKed and the proxy
 * keeps the previous one.
 */
@FunctionalInterface
public interface ConfigValidator {

  /**
   * Returns normally to accept {@code candidate}.
   *
   * @param typeUrl the type the triggering response changed
   * @param candidate the full state the proxy would switch to
   * @throws Exception to reject; its message is sent to the control plane, so it should name the
   *     resource and the problem
   */
  void validate(String typeUrl, ConfigState candidate) throws Exception;

  /** Accepts every config that decodes. */
  static ConfigValidator acceptAll() {
    return (typeUrl, candidate) -> { };
  }
}
