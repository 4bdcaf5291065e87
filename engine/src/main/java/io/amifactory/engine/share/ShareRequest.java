package io.amifactory.engine.share;

import com.fasterxml.jackson.annotation.JsonValue;
import io.amifactory.engine.aws.RegionNames;
import io.amifactory.engine.image.ImageQuery;
import io.amifactory.engine.image.RegionList;
import io.amifactory.engine.input.InputNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A validated request to add or remove launch permissions (and optionally snapshot create-volume
 * permissions) on one AMI in each of several regions. Build one with {@link #parse} from user input
 * (a CLI's options, a Pipeline step's arguments, a section of a build file) or with the constructor
 * from values that are already valid.
 *
 * @param images      which AMI in which region
 * @param grantees    who gains or loses launch permission
 * @param operation   add or remove
 * @param snapshots   also change the create-volume permission of the AMI's snapshots (accounts only:
 *                    EC2 cannot share snapshots with organisations or OUs)
 * @param allowPublic must be true to add public launch permission
 */
public record ShareRequest(ImageLocator images, Grantees grantees, Operation operation, boolean snapshots,
        boolean allowPublic) {

    public enum Operation {
        ADD, REMOVE;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    // owners is accepted here only to be refused with a clear message (own images only)
    static final Set<String> KEYS = Set.of("image", "name", "tags", "owners", "regions", "accounts", "orgArns", "ouArns",
            "public", "allowPublic", "remove", "snapshots");

    public ShareRequest {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(grantees, "grantees");
        Objects.requireNonNull(operation, "operation");
        if (grantees.isEmpty()) {
            throw new IllegalArgumentException("nobody to share with");
        }
        if (operation == Operation.ADD && grantees.everyone() && !allowPublic) {
            throw new IllegalArgumentException("making an AMI public needs allowPublic");
        }
    }

    public List<String> regions() {
        return images.regions();
    }

    /**
     * Reads and checks a whole request. Keys: {@code image} (an AMI id, or a mapping of region to AMI
     * id), or {@code name}/{@code tags} (own images; the newest launchable match in each region);
     * {@code regions} (default: {@code defaultRegions}); {@code accounts}, {@code orgArns},
     * {@code ouArns}; {@code public} with {@code allowPublic}; {@code remove}; {@code snapshots}.
     * Every problem is an {@link io.amifactory.engine.input.InputException} naming the field.
     */
    public static ShareRequest parse(InputNode map, List<String> defaultRegions) {
        map.rejectUnknownKeys(KEYS);
        if (map.has("owners")) {
            throw map.get("owners").error("only the owner of an AMI can share it; owners cannot be set");
        }
        boolean remove = flag(map, "remove");
        boolean snapshots = flag(map, "snapshots");
        boolean allowPublic = flag(map, "allowPublic");
        Grantees grantees = Grantees.parse(map);
        if (grantees.isEmpty()) {
            throw map.missing("accounts", "nobody to share with: give accounts, orgArns, ouArns or public");
        }
        if (!remove && grantees.everyone() && !allowPublic) {
            throw map.get("public").error("making an AMI public lets anyone in the world launch it; "
                    + "it needs allowPublic: true as well (--allow-public)");
        }
        if (snapshots && grantees.accounts().isEmpty()) {
            throw map.get("snapshots").error("snapshot permissions can be given to accounts only "
                    + "(EC2 cannot share snapshots with organizations, OUs or the public); give accounts");
        }
        return new ShareRequest(locator(map, defaultRegions), grantees,
                remove ? Operation.REMOVE : Operation.ADD, snapshots, allowPublic);
    }

    private static ImageLocator locator(InputNode map, List<String> defaultRegions) {
        InputNode image = map.get("image");
        boolean byQuery = map.has("name") || map.has("tags");
        if (image != null && byQuery) {
            throw image.error("give either image or name/tags, not both");
        }
        if (image == null) {
            if (!byQuery) {
                throw map.missing("image", "give the AMI (image) or name/tags to find it in each region");
            }
            return ImageLocator.byQuery(ImageQuery.parse(map, false), RegionList.read(map, "regions", defaultRegions));
        }
        boolean perRegion = image.isMap() || image.isList() || image.asString().contains("=");
        if (perRegion) {
            if (map.has("regions")) {
                throw map.get("regions").error("image already names the region of each AMI; leave regions out");
            }
            Map<String, String> byRegion = new LinkedHashMap<>();
            if (image.isMap()) {
                for (String region : image.keys()) {
                    InputNode id = image.get(region);
                    if (id == null) {
                        throw image.missing(region, "needs an AMI id");
                    }
                    putRegionImage(byRegion, image, region, id, id.asString());
                }
            } else {
                // the command line form: REGION=AMI-ID, once per region
                for (InputNode item : image.isList() ? image.asList() : List.of(image)) {
                    String text = item.asString().trim();
                    int eq = text.indexOf('=');
                    if (eq <= 0) {
                        throw item.error("'" + text + "' must be REGION=AMI-ID when several regions are given");
                    }
                    putRegionImage(byRegion, item, text.substring(0, eq), item, text.substring(eq + 1));
                }
            }
            if (byRegion.isEmpty()) {
                throw image.error("names no region");
            }
            return ImageLocator.byId(byRegion);
        }
        String id = imageId(image);
        List<String> regions = RegionList.read(map, "regions", defaultRegions);
        if (regions.size() != 1) {
            throw image.error("an AMI id belongs to one region, but " + regions.size() + " regions were given ("
                    + String.join(", ", regions) + "); give image as region: ami-id pairs, or find it with name/tags");
        }
        return ImageLocator.byId(Map.of(regions.get(0), id));
    }

    /** {@code where}: the image mapping (errors name image.REGION) or the REGION=ID item (errors name it). */
    private static void putRegionImage(Map<String, String> byRegion, InputNode where, String region, InputNode idNode,
            String id) {
        String problem = RegionNames.problem(region);
        if (problem == null && byRegion.containsKey(region)) {
            problem = "names region " + region + " twice";
        }
        if (problem != null) {
            throw where.isMap() ? where.missing(region, problem) : where.error(problem);
        }
        byRegion.put(region, imageId(idNode, id));
    }

    private static String imageId(InputNode node) {
        return imageId(node, node.asString());
    }

    private static String imageId(InputNode node, String text) {
        String id = text.trim();
        if (!ImageLocator.IMAGE_ID.matcher(id).matches()) {
            throw node.error("'" + id + "' is not an AMI id (ami- and 8 or 17 hex digits)");
        }
        return id;
    }

    private static boolean flag(InputNode map, String key) {
        InputNode n = map.get(key);
        return n != null && n.asBoolean();
    }
}
