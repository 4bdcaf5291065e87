package io.amifactory.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class Ec2GlobTest {
    @Test
    void starIsAnyRunQuestionMarkIsOneCharacterTheRestIsLiteralAndCaseCounts() {
        assertTrue(Ec2Glob.matches("al2023-ami-*-x86_64", "al2023-ami-2023.6.20260220.0-kernel-6.1-x86_64"));
        assertTrue(Ec2Glob.matches("al2023-ami-*", "al2023-ami-"), "a star matches nothing too");
        assertTrue(Ec2Glob.matches("*", ""));
        assertTrue(Ec2Glob.matches("os-?", "os-7"));
        assertFalse(Ec2Glob.matches("os-?", "os-"), "? is exactly one character");
        assertFalse(Ec2Glob.matches("os-?", "os-12"));
        assertFalse(Ec2Glob.matches("AL2023-*", "al2023-ami"), "case-sensitive");
        assertTrue(Ec2Glob.matches("a.b[c]+(d)", "a.b[c]+(d)"), "regex characters are literal");
        assertFalse(Ec2Glob.matches("a.b", "aXb"));
        assertTrue(Ec2Glob.matches("*-*-x86_64", "ubuntu-noble-x86_64"));
        assertFalse(Ec2Glob.matches("*-*-x86_64", "ubuntu-x86_64"));
        assertTrue(Ec2Glob.matches("a*b*c", "aXXbYYbZZc"));
        assertFalse(Ec2Glob.matches("a*b*c", "aXXbYYbZZ"));
        assertFalse(Ec2Glob.matches("x", null), "an image without a name matches nothing");
    }

    @Test
    void agreesWithARegexReadingOnRandomPatternsAndNames() {
        Random random = new Random(7);
        String alphabet = "ab-.?*";
        for (int n = 0; n < 20_000; n++) {
            String pattern = random(random, alphabet, 6);
            String value = random(random, "ab-.", 7);
            StringBuilder regex = new StringBuilder();
            for (char c : pattern.toCharArray()) {
                regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
            }
            assertEquals(value.matches(regex.toString()), Ec2Glob.matches(pattern, value), pattern + " vs " + value);
        }
    }

    @Test
    void aBackslashIsLeftToEc2() {
        assertFalse(Ec2Glob.isPlain("os-\\*"));
        assertThrows(IllegalArgumentException.class, () -> Ec2Glob.matches("os-\\*", "os-*"));
    }

    private static String random(Random random, String alphabet, int maxLength) {
        StringBuilder b = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
