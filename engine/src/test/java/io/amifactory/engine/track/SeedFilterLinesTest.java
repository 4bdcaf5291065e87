package io.amifactory.engine.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.amifactory.engine.input.InputException;
import org.junit.jupiter.api.Test;

/**
 * Seed 004 writes its Filters as Python text over several lines, usually as a folded block scalar
 * ({@code Filters: >-}). A mistake inside that text is reported on the line it is written on, not on the line
 * of the {@code Filters:} key.
 */
class SeedFilterLinesTest {
    /** Seed 004's README example; line 13 holds the second filter's 'Name' key. */
    private static String seed004(String folded, String secondNameKey) {
        return """
                images:
                  - Name: al2-eks-1.27
                    ParameterPath: "/aws/service/eks/optimized-ami/1.27/amazon-linux-2/recommended/image_id"
                  - Name: al2-eks-1.27-arm
                    ParameterPath: "/aws/service/eks/optimized-ami/1.27/amazon-linux-2-arm64/recommended/image_id"
                  - Name: redhat-8.6.0-hvm
                    Filters: %s
                      {
                        'Name': 'name',
                        'Values': ['RHEL-8.6.0_HVM-*-x86_64-*-Hourly2-GP2']
                      },
                      {
                        '%s': 'owner-alias',
                        'Values': ['amazon']
                      }
                """.formatted(folded, secondNameKey);
    }

    private static String error(String text) {
        return assertThrows(InputException.class, () -> TrackedImagesLoader.parse("pasted YAML", text)).getMessage();
    }

    @Test
    void anUnknownKeyInAFoldedBlockIsReportedOnItsOwnLine() {
        assertEquals("pasted YAML:13: images[2].Filters: filter 2: unknown key 'Nam' (accepted: Name, Values)",
                error(seed004(">-", "Nam")));
    }

    @Test
    void anUnknownKeyInALiteralBlockIsReportedOnItsOwnLine() {
        assertEquals("pasted YAML:13: images[2].Filters: filter 2: unknown key 'Nam' (accepted: Name, Values)",
                error(seed004("|", "Nam")));
    }

    @Test
    void aSyntaxErrorInAFoldedBlockIsReportedOnItsOwnLine() {
        String text = seed004(">-", "Name").replace("'Values': ['amazon']", "'Values': ['amazon'");
        assertEquals(15, lineOf(error(text)), "the closing brace where the list should have ended");
    }

    @Test
    void aProblemWithAFilterIsReportedWhereThatFilterStarts() {
        String text = seed004(">-", "Name").replace("'Values': ['amazon']", "'Values': []");
        assertEquals("pasted YAML:12: images[2].Filters: empty filter values for 'owner-alias'", error(text));
    }

    @Test
    void aQuotedValueOverSeveralLinesMapsItsLinesToo() {
        String text = """
                images:
                  - Name: rhel
                    Filters: "{'Name': 'name', 'Values': ['RHEL-*']},
                      {'Nme': 'owner-alias', 'Values': ['amazon']}"
                """;
        assertEquals("t.yaml:4: images[0].Filters: filter 2: unknown key 'Nme' (accepted: Name, Values)",
                assertThrows(InputException.class, () -> TrackedImagesLoader.parse("t.yaml", text)).getMessage());
    }

    @Test
    void aOneLineValueKeepsItsLine() {
        String text = "images:\n  - Name: a\n    Filters: \"{'Name': 'name', 'Value': ['x']}\"\n";
        assertEquals("t.yaml:3: images[0].Filters: filter 1: unknown key 'Value' (accepted: Name, Values)",
                assertThrows(InputException.class, () -> TrackedImagesLoader.parse("t.yaml", text)).getMessage());
    }

    private static int lineOf(String message) {
        String afterSource = message.substring(message.indexOf(':') + 1);
        return Integer.parseInt(afterSource.substring(0, afterSource.indexOf(':')));
    }
}
