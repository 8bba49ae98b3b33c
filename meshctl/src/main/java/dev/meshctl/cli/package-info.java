/** The meshctl command line: one class per command; it calls the libraries and prints, and holds no mesh logic. */
package dev.meshctl.cli;
