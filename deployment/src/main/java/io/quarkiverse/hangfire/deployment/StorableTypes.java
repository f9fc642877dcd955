package io.quarkiverse.hangfire.deployment;

import java.util.List;
import java.util.Set;

import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.Type;

/**
 * Decides at build time whether a job parameter type can be stored as JSON and read back as the same type,
 * and says why not.
 */
final class StorableTypes {

    private static final DotName JSON_CREATOR = DotName.createSimple("com.fasterxml.jackson.annotation.JsonCreator");
    private static final DotName JSON_TYPE_INFO = DotName.createSimple("com.fasterxml.jackson.annotation.JsonTypeInfo");

    /** JDK value types Jackson (with the JSR-310 and JDK 8 modules) writes and reads faithfully. */
    private static final Set<String> VALUE_TYPES = Set.of("java.lang.String", "java.lang.Boolean", "java.lang.Character",
            "java.lang.Byte", "java.lang.Short", "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double",
            "java.math.BigDecimal", "java.math.BigInteger", "java.util.UUID", "java.net.URI", "java.net.URL",
            "java.util.Locale", "java.util.Currency", "java.time.Instant", "java.time.LocalDate", "java.time.LocalDateTime",
            "java.time.LocalTime", "java.time.OffsetDateTime", "java.time.OffsetTime", "java.time.ZonedDateTime",
            "java.time.Duration", "java.time.Period", "java.time.Year", "java.time.YearMonth", "java.time.MonthDay",
            "java.time.ZoneId", "java.time.ZoneOffset", "java.time.DayOfWeek", "java.time.Month");

    /** Containers whose element types are checked instead. */
    private static final Set<String> CONTAINERS = Set.of("java.util.List", "java.util.Set", "java.util.Collection",
            "java.util.Map", "java.util.SortedSet", "java.util.SortedMap", "java.util.NavigableSet", "java.util.NavigableMap",
            "java.util.Queue", "java.util.Deque", "java.util.Optional", "java.util.ArrayList", "java.util.LinkedList",
            "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet", "java.util.HashMap",
            "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.EnumSet", "java.util.EnumMap",
            "java.util.OptionalInt", "java.util.OptionalLong", "java.util.OptionalDouble");

    private final IndexView index;

    StorableTypes(IndexView index) {
        this.index = index;
    }

    /** Null when the type can be stored, otherwise the reason it cannot. */
    String problem(Type type) {
        switch (type.kind()) {
            case PRIMITIVE:
                return null;
            case ARRAY:
                return problem(type.asArrayType().constituent());
            case CLASS:
                return classProblem(type.name(), List.of());
            case PARAMETERIZED_TYPE:
                return classProblem(type.name(), type.asParameterizedType().arguments());
            case TYPE_VARIABLE:
            case TYPE_VARIABLE_REFERENCE:
            case UNRESOLVED_TYPE_VARIABLE:
                return "the type variable " + type + " has no concrete type to read the stored JSON back as";
            case WILDCARD_TYPE:
                return "the wildcard " + type + " has no concrete type to read the stored JSON back as";
            default:
                return type + " cannot be stored as JSON";
        }
    }

    private String classProblem(DotName name, List<Type> arguments) {
        String n = name.toString();
        if (VALUE_TYPES.contains(n)) {
            return null;
        }
        if (n.equals("java.lang.Object")) {
            return "Object does not say which type to read the stored JSON back as; declare a concrete type";
        }
        if (CONTAINERS.contains(n)) {
            ClassInfo container = index.getClassByName(name);
            int expected = container == null ? arguments.size() : container.typeParameters().size();
            if (arguments.size() < expected) {
                return "the raw type " + n + " does not say its element type; declare it, as in List<String>";
            }
            for (Type argument : arguments) {
                String problem = problem(argument);
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        }
        if (n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("jakarta.") || n.startsWith("sun.")) {
            return n + " is not a value that can be stored as JSON (streams, connections, threads, functions and other"
                    + " runtime objects cannot be passed to a job that runs later, elsewhere)";
        }
        ClassInfo info = index.getClassByName(name);
        if (info == null) {
            return n + " is not on the application's class path index; it cannot be checked or registered for JSON";
        }
        if (info.isEnum() || info.isRecord()) {
            return checkArguments(arguments);
        }
        if (info.hasDeclaredAnnotation(JSON_TYPE_INFO)) {
            return checkArguments(arguments);
        }
        if (info.isInterface() || java.lang.reflect.Modifier.isAbstract(info.flags())) {
            return n + " is " + (info.isInterface() ? "an interface" : "abstract")
                    + ": the stored JSON could not say which implementation to create; use a concrete type or annotate it"
                    + " with @JsonTypeInfo";
        }
        if (info.nestingType() == ClassInfo.NestingType.INNER && !java.lang.reflect.Modifier.isStatic(info.flags())) {
            return n + " is an inner class (not static); Jackson cannot create it on its own";
        }
        if (!info.typeParameters().isEmpty() && arguments.size() < info.typeParameters().size()) {
            return "the raw type " + n + " does not say its type arguments";
        }
        boolean creatable = info.hasNoArgsConstructor()
                || info.constructors().stream().anyMatch(c -> c.hasDeclaredAnnotation(JSON_CREATOR))
                || info.methods().stream().anyMatch(m -> isStaticCreator(m));
        if (!creatable) {
            return n + " has no no-arg constructor and no @JsonCreator constructor or factory, so Jackson cannot create it"
                    + " from the stored JSON";
        }
        return checkArguments(arguments);
    }

    private static boolean isStaticCreator(MethodInfo m) {
        return java.lang.reflect.Modifier.isStatic(m.flags()) && m.hasDeclaredAnnotation(JSON_CREATOR)
                && m.declaredAnnotation(JSON_CREATOR).target().kind() == AnnotationTarget.Kind.METHOD;
    }

    private String checkArguments(List<Type> arguments) {
        for (Type argument : arguments) {
            String problem = problem(argument);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }
}
