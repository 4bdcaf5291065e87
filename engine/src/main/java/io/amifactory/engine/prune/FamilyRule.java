package io.amifactory.engine.prune;

import java.util.Map;

/**
 * Which family an image belongs to, for "keep the newest N per family".
 *
 * <ol>
 *   <li>If the image has the family tag (default {@code amifactory:tracked-image}, which the factory
 *       writes on every AMI it builds from a tracked image), its value is the family:
 *       {@code tag:amifactory:tracked-image=webserver}.</li>
 *   <li>Otherwise the family is the name prefix: the name up to the first separator ({@code - _ . /}
 *       or space) that is followed by a digit, so {@code webserver-2024-05-01T10-00} and
 *       {@code webserver-2024-06-01T10-00} are both {@code name:webserver}, and {@code al2023-ami-2023.6}
 *       is {@code name:al2023-ami}. A name without such a separator is its own family.</li>
 * </ol>
 */
public record FamilyRule(String tagKey) {
    private static final String SEPARATORS = "-_./ ";

    public FamilyRule {
        if (tagKey == null || tagKey.isBlank()) {
            throw new IllegalArgumentException("family tag key must not be blank");
        }
    }

    public String familyOf(String name, Map<String, String> tags) {
        String tagged = tags.get(tagKey);
        if (tagged != null && !tagged.isEmpty()) {
            return "tag:" + tagKey + "=" + tagged;
        }
        return "name:" + namePrefix(name == null ? "" : name);
    }

    static String namePrefix(String name) {
        for (int i = 0; i + 1 < name.length(); i++) {
            if (SEPARATORS.indexOf(name.charAt(i)) >= 0 && Character.isDigit(name.charAt(i + 1))) {
                return name.substring(0, i);
            }
        }
        return name;
    }
}
