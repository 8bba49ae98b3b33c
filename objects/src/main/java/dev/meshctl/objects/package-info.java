/**
 * Turns Kubernetes-style YAML (core, apps, Gateway API and Istio security objects) into validated model objects,
 * refusing bad input with messages that name the file, the object and the field.
 */
package dev.meshctl.objects;
