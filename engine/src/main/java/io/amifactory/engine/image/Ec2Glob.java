package io.amifactory.engine.image;

/**
 * EC2's filter-value wildcards, matched locally: {@code *} is any run of characters (none included),
 * {@code ?} exactly one, everything else itself, case-sensitive (EC2 API reference, "Filter": values are
 * case-sensitive). EC2 also reads a backslash as an escape ({@code \*} is a literal star); a pattern with a
 * backslash is not {@link #isPlain plain}, and callers that must agree with EC2 to the letter leave such
 * patterns to EC2 instead of matching them here.
 */
public final class Ec2Glob {
    private Ec2Glob() {
    }

    /** True when the pattern has no backslash, so that this class reads it exactly as EC2 does. */
    public static boolean isPlain(String pattern) {
        return pattern != null && pattern.indexOf('\\') < 0;
    }

    /** Whether {@code value} matches the plain {@code pattern}; a null value matches nothing. */
    public static boolean matches(String pattern, String value) {
        if (!isPlain(pattern)) {
            throw new IllegalArgumentException("not a plain pattern (it has a backslash): " + pattern);
        }
        if (value == null) {
            return false;
        }
        // Greedy match with one backtrack point, the last star: linear for the patterns AMI names use.
        int p = 0;
        int v = 0;
        int star = -1;
        int afterStar = 0;
        while (v < value.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == value.charAt(v))
                    && pattern.charAt(p) != '*') {
                p++;
                v++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                afterStar = v;
            } else if (star >= 0) {
                p = star + 1;
                v = ++afterStar;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
