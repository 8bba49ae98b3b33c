/** placeholder */
package dev.meshctl.lab;
