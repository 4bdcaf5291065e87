package io.jenkins.plugins.amifactory;

import io.amifactory.engine.testkit.MotoExtension;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that runs against Moto (the engine's {@link MotoExtension}: one per JVM, reset per test). Where
 * Python's Moto is not installed the class is skipped, not failed: the plugin's tests run on developers'
 * controllers-to-be, not only on the CI machine that installs Moto.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith({MotoInstalled.class, MotoExtension.class})
public @interface WithMoto {
}
