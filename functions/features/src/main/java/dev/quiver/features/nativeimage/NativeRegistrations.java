package dev.quiver.features.nativeimage;

import dev.quiver.feature.Entity;
import dev.quiver.feature.Feature;
import dev.quiver.feature.FeatureView;
import dev.quiver.feature.OnlineFeaturesRequest;
import dev.quiver.feature.PushRequest;
import dev.quiver.feature.PushResult;
import dev.quiver.feature.ValueType;
import dev.quiver.function.http.ErrorBody;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Reflection registrations for a GraalVM native image of the features function: the types Jackson binds by
 * reflection that no REST endpoint declares, so Quarkus does not find them on its own. The Feast bodies are read
 * and written by the Vert.x routes (and, in the Lambda build, never seen by Funqy); the definitions file is read
 * into {@code FeatureDefinitions}' own package-private records, named here by their binary names.
 */
@RegisterForReflection(
        targets = {
                OnlineFeaturesRequest.class,
                PushRequest.class,
                PushResult.class,
                ErrorBody.class,
                Entity.class,
                Feature.class,
                FeatureView.BatchSource.class,
                ValueType.class
        },
        classNames = {
                "dev.quiver.feature.FeatureDefinitions$Yaml",
                "dev.quiver.feature.FeatureDefinitions$ViewYaml",
                "dev.quiver.feature.FeatureDefinitions$ServiceYaml"
        })
public final class NativeRegistrations {

    private NativeRegistrations() {
    }
}
