/** Renders workshop text for a terminal: markdown, check marks and colour only where colour belongs. */
package dev.meshctl.workshops.render;
