package io.amifactory.engine.build.spec;

import io.amifactory.engine.input.InputException;
import io.amifactory.engine.input.InputNode;
import io.amifactory.engine.track.ImageSource;
import io.amifactory.engine.track.TrackedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads build specs: our own YAML/JSON ({@code builds:} list or one build as the whole document) and seed
 * 001's payload ({@code {"amis":[{imageName, sourceImage, bootstrapUrl, accounts, automationDocument}]}}) as
 * written. Both may carry {@code defaults:}, which every build inherits key by key. Everything that can be
 * checked without AWS is checked here; the first problem is thrown as an {@link InputException} naming file,
 * line and field.
 */
public final class BuildSpecReader {
    /** User data travels base64-encoded and may be at most 16 KiB before encoding; the wrapper needs the rest. */
    public static final int MAX_USER_SCRIPT_BYTES = 14 * 1024;
    public static final Duration MIN_TIMEOUT = Duration.ofMinutes(1);
    public static final Duration MAX_TIMEOUT = Duration.ofHours(24);
    public static final Duration MAX_DEPRECATE_AFTER = Duration.ofDays(3650);
    /** Tags per resource AWS allows, minus the ones the factory writes. */
    static final int MAX_USER_TAGS_INSTANCE = 50 - 4;
    static final int MAX_USER_TAGS_IMAGE = 50 - 4;
    static final int MAX_USER_TAGS_SNAPSHOT = 50 - 1;

    private static final Set<String> DOCUMENT_KEYS = Set.of("builds", "amis", "defaults");
    private static final Set<String> CUSTOMISATION_KEYS = Set.of("userData", "userDataFile", "bootstrapUrl", "ssmCommand",
            "automationDocument");
    private static final Set<String> BUILD_KEYS = Set.of("name", "region", "imageName", "source", "sourceImage",
            "userData", "userDataFile", "bootstrapUrl", "ssmCommand", "automationDocument", "automation", "completion",
            "instance", "image", "copies", "share", "accounts", "publish", "timeout", "dryRun");
    private static final Set<String> DEFAULTS_KEYS = without(BUILD_KEYS, "name");
    private static final Set<String> INSTANCE_KEYS = Set.of("type", "subnet", "securityGroups", "profile", "keyPair",
            "rootVolume", "imdsV2", "tags");
    private static final Set<String> IMAGE_KEYS = Set.of("description", "tags", "snapshotTags", "encrypted", "kmsKey",
            "noReboot", "deprecateAfter");
    private static final Set<String> SHARE_KEYS = Set.of("accounts", "organizations", "organizationalUnits", "snapshots");
    private static final Set<String> SOURCE_KEYS = Set.of("imageId", "ssmParameter", "tracked", "filters", "owners",
            "includeDeprecated");
    private static final Set<String> SSM_COMMAND_KEYS = Set.of("script", "commands", "document");
    private static final Set<String> AUTOMATION_KEYS = Set.of("parameters", "assumeRole", "imageIdOutput");
    private static final Pattern OWNER_ALIAS = Pattern.compile("self|amazon|aws-marketplace|aws-backup-vault");
    private static final Pattern DOCUMENT_PARAMETER = Pattern.compile("[a-zA-Z0-9_]{1,128}");
    private static final Pattern OUTPUT_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final List<String> NOT_A_SCRIPT = List.of("#cloud-config", "#include", "#cloud-boothook",
            "#part-handler", "#upstart-job", "content-type:", "<powershell>", "<script>", "<persist>");

    private final String defaultRegion;

    /** @param defaultRegion the region of builds that name none (the CLI's --region or AWS config); may be null */
    public BuildSpecReader(String defaultRegion) {
        this.defaultRegion = defaultRegion == null || defaultRegion.isBlank() ? null : defaultRegion.trim();
    }

    /** Reads a spec file; {@code userDataFile} paths are relative to its folder. */
    public List<BuildSpec> read(Path file) {
        Path base = file.toAbsolutePath().getParent();
        return read(InputNode.read(file), base);
    }

    /**
     * Reads a whole document: {@code builds:}, {@code amis:} (seed 001) or a single build.
     *
     * @param baseDir folder for relative {@code userDataFile}s; null when the spec did not come from a file
     */
    public List<BuildSpec> read(InputNode doc, Path baseDir) {
        if (!doc.isMap()) {
            throw doc.error("must be a mapping: a build, or builds:/amis: with a list of builds");
        }
        boolean list = doc.has("builds") || doc.has("amis");
        if (!list) {
            if (doc.has("defaults")) {
                throw doc.missing("builds", "is required next to defaults (a list of builds)");
            }
            return List.of(readOne(doc, baseDir));
        }
        doc.rejectUnknownKeys(DOCUMENT_KEYS);
        if (doc.has("builds") && doc.has("amis")) {
            throw doc.get("amis").error("give builds: or amis:, not both");
        }
        boolean seed = doc.has("amis");
        InputNode items = doc.get(seed ? "amis" : "builds");
        InputNode defaults = doc.get("defaults");
        if (defaults != null) {
            if (!defaults.isMap()) {
                throw defaults.error("must be a mapping of build settings");
            }
            defaults.rejectUnknownKeys(DEFAULTS_KEYS);
        }
        List<InputNode> list2 = items.asList();
        if (list2.isEmpty()) {
            throw items.error("is empty: nothing to build");
        }
        List<BuildSpec> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (InputNode item : list2) {
            if (!item.isMap()) {
                throw item.error("must be a mapping describing one build");
            }
            BuildSpec spec = readBuild(SpecNode.of(item, defaults), seed, baseDir);
            if (!names.add(spec.name())) {
                InputNode at = item.has("name") ? item.get("name") : item;
                throw at.error("the build name '" + spec.name() + "' is used twice (names must be unique; set name:)");
            }
            out.add(spec);
        }
        return out;
    }

    /** Reads one build (a Pipeline's map, or a document that is a single build). */
    public BuildSpec readOne(InputNode build, Path baseDir) {
        if (!build.isMap()) {
            throw build.error("must be a mapping describing one build");
        }
        return readBuild(SpecNode.of(build, null), false, baseDir);
    }

    // ---- one build

    private BuildSpec readBuild(SpecNode b, boolean seed, Path baseDir) {
        b.node().rejectUnknownKeys(BUILD_KEYS);

        String region = readRegion(b);
        String imageName = readImageName(b, seed);
        String name = readName(b, imageName);
        checkImageName(b.get("imageName").node(), imageName, name, region);

        // Stand-in values: templates whose fixed text alone breaks a limit are caught now; the real values
        // are checked again before use.
        Map<String, String> samples = new LinkedHashMap<>(Placeholders.samples(name, region));
        samples.put(Placeholders.IMAGE_NAME, Placeholders.render(imageName, samples));

        BuildSpec.Source source = readSource(b);
        BuildSpec.Instance instance = readInstance(b.get("instance"), samples);
        BuildSpec.Customisation customisation = readCustomisation(b, baseDir, instance);
        BuildSpec.Image image = readImage(b.get("image"), region, samples);
        List<BuildSpec.Copy> copies = readCopies(b.get("copies"), region, image);
        BuildSpec.Sharing share = readSharing(b);
        checkSharingEncryption(b, image, copies, share);
        List<String> publish = readPublish(b.get("publish"), name, region, copies);
        Duration timeout = readDuration(b.get("timeout"), MIN_TIMEOUT, MAX_TIMEOUT, BuildSpec.DEFAULT_TIMEOUT);
        boolean dryRun = b.has("dryRun") && b.get("dryRun").node().asBoolean();

        return new BuildSpec(name, region, imageName, source, customisation, instance, image, copies, share, publish,
                timeout, dryRun);
    }

    private String readRegion(SpecNode b) {
        SpecNode r = b.get("region");
        String region = r != null ? r.node().asString().trim() : defaultRegion;
        if (region == null) {
            throw b.node().missing("region", "no region: set region: in the spec (or defaults:), or give --region");
        }
        String problem = SpecRules.region(region);
        if (problem != null) {
            throw r != null ? r.node().error(problem) : b.node().missing("region", problem);
        }
        return region;
    }

    private String readImageName(SpecNode b, boolean seed) {
        SpecNode n = b.get("imageName");
        if (n == null) {
            throw b.node().missing("imageName", "is required (the AMI name, e.g. webserver-{timestamp})");
        }
        String template = n.node().asString().trim();
        if (template.isEmpty()) {
            throw n.node().error("must not be empty");
        }
        String problem = Placeholders.check(template, Placeholders.FOR_IMAGE_NAME);
        if (problem != null) {
            throw n.node().error(problem);
        }
        // Seed 001's documents always added a timestamp to imageName; a fixed name would collide on the
        // second scheduled build, so a seed name without placeholders gets the same treatment.
        if (seed && Placeholders.used(template).isEmpty()) {
            template = template + "-{timestamp}";
        }
        return template;
    }

    private String readName(SpecNode b, String imageName) {
        if (b.ownHas("name")) {
            InputNode n = b.get("name").node();
            String name = n.asString().trim();
            if (!SpecRules.BUILD_NAME.matcher(name).matches()) {
                throw n.error("'" + name + "' is not a build name (1-64 letters, digits, '.', '_', '-')");
            }
            return name;
        }
        String derived = imageName.replaceAll("\\{[^}]*}", "").replaceAll("[^A-Za-z0-9._-]+", "-")
                .replaceAll("-{2,}", "-").replaceAll("^[-.]+|[-.]+$", "");
        if (derived.length() > 64) {
            derived = derived.substring(0, 64);
        }
        if (derived.isEmpty()) {
            throw b.node().missing("name", "is required when imageName has no fixed text to name the build after");
        }
        return derived;
    }

    private void checkImageName(InputNode at, String template, String name, String region) {
        String sample = Placeholders.render(template, Placeholders.samples(name, region));
        String problem = SpecRules.amiName(sample);
        if (problem != null) {
            boolean templated = !Placeholders.used(template).isEmpty();
            throw at.error(templated ? problem.replace("the AMI name '" + sample + "'",
                    "the AMI name (e.g. '" + sample + "')") : problem);
        }
    }

    // ---- source

    private BuildSpec.Source readSource(SpecNode b) {
        SpecNode s = b.get("source");
        SpecNode alias = b.get("sourceImage");
        if (s != null && alias != null) {
            throw alias.node().error("give source or sourceImage, not both");
        }
        if (s == null) {
            s = alias;
        }
        if (s == null) {
            throw b.node().missing("source", "is required: an AMI id, ssm:/parameter/path, a tracked image name, or filters");
        }
        InputNode n = s.node();
        if (n.isScalar()) {
            return sourceFromText(n, n.asString().trim());
        }
        n.rejectUnknownKeys(SOURCE_KEYS);
        List<String> kinds = new ArrayList<>();
        for (String k : List.of("imageId", "ssmParameter", "tracked", "filters")) {
            if (n.has(k)) {
                kinds.add(k);
            }
        }
        if (kinds.size() != 1) {
            throw n.error("give exactly one of imageId, ssmParameter, tracked or filters"
                    + (kinds.isEmpty() ? "" : " (found " + String.join(", ", kinds) + ")"));
        }
        if (!kinds.get(0).equals("filters") && (n.has("owners") || n.has("includeDeprecated"))) {
            throw n.get(n.has("owners") ? "owners" : "includeDeprecated").error("only applies to filters");
        }
        switch (kinds.get(0)) {
            case "imageId" -> {
                InputNode id = n.get("imageId");
                return imageId(id, id.asString().trim());
            }
            case "ssmParameter" -> {
                InputNode p = n.get("ssmParameter");
                return parameter(p, p.asString().trim());
            }
            case "tracked" -> {
                InputNode t = n.get("tracked");
                return tracked(t, t.asString().trim());
            }
            default -> {
                return filters(n);
            }
        }
    }

    private BuildSpec.Source sourceFromText(InputNode n, String text) {
        if (text.startsWith("ami-")) {
            return imageId(n, text);
        }
        if (text.startsWith("ssm:")) {
            return parameter(n, text.substring(4).trim());
        }
        if (text.startsWith("resolve:ssm:")) {
            return parameter(n, text.substring("resolve:ssm:".length()).trim());
        }
        if (TrackedImage.NAME.matcher(text).matches()) {
            return tracked(n, text);
        }
        throw n.error("'" + text + "' is not an AMI id (ami-0123456789abcdef0), ssm:/parameter/path or tracked image name");
    }

    private static BuildSpec.Source imageId(InputNode n, String id) {
        if (!SpecRules.AMI_ID.matcher(id).matches()) {
            throw n.error("'" + id + "' is not an AMI id (ami- and 8 or 17 hex digits)");
        }
        return new BuildSpec.ImageId(id);
    }

    private static BuildSpec.Source parameter(InputNode n, String path) {
        if (!path.matches("/?[a-zA-Z0-9_.\\-/]{1,1011}")) {
            throw n.error("'" + path + "' is not an SSM parameter name (ssm:/path/to/parameter)");
        }
        return new BuildSpec.Lookup(new ImageSource.Parameter(path));
    }

    private static BuildSpec.Source tracked(InputNode n, String name) {
        if (!TrackedImage.NAME.matcher(name).matches()) {
            throw n.error("'" + name + "' is not a tracked image name (letters, digits, '.', '_', '-')");
        }
        return new BuildSpec.Tracked(name);
    }

    private static BuildSpec.Source filters(InputNode n) {
        InputNode f = n.get("filters");
        if (!f.isMap() || f.keys().isEmpty()) {
            throw f.error("must be a mapping of filter names to values, e.g. name: al2023-ami-*");
        }
        Map<String, List<String>> filters = new LinkedHashMap<>();
        for (String key : f.keys()) {
            if (f.get(key) == null) {
                throw f.missing(key, "needs at least one value");
            }
            List<String> values = f.get(key).asStringList();
            if (values.isEmpty() || values.stream().anyMatch(String::isBlank)) {
                throw f.get(key).error("needs at least one non-empty value");
            }
            filters.put(key, values);
        }
        List<String> owners = n.has("owners") ? n.get("owners").asStringList() : List.of();
        for (int i = 0; i < owners.size(); i++) {
            String o = owners.get(i).trim();
            if (!SpecRules.ACCOUNT_ID.matcher(o).matches() && !OWNER_ALIAS.matcher(o).matches()) {
                InputNode at = n.get("owners").isList() ? n.get("owners").asList().get(i) : n.get("owners");
                throw at.error("'" + o + "' is not an owner (a 12-digit account id, self, amazon or aws-marketplace)");
            }
        }
        if (owners.isEmpty() && !filters.containsKey("owner-id") && !filters.containsKey("owner-alias")) {
            // Without an owner anyone's public AMI can match: a supply-chain risk, and a classic wrong pick.
            throw n.missing("owners", "is required with filters (e.g. [amazon] or an account id): without it any public AMI can match");
        }
        boolean deprecated = n.has("includeDeprecated") && n.get("includeDeprecated").asBoolean();
        return new BuildSpec.Lookup(new ImageSource.Filters(filters, owners, deprecated));
    }

    // ---- customisation

    private BuildSpec.Customisation readCustomisation(SpecNode b, Path baseDir, BuildSpec.Instance instance) {
        // The customisation counts as one key: a build that sets any of them ignores the defaults' ones.
        boolean own = CUSTOMISATION_KEYS.stream().anyMatch(b::ownHas);
        java.util.function.Function<String, InputNode> pick = k -> {
            SpecNode n = b.get(k);
            if (n == null) {
                return null;
            }
            return own && !b.ownHas(k) ? null : n.node();
        };
        InputNode userData = pick.apply("userData");
        InputNode userDataFile = pick.apply("userDataFile");
        InputNode bootstrap = pick.apply("bootstrapUrl");
        InputNode ssm = pick.apply("ssmCommand");
        InputNode automation = pick.apply("automationDocument");
        SpecNode automationSettings = b.get("automation");
        SpecNode completionNode = b.get("completion");

        List<String> present = new ArrayList<>();
        if (userData != null) {
            present.add("userData");
        }
        if (userDataFile != null) {
            present.add("userDataFile");
        }
        if (bootstrap != null && automation == null) {
            present.add("bootstrapUrl");
        }
        if (ssm != null) {
            present.add("ssmCommand");
        }
        if (automation != null) {
            present.add("automationDocument");
        }
        if (present.isEmpty()) {
            throw b.node().missing("userData", "a customisation is required: one of userData, userDataFile, bootstrapUrl, "
                    + "ssmCommand or automationDocument");
        }
        if (present.size() > 1) {
            throw b.node().error("give exactly one customisation, not " + String.join(" and ", present)
                    + " (bootstrapUrl may go with automationDocument, which receives it as PreUpdateScript)");
        }
        if (automationSettings != null && automation == null) {
            throw automationSettings.node().error("only applies with automationDocument");
        }
        BuildSpec.Completion completion = BuildSpec.Completion.MARKER;
        if (completionNode != null) {
            if (userData == null && userDataFile == null && (bootstrap == null || automation != null)) {
                throw completionNode.node().error("only applies to userData, userDataFile and bootstrapUrl builds");
            }
            String c = completionNode.node().asString().trim().toLowerCase(Locale.ROOT);
            completion = switch (c) {
                case "marker" -> BuildSpec.Completion.MARKER;
                case "stop" -> BuildSpec.Completion.STOP;
                default -> throw completionNode.node().error("must be marker or stop, not '" + c + "'");
            };
        }

        if (userData != null) {
            return new BuildSpec.UserData(checkScript(userData, userData.asString()), "userData", completion);
        }
        if (userDataFile != null) {
            return new BuildSpec.UserData(checkScript(userDataFile, readUserDataFile(userDataFile, baseDir)),
                    "userDataFile " + userDataFile.asString().trim(), completion);
        }
        if (ssm != null) {
            return readSsmCommand(ssm, b, instance);
        }
        if (automation != null) {
            return readAutomation(automation, automationSettings, bootstrap);
        }
        String url = bootstrap.asString().trim();
        String problem = SpecRules.bootstrapUrl(url);
        if (problem != null) {
            throw bootstrap.error(problem);
        }
        return new BuildSpec.BootstrapUrl(url, completion);
    }

    private static String readUserDataFile(InputNode n, Path baseDir) {
        String p = n.asString().trim();
        if (p.isEmpty()) {
            throw n.error("must name a file");
        }
        Path file = Path.of(p);
        if (!file.isAbsolute()) {
            if (baseDir == null) {
                throw n.error("a relative path needs a spec file to be relative to; give an absolute path or userData");
            }
            file = baseDir.resolve(file);
        }
        try {
            if (Files.size(file) > 1024 * 1024) {
                throw n.error("'" + p + "' is larger than 1 MiB; user data must be at most "
                        + MAX_USER_SCRIPT_BYTES + " bytes");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw n.error("cannot read '" + file + "': " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    /** Checks a user script without ever quoting it: it may contain secrets. */
    private static String checkScript(InputNode at, String script) {
        if (script.isBlank()) {
            throw at.error("the script is empty");
        }
        String head = script.stripLeading().toLowerCase(Locale.ROOT);
        for (String marker : NOT_A_SCRIPT) {
            if (head.startsWith(marker)) {
                throw at.error("must be a shell script (#!/bin/bash ...), not " + marker.replace(":", "")
                        + " content: the factory wraps the script to learn its exit status");
            }
        }
        int bytes = script.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_USER_SCRIPT_BYTES) {
            throw at.error("the script has " + bytes + " bytes; user data takes at most " + MAX_USER_SCRIPT_BYTES
                    + " (use bootstrapUrl or ssmCommand for longer scripts)");
        }
        if (script.indexOf('\0') >= 0) {
            throw at.error("the script contains a NUL character");
        }
        return script;
    }

    private static BuildSpec.Customisation readSsmCommand(InputNode n, SpecNode b, BuildSpec.Instance instance) {
        String script;
        String document = BuildSpec.SsmCommand.LINUX_DOCUMENT;
        if (n.isScalar()) {
            script = n.asString();
        } else {
            n.rejectUnknownKeys(SSM_COMMAND_KEYS);
            if (n.has("script") == n.has("commands")) {
                throw n.error("give script (text) or commands (a list of lines), one of them");
            }
            script = n.has("script") ? n.get("script").asString() : String.join("\n", n.get("commands").asStringList());
            if (n.has("document")) {
                document = n.get("document").asString().trim();
                String problem = SpecRules.ssmDocument(document);
                if (problem != null) {
                    throw n.get("document").error(problem);
                }
            }
        }
        if (script.isBlank()) {
            throw n.error("the script is empty");
        }
        if (instance.profile() == null) {
            throw missingProfile(b.get("instance"), b);
        }
        return new BuildSpec.SsmCommand(script, document);
    }

    private static InputException missingProfile(SpecNode inst, SpecNode b) {
        String why = "ssmCommand needs an instance profile whose role lets SSM manage the "
                + "instance (e.g. AmazonSSMManagedInstanceCore)";
        return inst != null ? inst.node().missing("profile", why) : b.node().missing("instance.profile", why);
    }

    private static BuildSpec.Customisation readAutomation(InputNode doc, SpecNode settings, InputNode bootstrap) {
        String document = doc.asString().trim();
        String problem = SpecRules.ssmDocument(document);
        if (problem != null) {
            throw doc.error(problem);
        }
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        String assumeRole = null;
        String output = null;
        if (settings != null) {
            settings.rejectUnknownKeys(AUTOMATION_KEYS);
            SpecNode p = settings.get("parameters");
            if (p != null) {
                for (String key : p.keys()) {
                    InputNode v = p.get(key).node();
                    if (!DOCUMENT_PARAMETER.matcher(key).matches()) {
                        throw v.error("'" + key + "' is not a document parameter name");
                    }
                    List<String> values = v.asStringList();
                    for (String value : values) {
                        String tp = Placeholders.check(value, Placeholders.ALL);
                        if (tp != null) {
                            throw v.error(tp);
                        }
                    }
                    parameters.put(key, values);
                }
            }
            SpecNode r = settings.get("assumeRole");
            if (r != null) {
                assumeRole = r.node().asString().trim();
                String rp = SpecRules.roleArn(assumeRole);
                if (rp != null) {
                    throw r.node().error(rp);
                }
            }
            SpecNode o = settings.get("imageIdOutput");
            if (o != null) {
                output = o.node().asString().trim();
                if (!OUTPUT_NAME.matcher(output).matches()) {
                    throw o.node().error("'" + output + "' is not an output name (like CreateImage.ImageId)");
                }
            }
        }
        String url = null;
        if (bootstrap != null) {
            url = bootstrap.asString().trim();
            String up = SpecRules.bootstrapUrl(url);
            if (up != null) {
                throw bootstrap.error(up);
            }
        }
        return new BuildSpec.Automation(document, parameters, assumeRole, output, url);
    }

    // ---- instance

    private BuildSpec.Instance readInstance(SpecNode n, Map<String, String> samples) {
        if (n == null) {
            return BuildSpec.Instance.DEFAULT;
        }
        n.rejectUnknownKeys(INSTANCE_KEYS);
        String type = checked(n, "type", SpecRules::instanceType);
        String subnet = checked(n, "subnet", SpecRules::subnet);
        List<String> groups = new ArrayList<>();
        SpecNode sg = n.get("securityGroups");
        if (sg != null) {
            List<String> values = sg.node().asStringList();
            for (int i = 0; i < values.size(); i++) {
                String g = values.get(i).trim();
                String problem = SpecRules.securityGroup(g);
                if (problem != null) {
                    throw (sg.node().isList() ? sg.node().asList().get(i) : sg.node()).error(problem);
                }
                groups.add(g);
            }
        }
        String profile = checked(n, "profile", SpecRules::instanceProfile);
        String keyPair = checked(n, "keyPair", SpecRules::keyPair);
        Integer size = null;
        String volumeType = null;
        SpecNode root = n.get("rootVolume");
        if (root != null) {
            root.rejectUnknownKeys(Set.of("size", "type"));
            SpecNode s = root.get("size");
            if (s != null) {
                size = s.node().asInt();
                if (size < 1 || size > 16384) {
                    throw s.node().error("must be 1 to 16384 (GiB), not " + size);
                }
            }
            volumeType = checked(root, "type", SpecRules::volumeType);
        }
        boolean imdsV2 = true;
        SpecNode imds = n.get("imdsV2");
        if (imds != null) {
            String v = imds.node().asString().trim().toLowerCase(Locale.ROOT);
            imdsV2 = switch (v) {
                case "required", "true" -> true;
                case "optional", "false" -> false;
                default -> throw imds.node().error("must be required or optional, not '" + v + "'");
            };
        }
        Map<String, String> tags = readTags(n.get("tags"), MAX_USER_TAGS_INSTANCE, samples);
        return new BuildSpec.Instance(type, subnet, groups, profile, keyPair, size, volumeType, imdsV2, tags);
    }

    // ---- image

    private BuildSpec.Image readImage(SpecNode n, String region, Map<String, String> samples) {
        if (n == null) {
            return BuildSpec.Image.DEFAULT;
        }
        n.rejectUnknownKeys(IMAGE_KEYS);
        String description = null;
        SpecNode d = n.get("description");
        if (d != null) {
            description = d.node().asString();
            String problem = Placeholders.check(description, Placeholders.ALL);
            if (problem != null) {
                throw d.node().error(problem);
            }
            int length = Placeholders.render(description, samples).length();
            if (length > SpecRules.AMI_DESCRIPTION_MAX) {
                throw d.node().error("has " + length + " characters (with example values); EC2 takes at most "
                        + SpecRules.AMI_DESCRIPTION_MAX);
            }
        }
        Map<String, String> tags = readTags(n.get("tags"), MAX_USER_TAGS_IMAGE, samples);
        Map<String, String> snapshotTags = readTags(n.get("snapshotTags"), MAX_USER_TAGS_SNAPSHOT, samples);
        String kmsKey = checked(n, "kmsKey", k -> SpecRules.kmsKey(k, region));
        boolean encrypted = kmsKey != null;
        SpecNode e = n.get("encrypted");
        if (e != null) {
            boolean said = e.node().asBoolean();
            if (!said && kmsKey != null) {
                throw e.node().error("is false but kmsKey is set; a key means the image is encrypted");
            }
            encrypted = said;
        }
        boolean noReboot = n.has("noReboot") && n.get("noReboot").node().asBoolean();
        Duration deprecate = readDuration(n.get("deprecateAfter"), Duration.ofMinutes(1), MAX_DEPRECATE_AFTER, null);
        return new BuildSpec.Image(description, tags, snapshotTags, encrypted, kmsKey, noReboot, deprecate);
    }

    private static Map<String, String> readTags(SpecNode n, int max, Map<String, String> samples) {
        if (n == null) {
            return Map.of();
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (String key : n.keys()) {
            SpecNode v = n.get(key);
            InputNode at = v == null ? n.node() : v.node();
            String problem = SpecRules.tagKey(key);
            if (problem != null) {
                throw at.error(problem);
            }
            String value = v == null ? "" : at.asString();
            String tp = Placeholders.check(value, Placeholders.ALL);
            if (tp != null) {
                throw at.error(tp);
            }
            problem = SpecRules.tagValue(Placeholders.render(value, samples));
            if (problem != null) {
                throw at.error(problem);
            }
            tags.put(key, value);
        }
        if (tags.size() > max) {
            throw n.node().error("has " + tags.size() + " tags; with the factory's own tags AWS allows " + max);
        }
        return tags;
    }

    // ---- copies, sharing, publishing

    private static List<BuildSpec.Copy> readCopies(SpecNode n, String buildRegion, BuildSpec.Image image) {
        if (n == null) {
            return List.of();
        }
        List<BuildSpec.Copy> copies = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (InputNode item : n.node().asList()) {
            String region;
            String key = null;
            InputNode regionNode = item;
            if (item.isScalar()) {
                region = item.asString().trim();
            } else {
                item.rejectUnknownKeys(Set.of("region", "kmsKey"));
                region = item.requiredString("region").trim();
                regionNode = item.get("region");
                if (item.has("kmsKey")) {
                    key = item.get("kmsKey").asString().trim();
                    String problem = SpecRules.kmsKey(key, region);
                    if (problem != null) {
                        throw item.get("kmsKey").error(problem);
                    }
                }
            }
            String problem = SpecRules.region(region);
            if (problem != null) {
                throw regionNode.error(problem);
            }
            if (region.equals(buildRegion)) {
                throw regionNode.error(region + " is the build region; the image is made there, copies go elsewhere");
            }
            if (!seen.add(region)) {
                throw regionNode.error(region + " is listed twice");
            }
            copies.add(new BuildSpec.Copy(region, key));
        }
        return copies;
    }

    private BuildSpec.Sharing readSharing(SpecNode b) {
        SpecNode s = b.get("share");
        SpecNode seedAccounts = b.get("accounts");
        if (s == null && seedAccounts == null) {
            return BuildSpec.Sharing.NONE;
        }
        if (s != null) {
            s.rejectUnknownKeys(SHARE_KEYS);
            if (seedAccounts != null && s.has("accounts")) {
                throw seedAccounts.node().error("give accounts here or under share:, not both");
            }
        }
        SpecNode accountsNode = seedAccounts != null ? seedAccounts : s.get("accounts");
        List<String> accounts = idList(accountsNode, SpecRules::account);
        List<String> orgs = s == null ? List.of() : idList(s.get("organizations"), SpecRules::organizationArn);
        List<String> ous = s == null ? List.of() : idList(s.get("organizationalUnits"), SpecRules::organizationalUnitArn);
        boolean snapshots = s != null && s.has("snapshots") && s.get("snapshots").node().asBoolean();
        if (snapshots && accounts.isEmpty()) {
            throw s.get("snapshots").node().error("snapshot create-volume permission is granted to accounts; "
                    + "list them in accounts (organizations and OUs cannot be given snapshot permissions)");
        }
        return new BuildSpec.Sharing(accounts, orgs, ous, snapshots);
    }

    private static List<String> idList(SpecNode n, java.util.function.Function<String, String> rule) {
        if (n == null) {
            return List.of();
        }
        InputNode node = n.node();
        List<String> values = node.asStringList();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i).trim();
            String problem = rule.apply(v);
            if (problem != null) {
                throw (node.isList() ? node.asList().get(i) : node).error(problem);
            }
            if (!out.contains(v)) {
                out.add(v);
            }
        }
        return out;
    }

    private static void checkSharingEncryption(SpecNode b, BuildSpec.Image image, List<BuildSpec.Copy> copies,
            BuildSpec.Sharing share) {
        if (share.isEmpty() || !image.encrypted()) {
            return;
        }
        String why = "other accounts cannot launch an image encrypted with the default aws/ebs key; "
                + "use a customer managed KMS key that they may use";
        if (SpecRules.isDefaultEbsKey(image.kmsKey())) {
            SpecNode img = b.get("image");
            throw img.has("kmsKey") ? img.get("kmsKey").node().error(why) : img.node().missing("kmsKey", why);
        }
        for (int i = 0; i < copies.size(); i++) {
            if (SpecRules.isDefaultEbsKey(copies.get(i).kmsKey())) {
                InputNode item = b.get("copies").node().asList().get(i);
                throw item.isMap() && item.has("kmsKey") ? item.get("kmsKey").error(why)
                        : new InputException(item.source(), item.line(), item.path() + ".kmsKey",
                                "the copy to " + copies.get(i).region() + " needs its own key: " + why);
            }
        }
    }

    private static List<String> readPublish(SpecNode n, String name, String region, List<BuildSpec.Copy> copies) {
        if (n == null) {
            return List.of();
        }
        InputNode node = n.node();
        List<String> paths = node.asStringList();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            InputNode at = node.isList() ? node.asList().get(i) : node;
            String template = paths.get(i).trim();
            String problem = Placeholders.check(template, Placeholders.ALL);
            if (problem == null) {
                List<String> regions = new ArrayList<>(List.of(region));
                copies.forEach(c -> regions.add(c.region()));
                for (String r : regions) {
                    problem = SpecRules.parameterPath(Placeholders.render(template, Placeholders.samples(name, r)));
                    if (problem != null) {
                        break;
                    }
                }
            }
            if (problem != null) {
                throw at.error(problem);
            }
            out.add(template);
        }
        return out;
    }

    private static Duration readDuration(SpecNode n, Duration min, Duration max, Duration fallback) {
        if (n == null) {
            return fallback;
        }
        String text = n.node().asString();
        Duration d = SpecDurations.parse(text);
        if (d == null) {
            throw n.node().error("'" + text + "' is not a duration (like 90m, 2h, 30d or PT90M)");
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw n.node().error("must be between " + SpecDurations.format(min) + " and " + SpecDurations.format(max)
                    + ", not " + SpecDurations.format(d));
        }
        return d;
    }

    private static String checked(SpecNode parent, String key, java.util.function.Function<String, String> rule) {
        SpecNode n = parent.get(key);
        if (n == null) {
            return null;
        }
        String v = n.node().asString().trim();
        String problem = rule.apply(v);
        if (problem != null) {
            throw n.node().error(problem);
        }
        return v;
    }

    private static Set<String> without(Set<String> s, String key) {
        Set<String> c = new HashSet<>(s);
        c.remove(key);
        return Set.copyOf(c);
    }
}
