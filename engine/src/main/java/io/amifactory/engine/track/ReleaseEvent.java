package io.amifactory.engine.track;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amifactory.engine.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A new upstream AMI for a tracked image in a region. Its JSON holds seed 004's sample event
 * ({@code {"v1": {"Message", "image": {"image_name", "image_id"}, "region"}}}) unchanged, so consumers
 * of that tracker keep working, plus our fields: id, the AMI's own name, creation date, previous image
 * id, the source it was found through, and when it was detected.
 *
 * @param id          stable: {@code image/region/imageId}; acknowledging it is idempotent
 * @param source      human description of the source ({@link ImageSource#describe()})
 * @param imageSource the source itself (serialised as {"parameter": path} or {"filters", "owners"})
 */
public record ReleaseEvent(String id, String trackedImage, String region, String imageId, String imageName,
        String creationDate, String previousImageId, String source, Instant detectedAt, ImageSource imageSource) {

    static ReleaseEvent of(TrackedImage image, String region, String imageId, String imageName,
            String creationDate, String previousImageId, Instant detectedAt) {
        return new ReleaseEvent(image.name() + "/" + region + "/" + imageId, image.name(), region, imageId,
                imageName, creationDate, previousImageId, image.source().describe(), detectedAt, image.source());
    }

    /** The seed-004 message text, with the tracked image's name. */
    public String message() {
        return "A new version of the " + trackedImage
                + " has been released. You are now able to launch new EC2 instances from these AMIs.";
    }

    public ObjectNode toJsonTree() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode v1 = root.putObject("v1");
        v1.put("Message", message());
        ObjectNode img = v1.putObject("image");
        img.put("image_name", trackedImage);
        img.put("image_id", imageId);
        v1.put("region", region);
        root.put("id", id);
        root.put("trackedImage", trackedImage);
        root.put("region", region);
        root.put("imageId", imageId);
        root.put("imageName", imageName);
        root.put("creationDate", creationDate);
        root.put("previousImageId", previousImageId);
        root.set("source", sourceJson(imageSource));
        root.put("detectedAt", detectedAt.toString());
        return root;
    }

    /** Compact JSON, e.g. for the AMI_RELEASE_EVENT variable of a triggered Jenkins build. */
    public String toJson() {
        try {
            return Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(toJsonTree());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ReleaseEvent fromJsonTree(JsonNode n) {
        ImageSource src = sourceFromJson(n.path("source"));
        return new ReleaseEvent(text(n, "id"), text(n, "trackedImage"), text(n, "region"), text(n, "imageId"),
                text(n, "imageName"), text(n, "creationDate"), text(n, "previousImageId"), src.describe(),
                Instant.parse(n.path("detectedAt").asText()), src);
    }

    static JsonNode sourceJson(ImageSource source) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        if (source instanceof ImageSource.Parameter p) {
            n.put("parameter", p.path());
        } else if (source instanceof ImageSource.Filters f) {
            ObjectNode filters = n.putObject("filters");
            f.filters().forEach((k, v) -> v.forEach(filters.withArray(k)::add));
            f.owners().forEach(n.withArray("owners")::add);
            n.put("includeDeprecated", f.includeDeprecated());
        }
        return n;
    }

    static ImageSource sourceFromJson(JsonNode n) {
        if (n.hasNonNull("parameter")) {
            return new ImageSource.Parameter(n.get("parameter").asText());
        }
        Map<String, List<String>> filters = new LinkedHashMap<>();
        n.path("filters").fields().forEachRemaining(e -> {
            List<String> vs = new ArrayList<>();
            e.getValue().forEach(v -> vs.add(v.asText()));
            filters.put(e.getKey(), vs);
        });
        List<String> owners = new ArrayList<>();
        n.path("owners").forEach(o -> owners.add(o.asText()));
        return new ImageSource.Filters(filters, owners, n.path("includeDeprecated").asBoolean(false));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
