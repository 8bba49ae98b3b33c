/** placeholder */
package dev.meshctl.controlplane;
