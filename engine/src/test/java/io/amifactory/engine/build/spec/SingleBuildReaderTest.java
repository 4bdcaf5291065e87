package io.amifactory.engine.build.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.input.InputException;
import io.amifactory.engine.input.InputNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SingleBuildReaderTest {
    private static final String HINT = "use the userDataFile parameter";
    private static final String TWO_BUILDS = """
            defaults:
              region: us-east-1
              source: ami-0123456789abcdef0
              userData: "#!/bin/bash\\necho hi"
            builds:
              - name: web
                imageName: "web-{timestamp}"
              - name: worker
                imageName: "worker-{timestamp}"
            """;

    private final SingleBuildReader reader = new SingleBuildReader("eu-west-1", HINT);

    private static InputNode yaml(String text) {
        return InputNode.parse("spec.yaml", text);
    }

    @Test
    void aPipelineMapIsOneBuildInTheDefaultRegion() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("imageName", "web-{timestamp}");
        args.put("source", "ami-0123456789abcdef0");
        args.put("userData", "#!/bin/bash\necho hi");
        args.put("copies", List.of("us-west-2"));
        BuildSpec spec = reader.read(InputNode.ofValue("amiBuild", args), null);
        assertEquals("web", spec.name());
        assertEquals("eu-west-1", spec.region());
        assertEquals(List.of("eu-west-1", "us-west-2"), spec.regions());
    }

    @Test
    void aBadValueInAPipelineMapNamesTheField() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("imageName", "web-{timestamp}");
        args.put("source", "ami-0123456789abcdef0");
        args.put("userData", "#!/bin/bash\necho hi");
        args.put("share", Map.of("accounts", List.of("CHANGEME")));
        InputException e = assertThrows(InputException.class, () -> reader.read(InputNode.ofValue("amiBuild", args), null));
        assertEquals("amiBuild", e.source());
        assertEquals("share.accounts[0]", e.field());
    }

    @Test
    void severalBuildsNeedANameAndTheErrorListsThem() {
        InputException e = assertThrows(InputException.class, () -> reader.read(yaml(TWO_BUILDS), null));
        assertEquals("name", e.field());
        assertTrue(e.getMessage().contains("2 builds (web, worker)"), e.getMessage());
        assertEquals("worker", reader.read(yaml(TWO_BUILDS), "worker").name());
        InputException unknown = assertThrows(InputException.class, () -> reader.read(yaml(TWO_BUILDS), "db"));
        assertTrue(unknown.getMessage().contains("no build named 'db' (it has web, worker)"), unknown.getMessage());
    }

    @Test
    void aSingleBuildDocumentMustMatchTheNameWhenOneIsGiven() {
        String one = "name: web\nimageName: web-{timestamp}\nsource: ami-0123456789abcdef0\nuserData: \"#!/bin/sh\\ntrue\"\n";
        assertEquals("web", reader.read(yaml(one), "web").name());
        assertThrows(InputException.class, () -> reader.read(yaml(one), "worker"));
    }

    @Test
    void aUserDataFileIsRefusedWhereverABuildSettingCanBe(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.sh"), "#!/bin/bash\necho controller-secret\n");
        String file = secret.toAbsolutePath().toString();
        String top = "imageName: web-{timestamp}\nsource: ami-0123456789abcdef0\nuserDataFile: " + file + "\n";
        InputException e = assertThrows(InputException.class, () -> reader.read(yaml(top), null));
        assertEquals("userDataFile", e.field());
        assertEquals(3, e.line());
        assertTrue(e.getMessage().endsWith(HINT), e.getMessage());
        assertTrue(!e.getMessage().contains("controller-secret"), "the file is never read");

        String inDefaults = TWO_BUILDS.replace("  userData: \"#!/bin/bash\\necho hi\"", "  userDataFile: " + file);
        assertEquals("defaults.userDataFile", assertThrows(InputException.class, () -> reader.read(yaml(inDefaults), "web")).field());

        String inBuild = TWO_BUILDS + "  - name: db\n    imageName: db-{timestamp}\n    userDataFile: " + file + "\n";
        assertEquals("builds[2].userDataFile", assertThrows(InputException.class, () -> reader.read(yaml(inBuild), "web")).field());

        String seed = "{\"amis\": [{\"imageName\": \"Web\", \"sourceImage\": \"ami-0123456789abcdef0\", \"userDataFile\": \""
                + file + "\"}]}";
        assertEquals("amis[0].userDataFile", assertThrows(InputException.class, () -> reader.readPayload(yaml(seed), null)).field());
    }

    @Test
    void aTagNamedUserDataFileIsJustATag() {
        String spec = "imageName: web-{timestamp}\nsource: ami-0123456789abcdef0\nuserData: \"#!/bin/sh\\ntrue\"\n"
                + "image: {tags: {userDataFile: none}}\n";
        assertEquals(Map.of("userDataFile", "none"), reader.read(yaml(spec), null).image().tags());
    }

    @Test
    void aPayloadMustBeSeed001Shaped() {
        String seed = "{\"amis\": [{\"imageName\": \"Webserver\", \"sourceImage\": \"ami-0123456789abcdef0\", "
                + "\"bootstrapUrl\": \"https://example.com/web.sh\", \"accounts\": [\"111122223333\"], "
                + "\"automationDocument\": \"AWS-UpdateLinuxAmi\"}]}";
        BuildSpec spec = reader.readPayload(yaml(seed), null);
        assertEquals("Webserver", spec.name());
        assertInstanceOf(BuildSpec.Automation.class, spec.customisation());
        InputException e = assertThrows(InputException.class, () -> reader.readPayload(
                yaml("imageName: web-{timestamp}\nsource: ami-0123456789abcdef0\nuserData: \"#!/bin/sh\\ntrue\"\n"), null));
        assertTrue(e.getMessage().contains("seed 001's payload"), e.getMessage());
    }
}
