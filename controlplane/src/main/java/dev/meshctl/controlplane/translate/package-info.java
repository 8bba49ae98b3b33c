/**
 * Translates the {@link dev.meshctl.controlplane.model.MeshModel} into one push
 * {@link dev.meshctl.controlplane.push.Snapshot} per proxy, with no I/O.
 *
 * <p>Choices worth knowing:
 * <ul>
 *   <li>AuthorizationPolicies without targetRefs go to node agents with their L4 part only: an ALLOW rule
 *       with HTTP fields is removed (matches nothing) and a DENY rule keeps its L4 part; {@code has_l7} and
 *       {@code l7_fields} say what was dropped. Policies with targetRefs go only to the waypoint of the
 *       targeted Gateway or Service, with their HTTP fields (scope {@code WAYPOINT}).</li>
 *   <li>PeerAuthentications become DENY Authorizations named {@code converted/<ns>/<name>} that match
 *       connections without a peer identity on the ports they make STRICT. A more specific PERMISSIVE setting
 *       cancels a broader STRICT one because the broader deny leaves those pods out by
 *       {@code not_destination_ips}.</li>
 *   <li>HTTPRoute retries come from the rule's {@code retry} or the route's {@code meshctl.dev/retry-*}
 *       annotations; fault injection from {@code meshctl.dev/fault-*} annotations.</li>
 *   <li>Anything skipped is reported in {@link dev.meshctl.controlplane.translate.Translation#warnings()}.</li>
 * </ul>
 */
package dev.meshctl.controlplane.translate;
