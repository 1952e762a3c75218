package dev.quiver.knative;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodTree;
import javax.lang.model.element.Modifier;
import com.sun.source.tree.SwitchExpressionTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreeScanner;

import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The CloudEvent types a function handles, read from its own sources with the JDK's Java parser (javac's syntax
 * trees, no build of the function needed), as Quarkus dispatches them:
 * <ul>
 *   <li>Funqy Knative Events (when the function's pom has quarkus-funqy-knative-events): each {@code @Funq} method
 *       takes the type of its {@code @CloudEventMapping(trigger = ...)}, else of
 *       {@code quarkus.funqy.knative-events.mapping.<function>.trigger} in application.properties, else its
 *       function name ({@code @Funq}'s value or the method's name); with {@code quarkus.funqy.export} set, that
 *       function only;</li>
 *   <li>a JAX-RS CloudEvents door: a method taking the {@code ce-type} header ({@code @HeaderParam("ce-type")}) and
 *       switching on it takes the types of its case labels, string literals or constants of the function's
 *       classes.</li>
 * </ul>
 * A door written otherwise yields no types, so a test comparing them with the Triggers fails rather than passes
 * wrongly. Also read: the {@code responseType} and {@code responseSource} of each Funqy reply.
 */
final class HandledEvents {

    /** A reply Funqy sends back to the Broker: its type and source. */
    record Reply(String type, String source) {
    }

    private static final String MAPPING = "quarkus.funqy.knative-events.mapping.";

    private final Set<String> types = new TreeSet<>();
    private final List<Reply> replies = new ArrayList<>();

    Set<String> types() {
        return types;
    }

    List<Reply> replies() {
        return replies;
    }

    /** What functions/&lt;function&gt; handles. */
    static HandledEvents of(String function) {
        Path dir = Repo.functionDir(function);
        List<CompilationUnitTree> units = parse(dir.resolve("src/main/java"));
        Map<String, String> constants = constants(units);
        Map<String, String> properties = Repo.prodProperties(function);
        boolean funqyEvents;
        try {
            funqyEvents = Files.readString(dir.resolve("pom.xml"))
                    .contains("<artifactId>quarkus-funqy-knative-events</artifactId>");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HandledEvents out = new HandledEvents();
        for (CompilationUnitTree unit : units) {
            new TreeScanner<Void, String>() {
                @Override
                public Void visitClass(ClassTree node, String enclosing) {
                    return super.visitClass(node, node.getSimpleName().toString());
                }

                @Override
                public Void visitMethod(MethodTree method, String enclosing) {
                    if (funqyEvents) {
                        out.funqy(method, enclosing, constants, properties);
                    }
                    out.ceTypeSwitch(method, enclosing, constants);
                    return super.visitMethod(method, enclosing);
                }
            }.scan(unit, null);
        }
        return out;
    }

    private void funqy(MethodTree method, String enclosing, Map<String, String> constants,
                       Map<String, String> properties) {
        Optional<AnnotationTree> funq = annotation(method, "Funq");
        if (funq.isEmpty()) {
            return;
        }
        String name = argument(funq.get(), "value", enclosing, constants).orElse(method.getName().toString());
        String exported = properties.get("quarkus.funqy.export");
        if (exported != null && !exported.equals(name)) {
            return;
        }
        Optional<AnnotationTree> mapping = annotation(method, "CloudEventMapping");
        String type = mapping.flatMap(m -> argument(m, "trigger", enclosing, constants)).filter(t -> !t.isEmpty())
                .or(() -> Optional.ofNullable(properties.get(MAPPING + name + ".trigger")))
                .or(() -> Optional.ofNullable(properties.get(MAPPING + "\"" + name + "\".trigger")))
                .orElse(name);
        types.add(type);
        mapping.ifPresent(m -> replies.add(new Reply(
                argument(m, "responseType", enclosing, constants).orElse(name + ".output"),
                argument(m, "responseSource", enclosing, constants).orElse(name))));
    }

    private void ceTypeSwitch(MethodTree method, String enclosing, Map<String, String> constants) {
        Optional<String> header = method.getParameters().stream().filter(p -> annotation(p, "HeaderParam")
                .flatMap(a -> argument(a, "value", enclosing, constants)).filter("ce-type"::equalsIgnoreCase)
                .isPresent()).map(p -> p.getName().toString()).findFirst();
        if (header.isEmpty() || method.getBody() == null) {
            return;
        }
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitSwitch(SwitchTree node, Void unused) {
                if (selects(node.getExpression())) {
                    cases(node.getCases());
                }
                return super.visitSwitch(node, unused);
            }

            @Override
            public Void visitSwitchExpression(SwitchExpressionTree node, Void unused) {
                if (selects(node.getExpression())) {
                    cases(node.getCases());
                }
                return super.visitSwitchExpression(node, unused);
            }

            private boolean selects(ExpressionTree selector) {
                ExpressionTree e = selector;
                while (e.getKind() == Tree.Kind.PARENTHESIZED) {
                    e = ((com.sun.source.tree.ParenthesizedTree) e).getExpression();
                }
                return e instanceof IdentifierTree id && id.getName().contentEquals(header.get());
            }

            private void cases(List<? extends CaseTree> cases) {
                for (CaseTree c : cases) {
                    for (ExpressionTree label : c.getExpressions()) {
                        types.add(resolve(label, enclosing, constants).orElseThrow(() -> new AssertionError(
                                "cannot read the case label " + label + " of " + enclosing + "." + method.getName())));
                    }
                }
            }
        }.scan(method.getBody(), null);
    }

    private static Optional<AnnotationTree> annotation(MethodTree method, String simpleName) {
        return annotation(method.getModifiers().getAnnotations(), simpleName);
    }

    private static Optional<AnnotationTree> annotation(VariableTree variable, String simpleName) {
        return annotation(variable.getModifiers().getAnnotations(), simpleName);
    }

    private static Optional<AnnotationTree> annotation(List<? extends AnnotationTree> annotations, String simpleName) {
        return annotations.stream().filter(a -> {
            String type = a.getAnnotationType().toString();
            return type.equals(simpleName) || type.endsWith("." + simpleName);
        }).findFirst().map(a -> (AnnotationTree) a);
    }

    /** An annotation's argument: {@code name = value}, or the lone value when {@code name} is {@code value}. */
    private static Optional<String> argument(AnnotationTree annotation, String name, String enclosing,
                                             Map<String, String> constants) {
        for (ExpressionTree arg : annotation.getArguments()) {
            if (arg instanceof AssignmentTree a) {
                if (a.getVariable().toString().equals(name)) {
                    return resolve(a.getExpression(), enclosing, constants);
                }
            } else if (name.equals("value")) {
                return resolve(arg, enclosing, constants);
            }
        }
        return Optional.empty();
    }

    /** A string literal, or a constant by {@code NAME} (of the enclosing class) or {@code Class.NAME}. */
    private static Optional<String> resolve(ExpressionTree e, String enclosing, Map<String, String> constants) {
        if (e instanceof LiteralTree l && l.getValue() instanceof String s) {
            return Optional.of(s);
        }
        if (e instanceof IdentifierTree id) {
            return Optional.ofNullable(constants.get(enclosing + "." + id.getName()));
        }
        if (e instanceof MemberSelectTree m) {
            String owner = m.getExpression().toString();
            String simpleOwner = owner.substring(owner.lastIndexOf('.') + 1);
            return Optional.ofNullable(constants.get(simpleOwner + "." + m.getIdentifier()));
        }
        return Optional.empty();
    }

    /** Every {@code static final String} field with a literal value, as {@code Class.NAME}. */
    private static Map<String, String> constants(List<CompilationUnitTree> units) {
        Map<String, String> out = new HashMap<>();
        for (CompilationUnitTree unit : units) {
            new TreeScanner<Void, String>() {
                @Override
                public Void visitClass(ClassTree node, String enclosing) {
                    return super.visitClass(node, node.getSimpleName().toString());
                }

                @Override
                public Void visitVariable(VariableTree v, String enclosing) {
                    Set<Modifier> flags = v.getModifiers().getFlags();
                    if (enclosing != null && flags.contains(Modifier.STATIC) && flags.contains(Modifier.FINAL)
                            && v.getInitializer() instanceof LiteralTree l && l.getValue() instanceof String s) {
                        out.put(enclosing + "." + v.getName(), s);
                    }
                    return super.visitVariable(v, enclosing);
                }
            }.scan(unit, null);
        }
        return out;
    }

    private static List<CompilationUnitTree> parse(Path sources) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            Iterable<? extends JavaFileObject> objects = fm.getJavaFileObjectsFromPaths(files);
            JavacTask task = (JavacTask) javac.getTask(null, fm, null, List.of("-proc:none"), null, objects);
            List<CompilationUnitTree> units = new ArrayList<>();
            task.parse().forEach(units::add);
            return units;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
