/**
 * Checks decoded objects against the rules Kubernetes, Gateway API and Istio enforce, as pure functions from an
 * object to a list of field-level violations.
 */
package dev.meshctl.objects.validation;
