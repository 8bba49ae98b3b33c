/** Names a peer workload the way both proxies report it: the {@code baggage} header and Istio's app/version labels. */
package dev.meshctl.core.peer;
