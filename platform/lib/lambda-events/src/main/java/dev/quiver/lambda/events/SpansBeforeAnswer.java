package dev.quiver.lambda.events;

import jakarta.interceptor.InterceptorBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a Funqy function served on Lambda whose spans must be exported before its answer returns
 * ({@link dev.quiver.function.tracing.InvocationSpans}): Lambda may freeze the environment once the answer is posted.
 * Funqy calls the function once per event, and once per message of an SQS batch.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface SpansBeforeAnswer {
}
