/**
 * Keeps objects in a directory, one YAML file per object written atomically, and reports changes to watchers;
 * this is how the lab hands objects to the control plane.
 */
package dev.meshctl.objects.store;
