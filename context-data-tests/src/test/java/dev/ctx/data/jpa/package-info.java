/**
 * A Spring Data JPA application on Hibernate.
 */
@NullMarked
package dev.ctx.data.jpa;

import org.jspecify.annotations.NullMarked;
