package io.quarkiverse.hangfire.runtime.registry;

import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Turns the type names the build records ("java.util.List<org.acme.Jobs$Item>", "int[]") into
 * {@link Type}s. Run once at static init; Jackson then builds its types from them with every module's type
 * modifiers applied (its own canonical-name parser skips those, so {@code Optional} would not work).
 */
final class TypeNames {

    private static final Map<String, Class<?>> PRIMITIVES = Map.of("int", int.class, "long", long.class, "boolean",
            boolean.class, "double", double.class, "float", float.class, "short", short.class, "byte", byte.class, "char",
            char.class);

    private final String text;
    private final ClassLoader loader;
    private int pos;

    private TypeNames(String text, ClassLoader loader) {
        this.text = text.replace(" ", "");
        this.loader = loader;
    }

    static Type parse(String name, ClassLoader loader) {
        TypeNames parser = new TypeNames(name, loader);
        Type type = parser.type();
        if (parser.pos != parser.text.length()) {
            throw new IllegalStateException("Cannot read the type name '" + name + "'");
        }
        return type;
    }

    private Type type() {
        int start = pos;
        while (pos < text.length() && "<>,[".indexOf(text.charAt(pos)) < 0) {
            pos++;
        }
        Class<?> raw = load(text.substring(start, pos));
        Type type = raw;
        if (pos < text.length() && text.charAt(pos) == '<') {
            pos++;
            List<Type> arguments = new ArrayList<>();
            arguments.add(type());
            while (text.charAt(pos) == ',') {
                pos++;
                arguments.add(type());
            }
            pos++; // '>'
            type = new Parameterized(raw, arguments.toArray(Type[]::new));
        }
        while (text.startsWith("[]", pos)) {
            pos += 2;
            type = type instanceof Class<?> c ? Array.newInstance(c, 0).getClass() : new GenericArray(type);
        }
        return type;
    }

    private Class<?> load(String name) {
        Class<?> primitive = PRIMITIVES.get(name);
        if (primitive != null) {
            return primitive;
        }
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("The job parameter type " + name + " is missing at run time", e);
        }
    }

    private record Parameterized(Class<?> raw, Type[] arguments) implements ParameterizedType {
        @Override
        public Type[] getActualTypeArguments() {
            return arguments.clone();
        }

        @Override
        public Type getRawType() {
            return raw;
        }

        @Override
        public Type getOwnerType() {
            return raw.getDeclaringClass();
        }

        @Override
        public String toString() {
            return raw.getName() + Arrays.toString(arguments);
        }
    }

    private record GenericArray(Type component) implements GenericArrayType {
        @Override
        public Type getGenericComponentType() {
            return component;
        }
    }
}
