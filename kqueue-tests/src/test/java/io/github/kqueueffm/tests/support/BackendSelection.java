package io.github.kqueueffm.tests.support;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Makes each surefire run test the backend it is meant for. The library chooses its backend once,
 * from the system property {@code kqueue.native.library} (see {@code BackendChoice}), and surefire
 * hands every {@code -D} property of the Maven command line to every run; so
 * {@code mvn verify -Pnative -Dkqueue.native.library=…} would otherwise point the usual
 * (emulation) run at the native library too. Each run says which backend it tests in
 * {@code kqueue.tests.backend}; for {@code emulation} this listener removes
 * {@code kqueue.native.library} when the test session opens, before any test and so before the
 * library reads it. Registered through {@code META-INF/services}; where the property is unset (an
 * IDE) it does nothing.
 */
public final class BackendSelection implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if ("emulation".equals(System.getProperty("kqueue.tests.backend"))) {
            System.clearProperty("kqueue.native.library");
        }
    }
}
