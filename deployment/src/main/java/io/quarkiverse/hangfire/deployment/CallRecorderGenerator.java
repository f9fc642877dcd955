package io.quarkiverse.hangfire.deployment;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.PrimitiveType;
import org.jboss.jandex.Type;

import io.quarkiverse.hangfire.runtime.registry.CapturedCall;
import io.quarkus.deployment.GeneratedClassGizmoAdaptor;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.deployment.builditem.GeneratedClassBuildItem;
import io.quarkus.gizmo.ClassCreator;
import io.quarkus.gizmo.ClassOutput;
import io.quarkus.gizmo.MethodCreator;
import io.quarkus.gizmo.MethodDescriptor;
import io.quarkus.gizmo.ResultHandle;

/**
 * Generates, for each class with job methods, the subclass on which {@code jobs.enqueue(Jobs.class, j -> ...)}
 * lambdas run. Its job methods record their name and arguments instead of running; every other method it can
 * override refuses, so a lambda that does anything but call one job method fails at the call.
 */
class CallRecorderGenerator {

    static final String SUFFIX = "_HangfireCallRecorder";

    @BuildStep
    void generate(JobMethodsCheckedBuildItem checked, List<JobMethodBuildItem> jobs, CombinedIndexBuildItem combined,
            BuildProducer<GeneratedClassBuildItem> generated, BuildProducer<CallRecorderClassBuildItem> recorders) {
        if (!checked.valid) {
            return; // a subclass of a final class or method would not load; the build fails on those anyway
        }
        Map<DotName, List<JobMethodBuildItem>> byClass = new LinkedHashMap<>();
        for (JobMethodBuildItem job : jobs) {
            byClass.computeIfAbsent(job.declaringClass.name(), k -> new ArrayList<>()).add(job);
        }
        ClassOutput output = new GeneratedClassGizmoAdaptor(generated, true);
        for (Map.Entry<DotName, List<JobMethodBuildItem>> entry : byClass.entrySet()) {
            ClassInfo jobClass = entry.getValue().get(0).declaringClass;
            String recorderName = jobClass.name().toString() + SUFFIX;
            try (ClassCreator creator = ClassCreator.builder().classOutput(output).className(recorderName)
                    .superClass(jobClass.name().toString()).build()) {
                constructor(creator, jobClass);
                Set<String> done = new HashSet<>();
                for (JobMethodBuildItem job : entry.getValue()) {
                    recordingMethod(creator, job.method, job.name);
                    done.add(signature(job.method));
                }
                refuseOtherMethods(creator, jobClass, combined.getComputingIndex(), done);
            }
            recorders.produce(new CallRecorderClassBuildItem(jobClass.name().toString(), recorderName));
        }
    }

    /** Calls the no-arg constructor, or else the shortest one with default values: the stand-in holds no state. */
    private static void constructor(ClassCreator creator, ClassInfo jobClass) {
        MethodInfo superConstructor = jobClass.constructors().stream().filter(c -> !Modifier.isPrivate(c.flags()))
                .min(Comparator.comparingInt(MethodInfo::parametersCount)).orElseThrow();
        MethodCreator constructor = creator.getMethodCreator("<init>", void.class);
        ResultHandle[] arguments = new ResultHandle[superConstructor.parametersCount()];
        for (int i = 0; i < arguments.length; i++) {
            arguments[i] = defaultValue(constructor, superConstructor.parameterType(i));
        }
        constructor.invokeSpecialMethod(MethodDescriptor.of(superConstructor), constructor.getThis(), arguments);
        constructor.returnValue(null);
    }

    private static void recordingMethod(ClassCreator creator, MethodInfo method, String jobName) {
        MethodCreator body = creator.getMethodCreator(MethodDescriptor.of(method));
        body.setModifiers(method.flags() & (Modifier.PUBLIC | Modifier.PROTECTED));
        ResultHandle arguments = body.newArray(Object.class, method.parametersCount());
        for (int i = 0; i < method.parametersCount(); i++) {
            if (method.parameterType(i).name().equals(JobMethodsProcessor.JOB_CONTEXT)) {
                continue; // supplied by the worker, never stored
            }
            Type type = method.parameterType(i);
            ResultHandle value = body.getMethodParam(i);
            if (type.kind() == Type.Kind.PRIMITIVE) {
                value = body.smartCast(value, boxed(type.asPrimitiveType().primitive()));
            }
            body.writeArrayValue(arguments, i, value);
        }
        body.invokeStaticMethod(MethodDescriptor.ofMethod(CapturedCall.class, "record", void.class, String.class,
                Object[].class), body.load(jobName), withoutContext(body, arguments, method));
        body.returnValue(defaultValue(body, method.returnType()));
    }

    /** The argument array less the JobContext slot, so that stored arguments line up with the parameters. */
    private static ResultHandle withoutContext(MethodCreator body, ResultHandle arguments, MethodInfo method) {
        int context = -1;
        for (int i = 0; i < method.parametersCount(); i++) {
            if (method.parameterType(i).name().equals(JobMethodsProcessor.JOB_CONTEXT)) {
                context = i;
            }
        }
        if (context < 0) {
            return arguments;
        }
        ResultHandle stored = body.newArray(Object.class, method.parametersCount() - 1);
        int target = 0;
        for (int i = 0; i < method.parametersCount(); i++) {
            if (i != context) {
                body.writeArrayValue(stored, target++, body.readArrayValue(arguments, i));
            }
        }
        return stored;
    }

    private static void refuseOtherMethods(ClassCreator creator, ClassInfo jobClass, IndexView index, Set<String> done) {
        String ownPackage = jobClass.name().packagePrefix();
        for (ClassInfo type = jobClass; type != null && !type.name().toString().equals("java.lang.Object");
                type = type.superName() == null ? null : index.getClassByName(type.superName())) {
            boolean samePackage = String.valueOf(type.name().packagePrefix()).equals(String.valueOf(ownPackage));
            for (MethodInfo method : type.methods()) {
                int flags = method.flags();
                boolean packagePrivate = (flags & (Modifier.PUBLIC | Modifier.PROTECTED | Modifier.PRIVATE)) == 0;
                if (method.isConstructor() || method.isStaticInitializer() || Modifier.isStatic(flags)
                        || Modifier.isPrivate(flags) || Modifier.isFinal(flags) || method.isSynthetic()
                        || (packagePrivate && !samePackage) || !done.add(signature(method))) {
                    continue;
                }
                MethodCreator body = creator.getMethodCreator(MethodDescriptor.of(method));
                body.setModifiers(flags & (Modifier.PUBLIC | Modifier.PROTECTED));
                body.invokeStaticMethod(MethodDescriptor.ofMethod(CapturedCall.class, "rejectNonJobMethod", void.class,
                        String.class, String.class), body.load(jobClass.simpleName()), body.load(method.name()));
                body.returnValue(defaultValue(body, method.returnType()));
            }
        }
    }

    private static Class<?> boxed(PrimitiveType.Primitive primitive) {
        switch (primitive) {
            case BOOLEAN:
                return Boolean.class;
            case LONG:
                return Long.class;
            case FLOAT:
                return Float.class;
            case DOUBLE:
                return Double.class;
            case CHAR:
                return Character.class;
            case BYTE:
                return Byte.class;
            case SHORT:
                return Short.class;
            default:
                return Integer.class;
        }
    }

    private static String signature(MethodInfo method) {
        return method.name() + method.descriptor().substring(0, method.descriptor().indexOf(')') + 1);
    }

    private static ResultHandle defaultValue(MethodCreator body, Type type) {
        if (type.kind() == Type.Kind.VOID) {
            return null;
        }
        if (type.kind() != Type.Kind.PRIMITIVE) {
            return body.loadNull();
        }
        PrimitiveType.Primitive primitive = type.asPrimitiveType().primitive();
        switch (primitive) {
            case BOOLEAN:
                return body.load(false);
            case LONG:
                return body.load(0L);
            case FLOAT:
                return body.load(0f);
            case DOUBLE:
                return body.load(0d);
            case CHAR:
                return body.load((char) 0);
            case BYTE:
                return body.load((byte) 0);
            case SHORT:
                return body.load((short) 0);
            default:
                return body.load(0);
        }
    }
}
