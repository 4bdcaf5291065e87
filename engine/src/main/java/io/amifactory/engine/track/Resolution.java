package io.amifactory.engine.track;

/** What one tracked image resolves to in one region right now: an AMI, or the error that prevented it. */
public record Resolution(String image, String region, String imageId, String imageName, String creationDate, String error) {
    public boolean ok() {
        return error == null;
    }

    static Resolution failed(String image, String region, String error) {
        return new Resolution(image, region, null, null, null, error);
    }
}
