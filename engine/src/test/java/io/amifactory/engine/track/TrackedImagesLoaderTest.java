package io.amifactory.engine.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.input.InputException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrackedImagesLoaderTest {

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(TrackedImagesLoaderTest.class.getResource("/track/" + name).toURI());
    }

    @Test
    void loadsSeed004ParameterExampleVerbatim() throws Exception {
        TrackedImagesFile f = TrackedImagesLoader.load(resource("seed004-parameters.yaml"));
        assertEquals(2, f.images().size());
        TrackedImage first = f.images().get(0);
        assertEquals("al2-eks-1.27", first.name());
        assertEquals(new ImageSource.Parameter("/aws/service/eks/optimized-ami/1.27/amazon-linux-2/recommended/image_id"),
                first.source());
        assertEquals("al2-eks-1.27-arm", f.images().get(1).name());
        assertTrue(first.regions().isEmpty());
    }

    @Test
    void loadsSeed004FilterExampleVerbatim() throws Exception {
        TrackedImagesFile f = TrackedImagesLoader.load(resource("seed004-filters.yaml"));
        ImageSource.Filters src = (ImageSource.Filters) f.images().get(0).source();
        assertEquals("redhat-8.6.0-hvm", f.images().get(0).name());
        assertEquals(Map.of("name", List.of("RHEL-8.6.0_HVM-*-x86_64-*-Hourly2-GP2"), "owner-alias", List.of("amazon")),
                src.filters());
        assertTrue(src.owners().isEmpty());
        assertFalse(src.includeDeprecated());
    }

    @Test
    void loadsNativeYaml() throws Exception {
        TrackedImagesFile f = TrackedImagesLoader.load(resource("native.yaml"));
        assertEquals(List.of("us-east-1", "eu-west-1"), f.defaultRegions());
        TrackedImage ubuntu = f.images().get(1);
        ImageSource.Filters src = (ImageSource.Filters) ubuntu.source();
        assertEquals(List.of("x86_64"), src.filters().get("architecture"));
        assertEquals(List.of("099720109477"), src.owners());
        assertTrue(src.includeDeprecated());
        assertEquals(List.of("eu-central-1"), ubuntu.regions());
        assertEquals("arn:aws:iam::123456789012:role/ami-reader", ubuntu.roleArn());
        assertEquals("factory", ubuntu.externalId());
    }

    @Test
    void loadsNativeJsonWithBotoStyleFilters() throws Exception {
        TrackedImagesFile f = TrackedImagesLoader.load(resource("native.json"));
        assertEquals(List.of("us-west-2"), f.defaultRegions());
        ImageSource.Filters src = (ImageSource.Filters) f.images().get(1).source();
        assertEquals(List.of("RHEL-9.*_HVM-*-x86_64-*"), src.filters().get("name"));
    }

    @Test
    void sameFiltersInAnyOrderAreOneQuery() {
        TrackedImagesFile f = TrackedImagesLoader.parse("t.yaml", """
                images:
                  - {name: a, filters: {name: x-*, architecture: arm64}}
                  - {name: b, filters: {architecture: arm64, name: x-*}}
                """);
        assertEquals(f.images().get(0).source(), f.images().get(1).source());
    }

    @Test
    void seedFilterTextAcceptsDoubleQuotesAndSurroundingList() {
        ImageSource.Filters f = TrackedImagesLoader.parseSeedFilters("Filters",
                "[{\"Name\": \"name\", \"Values\": [\"a-*\", 'b-*']}]");
        assertEquals(List.of("a-*", "b-*"), f.filters().get("name"));
    }

    /** Each bad input: the error names file, line and field. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown key            | images:\\n  - name: a\\n    parameter: /x/y\\n    colour: red                  | t.yaml:4: images[0].colour: unknown key 'colour'
            no source              | images:\\n  - name: a\\n    regions: [us-east-1]                            | t.yaml:2: images[0].parameter: no source
            both sources           | images:\\n  - name: a\\n    parameter: /x/y\\n    filters: {name: b}          | t.yaml:4: images[0].filters: both sources given
            seed both sources      | images:\\n  - Name: a\\n    ParameterPath: /x/y\\n    Filters: \"{'Name': 'name', 'Values': ['x']}\" | t.yaml:4: images[0].Filters: both sources given
            invalid region         | images:\\n  - name: a\\n    parameter: /x/y\\n    regions: [us-east-1, useast2] | t.yaml:4: images[0].regions[1]: 'useast2' is not an AWS region name
            invalid default region | defaults:\\n  regions: [mars-1]\\nimages:\\n  - {name: a, parameter: /x}        | t.yaml:2: defaults.regions[0]: 'mars-1' is not an AWS region
            malformed path         | images:\\n  - name: a\\n    parameter: /aws//service/                      | t.yaml:3: images[0].parameter: '/aws//service/' is not a valid SSM parameter path
            relative path          | images:\\n  - Name: a\\n    ParameterPath: aws/service/x                 | t.yaml:3: images[0].ParameterPath: 'aws/service/x' is not a valid SSM parameter path
            empty filter values    | images:\\n  - name: a\\n    filters:\\n      name: []                        | t.yaml:4: images[0].filters.name: empty filter values for 'name'
            seed empty values      | images:\\n  - Name: a\\n    Filters: \"{'Name': 'name', 'Values': []}\"       | t.yaml:3: images[0].Filters: empty filter values for 'name'
            seed bad text          | images:\\n  - Name: a\\n    Filters: \"{'Name': 'name', 'Values': ['x']\"     | t.yaml:3: images[0].Filters: cannot read the filter text
            seed unknown filter key| images:\\n  - Name: a\\n    Filters: \"{'Name': 'name', 'Value': ['x']}\"     | t.yaml:3: images[0].Filters: filter 1: unknown key 'Value'
            duplicate name         | images:\\n  - {name: a, parameter: /x}\\n  - {name: a, parameter: /y}          | t.yaml:3: images[1]: duplicate name 'a' (first used on line 2)
            bad name               | images:\\n  - {name: 'a b', parameter: /x}                                 | t.yaml:2: images[0].name: 'a b' is not a valid name
            missing name           | images:\\n  - {parameter: /x}                                              | t.yaml:2: images[0].name: is required
            no images              | defaults: {regions: [us-east-1]}                                           | t.yaml:1: images: is required
            unknown top key        | image:\\n  - {name: a, parameter: /x}                                      | t.yaml:1: image: unknown key 'image'
            images not a list      | images: {name: a}                                                          | t.yaml:1: images: must be a list
            owners on parameter    | images:\\n  - {name: a, parameter: /x, owners: [amazon]}                   | t.yaml:2: images[0].owners: only applies to filters
            bad owner              | images:\\n  - {name: a, filters: {name: x}, owners: [bob]}                 | t.yaml:2: images[0].owners[0]: 'bob' is not an owner
            bad role               | images:\\n  - {name: a, parameter: /x, roleArn: 'arn:aws:iam::1:user/x'}   | t.yaml:2: images[0].roleArn: 'arn:aws:iam::1:user/x' is not an IAM role ARN
            not yaml               | images: [\\n                                                                | t.yaml:2: not valid YAML/JSON
            """)
    void rejectsBadInputNamingFileLineAndField(String title, String text, String expected) {
        InputException e = assertThrows(InputException.class,
                () -> TrackedImagesLoader.parse("t.yaml", text.replace("\\n", "\n")));
        assertTrue(e.getMessage().startsWith(expected), () -> "expected '" + expected + "...' but was: " + e.getMessage());
    }

    @Test
    void emptyFileIsAnError() {
        InputException e = assertThrows(InputException.class, () -> TrackedImagesLoader.parse("t.yaml", "# nothing\n"));
        assertEquals("t.yaml: the document is empty", e.getMessage());
    }

    @Test
    void formValidationNamesTheFormField() {
        InputException e = assertThrows(InputException.class, () -> TrackedImagesLoader.validate("ok",
                new ImageSource.Parameter("no good/"), List.of(), null, null));
        assertEquals("parameter", e.field());
        InputException r = assertThrows(InputException.class, () -> TrackedImagesLoader.validate("ok",
                new ImageSource.Parameter("/fine"), List.of("us-east-1", "nowhere"), null, null));
        assertEquals("regions", r.field());
        assertEquals("ok", TrackedImagesLoader.validate("ok", new ImageSource.Parameter("/fine"), List.of("us-east-1"),
                " ", null).name());
    }

    @Test
    void aNotificationQueueIsReadInBothFormatsAndChecked() {
        String yaml = """
                images:
                  - Name: al2023
                    ParameterPath: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
                    NotificationQueue: https://sqs.us-east-1.amazonaws.com/123456789012/al2023-updates
                  - name: windows
                    parameter: /aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base
                    notificationQueue: https://sqs.eu-west-1.amazonaws.com/123456789012/windows-updates.fifo
                  - name: local
                    parameter: /up/os
                    notificationQueue: http://127.0.0.1:5000/123456789012/ami-updates
                  - name: none
                    parameter: /up/none
                """;
        TrackedImagesFile f = TrackedImagesLoader.parse("tracked.yaml", yaml);
        assertEquals("https://sqs.us-east-1.amazonaws.com/123456789012/al2023-updates", f.images().get(0).notificationQueue());
        assertEquals("https://sqs.eu-west-1.amazonaws.com/123456789012/windows-updates.fifo", f.images().get(1).notificationQueue());
        assertEquals("http://127.0.0.1:5000/123456789012/ami-updates", f.images().get(2).notificationQueue());
        assertEquals(null, f.images().get(3).notificationQueue());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "notificationQueue: sqs.us-east-1.amazonaws.com/123456789012/q|4|images[0].notificationQueue|is not an SQS queue URL",
        "notificationQueue: https://sqs.us-east-1.amazonaws.com/1234/q|4|images[0].notificationQueue|is not an SQS queue URL",
        "notificationQueue: https://sqs.useast1.amazonaws.com/123456789012/q|4|images[0].notificationQueue|which is not an AWS region name",
        "notificationQueue: https://example.com/123456789012/q|4|images[0].notificationQueue|is not an SQS queue URL",
        "notificationQueue: arn:aws:sqs:us-east-1:123456789012:q|4|images[0].notificationQueue|is not an SQS queue URL",
        "notificationQueue: https://sqs.us-east-1.amazonaws.com/123456789012/bad name|4|images[0].notificationQueue|is not an SQS queue URL",
    })
    void aMalformedQueueUrlNamesFileLineAndField(String line, int lineNo, String field, String problem) {
        String yaml = "images:\n  - name: os\n    parameter: /up/os\n    " + line + "\n";
        InputException e = assertThrows(InputException.class, () -> TrackedImagesLoader.parse("tracked.yaml", yaml));
        assertEquals("tracked.yaml", e.source());
        assertEquals(lineNo, e.line());
        assertEquals(field, e.field());
        assertTrue(e.problem().contains(problem), e.getMessage());
        assertTrue(e.getMessage().startsWith("tracked.yaml:4: images[0].notificationQueue: '"), e.getMessage());
    }

    @Test
    void aMalformedSeedQueueUrlNamesItsField() {
        String yaml = "images:\n  - Name: os\n    ParameterPath: /up/os\n    NotificationQueue: not-a-url\n";
        InputException e = assertThrows(InputException.class, () -> TrackedImagesLoader.parse("seed.yaml", yaml));
        assertTrue(e.getMessage().startsWith("seed.yaml:4: images[0].NotificationQueue: 'not-a-url' is not an SQS queue URL"),
                e.getMessage());
    }
}
