/**
 * Auto-configuration for request contexts in Spring MVC.
 */
@NullMarked
package dev.ctx.boot.autoconfigure.web;

import org.jspecify.annotations.NullMarked;
