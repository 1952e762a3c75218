package dev.quiver.predict.app;

import ai.djl.engine.Engine;
import dev.quiver.predict.inference.DjlTelemetry;
import dev.quiver.predict.inference.OrtNativeCache;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The predict function's entry point: Quarkus as usual, with DJL's ONNX Runtime engine initialised on a
 * second thread while Quarkus boots.
 *
 * <p>Why: the engine's first use loads ONNX Runtime's native libraries and probes for GPUs, about 0.3 to 0.5 s on
 * a 2-core machine, and would otherwise sit on the path from process start to the first prediction. The libraries
 * come from a cache directory ({@link OrtNativeCache}) rather than being unpacked from their jar at every start.
 * The registry's first call to the engine waits for this one (class initialisation is the lock), so nothing runs
 * twice. Tests and dev mode do not go through this method and initialise the
 * engine when the registry first needs it.
 */
@QuarkusMain
public final class PredictMain {

    private PredictMain() {
    }

    public static void main(String... args) {
        // Quarkus.run names JBoss's log manager, but the engine's thread logs at once (through SLF4J): two threads that
        // start logging together can deadlock, each initialising a class the other's initialisation needs. So the
        // manager is named and started here first, as Quarkus.run would name it.
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        java.util.logging.LogManager.getLogManager();
        Thread warm = new Thread(PredictMain::initEngine, "quiver-engine-init");
        warm.setDaemon(true);
        warm.start();
        Quarkus.run(args);
    }

    private static void initEngine() {
        try {
            OrtNativeCache.install();
            DjlTelemetry.optOut();
            Engine.getEngine("OnnxRuntime");
        } catch (RuntimeException | LinkageError e) {
            // the registry initialises the engine again when it needs it, and reports the failure then
        }
    }
}
