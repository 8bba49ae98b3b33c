/**
 * Serves the lab's sample application: one small HTTP/1.1 and h2c server that plays every service of the
 * bookstore demo (productpage, details, reviews, ratings) or an httpbin-like echo.
 */
package dev.meshctl.lab.sample;
