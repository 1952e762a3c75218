package dev.quiver.agent.nativeimage;

import dev.quiver.model.ModelDescriptor;
import dev.quiver.testing.nativeimage.Records;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NativeRegistrationsTest {

    @Test
    void everyRecordAndEnumOfTheBoundPackagesIsRegistered() throws Exception {
        List<String> registered = List.of(NativeRegistrations.class.getAnnotation(RegisterForReflection.class)
                .classNames());

        assertThat(Records.missing(registered, ModelDescriptor.class, NativeRegistrations.PACKAGES)).isEmpty();
    }
}
