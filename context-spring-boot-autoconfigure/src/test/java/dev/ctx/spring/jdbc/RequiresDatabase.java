package dev.ctx.spring.jdbc;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Runs the annotated tests only when the database is reachable: skipped with a message
 * otherwise, except when the {@code CI} environment variable is set, where an unreachable
 * database fails the tests. Public for the end-to-end tests in
 * {@code dev.ctx.boot.autoconfigure.jdbc}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresDatabase.Condition.class)
public @interface RequiresDatabase {

	TestDatabase value();

	class Condition implements ExecutionCondition {

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			TestDatabase database = AnnotationSupport
				.findAnnotation(context.getRequiredTestClass(), RequiresDatabase.class)
				.map(RequiresDatabase::value)
				.orElseThrow();
			if (database.isReachable()) {
				return ConditionEvaluationResult.enabled(database + " reachable at " + database.url());
			}
			String message = database + " is not reachable at " + database.url()
					+ " (set CONTEXT_TEST_<DB>_URL/_USER/_PASSWORD)";
			if (System.getenv("CI") != null) {
				throw new IllegalStateException(message + "; CI is set, so this is a failure, not a skip");
			}
			return ConditionEvaluationResult.disabled(message);
		}

	}

}
