/** placeholder */
package dev.meshctl.core;
