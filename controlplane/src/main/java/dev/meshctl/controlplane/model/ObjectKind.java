package dev.meshctl.controlplane.model;

import dev.meshctl.objects.istio.AuthorizationPolicy;
import dev.meshctl.objects.istio.PeerAuthentication;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;

/** Names the kinds of object the model indexes; every other kind is ignored. */
enum ObjectKind {
  NAMESPACE, POD, SERVICE, SERVICE_ACCOUNT, DEPLOYMENT, REPLICA_SET, AUTHORIZATION_POLICY, PEER_AUTHENTICATION,
  GATEWAY, HTTP_ROUTE;

  /** Returns the kind of an object, or null for a kind the mesh does not use (ConfigMaps, EndpointSlices, ...). */
  static ObjectKind of(HasMetadata o) {
    if (o instanceof Pod) {
      return POD;
    } else if (o instanceof Service) {
      return SERVICE;
    } else if (o instanceof Namespace) {
      return NAMESPACE;
    } else if (o instanceof AuthorizationPolicy) {
      return AUTHORIZATION_POLICY;
    } else if (o instanceof PeerAuthentication) {
      return PEER_AUTHENTICATION;
    } else if (o instanceof ServiceAccount) {
      return SERVICE_ACCOUNT;
    } else if (o instanceof Deployment) {
      return DEPLOYMENT;
    } else if (o instanceof ReplicaSet) {
      return REPLICA_SET;
    } else if (o instanceof Gateway) {
      return GATEWAY;
    } else if (o instanceof HTTPRoute) {
      return HTTP_ROUTE;
    }
    return null;
  }

  /** Tells whether objects of this kind live in a namespace (all but Namespaces). */
  boolean namespaced() {
    return this != NAMESPACE;
  }
}
