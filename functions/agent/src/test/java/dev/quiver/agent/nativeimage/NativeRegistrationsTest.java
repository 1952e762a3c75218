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
        List<String> bound = Records.in(ModelDescriptor.class, NativeRegistrations.PACKAGES);

        assertThat(bound).isNotEmpty();
        assertThat(registered).containsAll(bound);
        for (String name : registered) {
            assertThat(Class.forName(name, false, getClass().getClassLoader())).as(name).isNotNull();
        }
    }
}
