package dev.quiver.predict.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;
import dev.quiver.json.Json;
import dev.quiver.registry.ModelArtifact;
import dev.quiver.model.ModelDescriptor;
import dev.quiver.registry.ModelRegistry;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * The model registry over HTTP: list models, versions and aliases, register a version (an ONNX file and its
 * descriptor, as multipart form data) and set, move or remove aliases. Changes take effect at once, without
 * a restart.
 *
 * <p>A model whose tensors keep their data in external files sends each file as one more part named
 * {@code external_data}, whose filename is the location the model names it by ({@code weights/w.bin}); the version
 * is stored with them, and a model naming any other file is refused.
 */
@Path("/registry/models")
@Produces(MediaType.APPLICATION_JSON)
public class RegistryResource {

    /** A model's versions and aliases. */
    public record ModelSummary(String name, List<String> versions, Map<String, String> aliases) {
    }

    /** The body of an alias change. */
    public record AliasTarget(String version) {
    }

    private final ModelRegistry registry;

    public RegistryResource(ModelRegistry registry) {
        this.registry = registry;
    }

    @GET
    public List<ModelSummary> models() {
        return registry.models().stream().map(this::summary).toList();
    }

    @GET
    @Path("/{name}")
    public ModelSummary model(@PathParam("name") String name) {
        return summary(name);
    }

    @GET
    @Path("/{name}/versions/{version}")
    public ModelDescriptor version(@PathParam("name") String name, @PathParam("version") String version) {
        return registry.descriptor(name, version);
    }

    @POST
    @Path("/{name}/versions")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response register(@PathParam("name") String name, @RestForm("model") FileUpload model,
                             @RestForm("descriptor") String descriptor,
                             @RestForm("reference_profile") FileUpload referenceProfile,
                             @RestForm("external_data") List<FileUpload> externalData) {
        Check.required(model, "model");
        ModelDescriptor d = descriptor(descriptor);
        ModelArtifact artifact = new ModelArtifact(model.uploadedFile(), dataFiles(externalData));
        byte[] reference = referenceProfile == null ? null : checkedReference(referenceProfile, d);
        ModelDescriptor stored = registry.register(name, d, artifact, reference);
        return Response.created(URI.create("/registry/models/" + name + "/versions/" + stored.version()))
                .entity(stored).build();
    }

    @PUT
    @Path("/{name}/aliases/{alias}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ModelSummary setAlias(@PathParam("name") String name, @PathParam("alias") String alias, AliasTarget target) {
        Check.required(target, "body");
        registry.setAlias(name, alias, Check.required(target.version(), "version"));
        return summary(name);
    }

    @DELETE
    @Path("/{name}/aliases/{alias}")
    public ModelSummary removeAlias(@PathParam("name") String name, @PathParam("alias") String alias) {
        registry.removeAlias(name, alias);
        return summary(name);
    }

    /** The {@code descriptor} part read; BAD_INPUT naming it when missing or not a descriptor. */
    static ModelDescriptor descriptor(String descriptor) {
        Check.required(descriptor, "descriptor");
        try {
            return Json.MAPPER.readValue(descriptor, ModelDescriptor.class);
        } catch (JsonProcessingException e) {
            throw QuiverException.badInput("descriptor", "not a valid descriptor: " + firstLine(e.getOriginalMessage()));
        }
    }

    /** The {@code external_data} parts by their filenames, which are the locations the model names them by. */
    static Map<String, java.nio.file.Path> dataFiles(List<FileUpload> parts) {
        Map<String, java.nio.file.Path> files = new java.util.TreeMap<>();
        for (FileUpload part : parts == null ? List.<FileUpload>of() : parts) {
            String location = part.fileName();
            Check.that(location != null && !location.isEmpty(), "external_data",
                    "each part needs a filename: the location the model names the file by");
            Check.that(files.put(location, part.uploadedFile()) == null, "external_data",
                    "two parts are named '" + location + "'");
        }
        return files;
    }

    /**
     * A reference profile must be one (the training command writes it next to the model) and must sketch the
     * descriptor's inputs, numbers as numbers and categories with the same categories, and its labels.
     */
    static byte[] checkedReference(FileUpload upload, ModelDescriptor d) {
        byte[] bytes;
        dev.quiver.drift.capture.Profile.Saved p;
        try {
            bytes = Files.readAllBytes(upload.uploadedFile());
            p = Json.MAPPER.readValue(bytes, dev.quiver.drift.capture.Profile.Saved.class);
        } catch (IOException e) {
            throw QuiverException.badInput("reference_profile", "not a reference profile: "
                    + firstLine(e.getMessage()));
        }
        java.util.Set<String> numbers = new java.util.TreeSet<>();
        Map<String, List<String>> categories = new java.util.TreeMap<>();
        for (dev.quiver.model.InputField f : d.inputs()) {
            if (f.type() == dev.quiver.model.InputField.Type.CATEGORY) {
                categories.put(f.name(), f.categories());
            } else {
                numbers.add(f.name());
            }
        }
        Check.that(p.numeric() != null && new java.util.TreeSet<>(p.numeric().keySet()).equals(numbers)
                        && p.categoryNames() != null && new java.util.TreeMap<>(p.categoryNames()).equals(categories)
                        && d.labels().equals(p.labels()), "reference_profile",
                "does not sketch this descriptor's inputs and labels; it was made for another model");
        return bytes;
    }

    private ModelSummary summary(String name) {
        return new ModelSummary(name, registry.versions(name), registry.aliases(name));
    }

    static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return s == null ? "unreadable" : nl < 0 ? s : s.substring(0, nl);
    }
}
