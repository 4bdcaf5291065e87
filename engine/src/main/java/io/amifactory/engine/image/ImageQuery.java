package io.amifactory.engine.image;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.amifactory.engine.input.InputNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * Which AMIs: a name glob and/or tags (EC2 filter wildcards {@code *} and {@code ?} work in both), owned
 * by {@link #owners} (default: the caller, {@code self}). At least a name or one tag is required, so
 * that no command ever works on "every image" by accident.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageQuery(String nameGlob, Map<String, String> tags, List<String> owners) {
    public static final String SELF = "self";
    private static final Pattern OWNER = Pattern.compile("self|amazon|aws-marketplace|aws-backup-vault|\\d{12}");

    public ImageQuery {
        nameGlob = nameGlob == null || nameGlob.isBlank() ? null : nameGlob.trim();
        tags = tags == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(tags));
        owners = owners == null || owners.isEmpty() ? List.of(SELF) : List.copyOf(owners);
        if (nameGlob == null && tags.isEmpty()) {
            throw new IllegalArgumentException("an image query needs a name glob or at least one tag");
        }
    }

    public static ImageQuery ownName(String nameGlob) {
        return new ImageQuery(nameGlob, Map.of(), List.of(SELF));
    }

    public static ImageQuery ownTags(Map<String, String> tags) {
        return new ImageQuery(null, tags, List.of(SELF));
    }

    /**
     * Reads {@code name} (a glob), {@code tags} (a mapping of tag key to value or glob, or a list of
     * {@code KEY=VALUE}) and, when
     * {@code ownersAllowed}, {@code owners} from a request mapping. Sharing and pruning work on the
     * caller's own images only, so they pass {@code false}.
     */
    public static ImageQuery parse(InputNode map, boolean ownersAllowed) {
        String name = null;
        InputNode nameNode = map.get("name");
        if (nameNode != null) {
            name = nameNode.asString().trim();
            if (name.isEmpty()) {
                throw nameNode.error("must not be empty");
            }
            if (name.length() > 128) {
                throw nameNode.error("is longer than an AMI name can be (128 characters)");
            }
        }
        Map<String, String> tags = new TreeMap<>();
        InputNode tagsNode = map.get("tags");
        if (tagsNode != null && tagsNode.isMap()) {
            for (String key : tagsNode.keys()) {
                InputNode v = tagsNode.get(key);
                if (key.isBlank() || key.length() > 128) {
                    throw tagsNode.missing(key, "a tag key must have 1 to 128 characters");
                }
                if (v == null) {
                    throw tagsNode.missing(key, "needs a value (use * for any value)");
                }
                tags.put(key, tagValue(v, v.asString()));
            }
        } else if (tagsNode != null) {
            // the command line form: KEY=VALUE, once per tag
            for (InputNode item : tagsNode.isScalar() ? List.of(tagsNode) : tagsNode.asList()) {
                String text = item.asString();
                int eq = text.indexOf('=');
                if (eq <= 0 || eq > 128) {
                    throw item.error("'" + text + "' must be KEY=VALUE (use KEY=* for any value)");
                }
                tags.put(text.substring(0, eq), tagValue(item, text.substring(eq + 1)));
            }
        }
        if (name == null && tags.isEmpty()) {
            throw map.missing("name", "give a name glob or tags to select images");
        }
        List<String> owners = List.of(SELF);
        InputNode ownersNode = map.get("owners");
        if (ownersNode != null) {
            if (!ownersAllowed) {
                throw ownersNode.error("only your own images can be used here; owners cannot be set");
            }
            Set<String> read = new LinkedHashSet<>();
            List<InputNode> items = ownersNode.isScalar() ? List.of(ownersNode) : ownersNode.asList();
            for (InputNode o : items) {
                String owner = o.asString().trim();
                if (!OWNER.matcher(owner).matches()) {
                    throw o.error("'" + owner + "' is not an owner (self, amazon, aws-marketplace or a 12-digit account id)");
                }
                read.add(owner);
            }
            owners = new ArrayList<>(read);
        }
        return new ImageQuery(name, tags, owners);
    }

    private static String tagValue(InputNode node, String value) {
        if (value.isEmpty() || value.length() > 256) {
            throw node.error("a tag value must have 1 to 256 characters (use * for any value)");
        }
        return value;
    }

    /** The DescribeImages filters (owners go in the request's Owners field). */
    public List<Filter> filters() {
        List<Filter> out = new ArrayList<>();
        if (nameGlob != null) {
            out.add(Filter.builder().name("name").values(nameGlob).build());
        }
        tags.forEach((k, v) -> out.add(Filter.builder().name("tag:" + k).values(v).build()));
        return out;
    }

    @JsonIgnore
    public boolean ownImagesOnly() {
        return owners.equals(List.of(SELF));
    }

    /** For progress lines: {@code name=web-* tag:role=web owners=self}. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        if (nameGlob != null) {
            b.append("name=").append(nameGlob);
        }
        tags.forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append("tag:").append(k).append('=').append(v));
        b.append(" owners=").append(String.join(",", owners));
        return b.toString();
    }
}
