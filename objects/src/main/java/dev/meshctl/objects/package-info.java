/** placeholder */
package dev.meshctl.objects;
