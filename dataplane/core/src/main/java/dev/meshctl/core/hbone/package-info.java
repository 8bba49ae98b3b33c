/**
 * Carries TCP connections through HTTP/2 CONNECT streams over mutual TLS (HBONE): the server that terminates
 * them, the pooled client that opens them and the relay that splices them to plain TCP.
 */
package dev.meshctl.core.hbone;
