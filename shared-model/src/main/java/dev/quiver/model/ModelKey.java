package dev.quiver.model;

/** A model version's identity: its model name and version. */
public record ModelKey(String name, String version) {
    @Override
    public String toString() {
        return name + ":" + version;
    }
}
