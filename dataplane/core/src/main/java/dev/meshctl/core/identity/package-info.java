/**
 * Handles workload identity: SPIFFE IDs, keys, CSRs and PEM, X.509-SVID verification against a trust
 * bundle, certificate renewal timing and fetching certificates from the mesh CA.
 */
package dev.meshctl.core.identity;
