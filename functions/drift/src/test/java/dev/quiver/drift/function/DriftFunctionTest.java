package dev.quiver.drift.function;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Every case of {@link DriftFunctionCases}, with the captured window in the embedded directory store. */
@QuarkusTest
@QuarkusTestResource(value = CapturedWindow.class, restrictToAnnotatedClass = true)
class DriftFunctionTest extends DriftFunctionCases {
}
