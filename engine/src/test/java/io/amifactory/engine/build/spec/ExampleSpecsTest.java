package io.amifactory.engine.build.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example specs in examples/ (quoted by docs/building.md) read as the docs say. */
class ExampleSpecsTest {
    private static final Path EXAMPLES = Path.of("..", "examples");

    @Test
    void theBuildExampleReads() {
        List<BuildSpec> specs = new BuildSpecReader(null).read(EXAMPLES.resolve("build-webserver.yaml"));
        assertEquals(List.of("webserver", "worker"), specs.stream().map(BuildSpec::name).toList());
        assertEquals(List.of("us-east-1", "eu-west-1"), specs.get(0).regions());
        assertInstanceOf(BuildSpec.BootstrapUrl.class, specs.get(1).customisation());
    }

    @Test
    void theSeed001ExamplesRead() {
        BuildSpec payload = new BuildSpecReader("us-east-1").read(EXAMPLES.resolve("seed001-payload.json")).get(0);
        BuildSpec.Automation a = assertInstanceOf(BuildSpec.Automation.class, payload.customisation());
        assertEquals("DefaultLinuxAmiDocument", a.document());

        BuildSpec withStack = new BuildSpecReader(null).read(EXAMPLES.resolve("build-seed001.yaml")).get(0);
        BuildSpec.Automation b = assertInstanceOf(BuildSpec.Automation.class, withStack.customisation());
        assertEquals(List.of("AmiFactory"), b.parameters().get("Prefix"));
        assertEquals("subnet-0123456789abcdef0", withStack.instance().subnet());
        assertEquals("Webserver-{timestamp}", withStack.imageName());
    }
}
