/**
 * The starter under Spring Data JPA (Hibernate) and Spring Data JDBC.
 */
@NullMarked
package dev.ctx.data;

import org.jspecify.annotations.NullMarked;
