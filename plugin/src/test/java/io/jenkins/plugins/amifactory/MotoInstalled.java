package io.jenkins.plugins.amifactory;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Enables a {@link WithMoto} test only where {@code python3 -m moto.server} can run. */
public final class MotoInstalled implements ExecutionCondition {
    private static volatile Boolean installed;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return installed()
                ? ConditionEvaluationResult.enabled("Moto is installed")
                : ConditionEvaluationResult.disabled("Moto is not installed here (pip install 'moto[server]'): "
                        + "the tests against the AWS emulator are skipped");
    }

    private static boolean installed() {
        if (installed == null) {
            installed = probe();
        }
        return installed;
    }

    private static boolean probe() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import moto.server").redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
