package io.amifactory.engine.track;

import io.amifactory.engine.aws.QueueUrls;
import io.amifactory.engine.aws.RegionNames;
import io.amifactory.engine.aws.RoleArns;
import io.amifactory.engine.input.InputException;
import io.amifactory.engine.input.InputNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Loads tracked images from YAML or JSON, in either of two formats (docs/tracking.md):
 *
 * <ul>
 *   <li>seed 004's files as written: {@code images: [{Name, ParameterPath} | {Name, Filters}]}, where
 *       {@code Filters} is Python-literal text ({@link SeedFilterText}) or a list of {Name, Values} maps, plus
 *       an optional {@code NotificationQueue} of ours;
 *   <li>the native format: {@code defaults: {regions, roleArn, externalId}} and
 *       {@code images: [{name, parameter | filters, owners, includeDeprecated, regions, roleArn, externalId,
 *       notificationQueue}]}.
 * </ul>
 *
 * An entry is read in seed 004's format when its keys are capitalised. Every problem is an
 * {@link InputException} naming the file, line and field.
 */
public final class TrackedImagesLoader {
    private static final Set<String> TOP_KEYS = Set.of("images", "defaults");
    private static final Set<String> DEFAULT_KEYS = Set.of("regions", "roleArn", "externalId");
    private static final Set<String> NATIVE_KEYS = Set.of("name", "parameter", "filters", "owners",
            "includeDeprecated", "regions", "roleArn", "externalId", "notificationQueue");
    /** Seed 004's keys, and ours in its style: NotificationQueue. */
    private static final Set<String> SEED_KEYS = Set.of("Name", "ParameterPath", "Filters", "NotificationQueue");
    private static final Set<String> SEED_FILTER_KEYS = Set.of("Name", "Values");

    /** SSM parameter names: letters, digits and {@code _.-/}; hierarchical ones start with '/'. */
    private static final Pattern PARAMETER = Pattern.compile("(/[A-Za-z0-9_.-]+)+|[A-Za-z0-9_.-]+");
    private static final Pattern FILTER_NAME = Pattern.compile("[A-Za-z0-9:._/ -]{1,255}");
    private static final Pattern OWNER = Pattern.compile("\\d{12}|self|amazon|aws-marketplace|aws-backup-vault");

    private TrackedImagesLoader() {
    }

    public static TrackedImagesFile load(Path file) {
        return read(InputNode.read(file));
    }

    public static TrackedImagesFile parse(String source, String text) {
        return read(InputNode.parse(source, text));
    }

    /** Reads an already parsed document (a file, or a Map handed over by Jenkins). */
    public static TrackedImagesFile read(InputNode root) {
        root.rejectUnknownKeys(TOP_KEYS);
        List<String> defaultRegions = List.of();
        String defaultRole = null;
        String defaultExternalId = null;
        InputNode defaults = root.get("defaults");
        if (defaults != null) {
            defaults.rejectUnknownKeys(DEFAULT_KEYS);
            defaultRegions = regions(defaults.get("regions"));
            defaultRole = roleArn(defaults.get("roleArn"));
            defaultExternalId = defaults.optionalString("externalId");
        }
        InputNode images = root.get("images");
        if (images == null) {
            throw root.missing("images", "is required: a list of tracked images");
        }
        List<TrackedImage> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (InputNode entry : images.asList()) {
            TrackedImage image = isSeedEntry(entry) ? seedEntry(entry) : nativeEntry(entry);
            if (image.roleArn() == null && defaultRole != null) {
                image = new TrackedImage(image.name(), image.source(), image.regions(), defaultRole, defaultExternalId,
                        image.notificationQueue());
            }
            Integer firstLine = seen.putIfAbsent(image.name(), entry.line());
            if (firstLine != null) {
                throw entry.error("duplicate name '" + image.name() + "'"
                        + (firstLine > 0 ? " (first used on line " + firstLine + ")" : ""));
            }
            out.add(image);
        }
        return new TrackedImagesFile(out, defaultRegions);
    }

    /**
     * Validates one image given field by field (the Jenkins form). Errors name the field as the form
     * shows it ({@code name}, {@code parameter}, {@code regions}, ...).
     */
    public static TrackedImage validate(String name, ImageSource source, List<String> regions, String roleArn,
            String externalId) {
        return validate(name, source, regions, roleArn, externalId, null);
    }

    /** As above, with a notification queue URL (blank: none). */
    public static TrackedImage validate(String name, ImageSource source, List<String> regions, String roleArn,
            String externalId, String notificationQueue) {
        String checkedName = name(name, "name");
        if (source == null) {
            throw new InputException("", 0, "source", "give a parameter path or filters");
        }
        if (source instanceof ImageSource.Parameter p) {
            parameterPath(p.path(), "parameter");
        } else if (source instanceof ImageSource.Filters f) {
            if (f.filters().isEmpty()) {
                throw new InputException("", 0, "filters", "at least one filter is required");
            }
            f.filters().forEach((k, v) -> filter(k, v, "filters." + k));
            f.owners().forEach(o -> owner(o, "owners"));
        }
        List<String> checkedRegions = new ArrayList<>();
        for (String r : regions == null ? List.<String>of() : regions) {
            String problem = RegionNames.problem(r);
            if (problem != null) {
                throw new InputException("", 0, "regions", problem);
            }
            checkedRegions.add(r);
        }
        if (roleArn != null && !roleArn.isBlank() && !RoleArns.isValid(roleArn.trim())) {
            throw new InputException("", 0, "roleArn", RoleArns.problem(roleArn));
        }
        String queue = blankToNull(notificationQueue);
        if (queue != null && QueueUrls.problem(queue) != null) {
            throw new InputException("", 0, "notificationQueue", QueueUrls.problem(queue));
        }
        return new TrackedImage(checkedName, source, checkedRegions, blankToNull(roleArn), blankToNull(externalId), queue);
    }

    /** Reads seed 004's Filters text (for the Jenkins import form too). */
    public static ImageSource.Filters parseSeedFilters(String field, String text) {
        return seedFilters(InputNode.ofValue("", Map.of(field, text)).get(field));
    }

    // ---- the two entry formats

    private static boolean isSeedEntry(InputNode entry) {
        return entry.isMap() && entry.keys().stream().anyMatch(k -> !k.isEmpty() && Character.isUpperCase(k.charAt(0)));
    }

    private static TrackedImage seedEntry(InputNode entry) {
        entry.rejectUnknownKeys(SEED_KEYS);
        String name = name(entry, "Name");
        InputNode path = entry.get("ParameterPath");
        InputNode filters = entry.get("Filters");
        ImageSource source = source(entry, path, filters, "ParameterPath", "Filters");
        if (source == null) {
            source = path != null ? new ImageSource.Parameter(parameterPath(path)) : seedFilters(filters);
        }
        return new TrackedImage(name, source, List.of(), null, null, queueUrl(entry.get("NotificationQueue")));
    }

    private static TrackedImage nativeEntry(InputNode entry) {
        entry.rejectUnknownKeys(NATIVE_KEYS);
        String name = name(entry, "name");
        InputNode parameter = entry.get("parameter");
        InputNode filters = entry.get("filters");
        source(entry, parameter, filters, "parameter", "filters");
        ImageSource source;
        if (parameter != null) {
            for (String k : List.of("owners", "includeDeprecated")) {
                if (entry.has(k)) {
                    throw entry.get(k).error("only applies to filters, not to a parameter");
                }
            }
            source = new ImageSource.Parameter(parameterPath(parameter));
        } else {
            List<String> owners = new ArrayList<>();
            InputNode ownersNode = entry.get("owners");
            if (ownersNode != null) {
                for (InputNode o : ownersNode.isList() ? ownersNode.asList() : List.of(ownersNode)) {
                    owners.add(owner(o));
                }
            }
            InputNode deprecated = entry.get("includeDeprecated");
            source = new ImageSource.Filters(nativeFilters(filters), owners, deprecated != null && deprecated.asBoolean());
        }
        return new TrackedImage(name, source, regions(entry.get("regions")),
                roleArn(entry.get("roleArn")), entry.optionalString("externalId"), queueUrl(entry.get("notificationQueue")));
    }

    /** Checks that exactly one source is given; returns null (the caller builds it). */
    private static ImageSource source(InputNode entry, InputNode path, InputNode filters, String pathKey, String filtersKey) {
        if (path == null && filters == null) {
            throw entry.missing(pathKey, "no source: give '" + pathKey + "' or '" + filtersKey + "'");
        }
        if (path != null && filters != null) {
            throw filters.error("both sources given: use either '" + pathKey + "' or '" + filtersKey + "', not both");
        }
        return null;
    }

    // ---- fields

    private static String name(InputNode entry, String key) {
        InputNode n = entry.get(key);
        if (n == null) {
            throw entry.missing(key, "is required");
        }
        try {
            return name(n.asString(), key);
        } catch (InputException e) {
            throw n.error(e.problem());
        }
    }

    private static String name(String name, String field) {
        if (name == null || !TrackedImage.NAME.matcher(name).matches()) {
            throw new InputException("", 0, field, "'" + name + "' is not a valid name: use 1 to 128 letters, digits, '.', '_' or '-'");
        }
        return name;
    }

    private static String parameterPath(InputNode n) {
        try {
            return parameterPath(n.asString(), n.path());
        } catch (InputException e) {
            throw n.error(e.problem());
        }
    }

    private static String parameterPath(String path, String field) {
        String p = path == null ? "" : path.trim();
        if (p.length() > 2048 || !PARAMETER.matcher(p).matches()) {
            throw new InputException("", 0, field, "'" + path + "' is not a valid SSM parameter path: use '/' then "
                    + "segments of letters, digits, '_', '.' or '-' separated by single '/', no '/' at the end "
                    + "(like /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64)");
        }
        if (p.startsWith("/") && p.chars().filter(c -> c == '/').count() > 15) {
            throw new InputException("", 0, field, "'" + path + "' has more than 15 levels, which SSM does not allow");
        }
        return p;
    }

    private static ImageSource.Filters seedFilters(InputNode filters) {
        List<SeedFilterText.Filter> dicts;
        if (filters.isList()) {
            dicts = new ArrayList<>();
            for (InputNode item : filters.asList()) {
                item.rejectUnknownKeys(SEED_FILTER_KEYS);
                dicts.add(new SeedFilterText.Filter(Map.of("Name", item.requiredString("Name"),
                        "Values", item.get("Values") == null ? List.of() : item.get("Values").asStringList()),
                        0, Map.of()));
            }
        } else {
            try {
                dicts = SeedFilterText.parse(filters.asString());
            } catch (SeedFilterText.SyntaxError e) {
                throw filters.errorAt(e.offset, "cannot read the filter text at character " + (e.offset + 1) + ": "
                        + e.getMessage());
            }
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < dicts.size(); i++) {
            SeedFilterText.Filter filter = dicts.get(i);
            Map<String, Object> d = filter.entries();
            String where = "filter " + (i + 1);
            for (String k : d.keySet()) {
                if (!SEED_FILTER_KEYS.contains(k)) {
                    throw filters.errorAt(filter.offsetOf(k), where + ": unknown key '" + k + "' (accepted: Name, Values)");
                }
            }
            if (!(d.get("Name") instanceof String fname)) {
                throw filters.errorAt(filter.offsetOf("Name"), where + ": 'Name' is required and must be a string");
            }
            Object values = d.get("Values");
            List<String> vs = new ArrayList<>();
            if (values instanceof List<?> l) {
                for (Object v : l) {
                    if (!(v instanceof String s)) {
                        throw filters.errorAt(filter.offsetOf("Values"), where + " ('" + fname + "'): every value must be a string");
                    }
                    vs.add(s);
                }
            } else if (values != null) {
                throw filters.errorAt(filter.offsetOf("Values"), where + " ('" + fname + "'): 'Values' must be a list");
            }
            try {
                filter(fname, vs, "Filters");
            } catch (InputException e) {
                throw filters.errorAt(filter.offset(), e.problem());
            }
            if (out.containsKey(fname)) {
                throw filters.errorAt(filter.offset(), "filter '" + fname + "' is given twice");
            }
            out.put(fname, vs);
        }
        return new ImageSource.Filters(out, List.of(), false);
    }

    private static Map<String, List<String>> nativeFilters(InputNode filters) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (filters.isList()) {
            // boto-style [{Name, Values}] is accepted in the native format too
            return seedFilters(filters).filters();
        }
        for (String key : filters.keys()) {
            InputNode v = filters.get(key);
            if (v == null) {
                throw filters.missing(key, "empty filter values for '" + key + "'");
            }
            try {
                filter(key, v.asStringList(), key);
            } catch (InputException e) {
                throw v.error(e.problem());
            }
            out.put(key, v.asStringList());
        }
        if (out.isEmpty()) {
            throw filters.error("at least one filter is required");
        }
        return out;
    }

    private static void filter(String name, List<String> values, String field) {
        if (!FILTER_NAME.matcher(name).matches()) {
            throw new InputException("", 0, field, "'" + name + "' is not a DescribeImages filter name");
        }
        if (values.isEmpty() || values.stream().anyMatch(v -> v == null || v.isBlank())) {
            throw new InputException("", 0, field, "empty filter values for '" + name + "'");
        }
    }

    private static String owner(InputNode n) {
        try {
            return owner(n.asString(), n.path());
        } catch (InputException e) {
            throw n.error(e.problem());
        }
    }

    private static String owner(String owner, String field) {
        if (owner == null || !OWNER.matcher(owner).matches()) {
            throw new InputException("", 0, field, "'" + owner + "' is not an owner: use a 12-digit account id, self, amazon or aws-marketplace");
        }
        return owner;
    }

    private static List<String> regions(InputNode n) {
        if (n == null) {
            return List.of();
        }
        List<InputNode> items = n.isList() ? n.asList() : List.of(n);
        List<String> out = new ArrayList<>();
        for (InputNode r : items) {
            String region = r.asString().trim();
            String problem = RegionNames.problem(region);
            if (problem != null) {
                throw r.error(problem);
            }
            if (!out.contains(region)) {
                out.add(region);
            }
        }
        return out;
    }

    private static String queueUrl(InputNode n) {
        if (n == null) {
            return null;
        }
        String url = n.asString().trim();
        String problem = QueueUrls.problem(url);
        if (problem != null) {
            throw n.error(problem);
        }
        return url;
    }

    private static String roleArn(InputNode n) {
        if (n == null) {
            return null;
        }
        String arn = n.asString().trim();
        if (!RoleArns.isValid(arn)) {
            throw n.error(RoleArns.problem(arn));
        }
        return arn;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
