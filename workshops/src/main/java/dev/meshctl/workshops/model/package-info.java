/** Describes workshops as data (steps, checks, probes, expectations) and loads them strictly from resources. */
package dev.meshctl.workshops.model;
