package jp.mynaguard.proxy.gateway;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kill -HUP} reloads the policy, as admins expect of a daemon. Uses {@code sun.misc.Signal}
 * (module jdk.unsupported, present in every OpenJDK) through reflection so the build has no
 * internal-API warning and a JDK without it (or Windows, which has no SIGHUP) just logs that the
 * file watcher and {@code mynaguard policy check} + save are the way to reload.
 */
final class SignalReload {
    private static final Logger log = LoggerFactory.getLogger(SignalReload.class);

    private SignalReload() {
    }

    /** @return whether the handler was installed */
    static boolean install(Runnable onHup) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object hup = signal.getConstructor(String.class).newInstance("HUP");
            InvocationHandler ih = (proxy, method, args) -> {
                if ("handle".equals(method.getName())) {
                    log.info("SIGHUP: reloading the policy");
                    try {
                        onHup.run();
                    } catch (RuntimeException e) {
                        log.error("reload on SIGHUP failed", e);
                    }
                    return null;
                }
                return switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "mynaguard SIGHUP handler";
                    default -> null;
                };
            };
            Object h = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler}, ih);
            signal.getMethod("handle", signal, handler).invoke(null, hup, h);
            return true;
        } catch (ReflectiveOperationException | IllegalArgumentException | LinkageError e) {
            log.info("SIGHUP not available here ({}); the policy still reloads when its files change", e.toString());
            return false;
        }
    }
}
