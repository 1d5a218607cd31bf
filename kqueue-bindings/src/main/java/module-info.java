/**
 * Bindings to the operating-system calls kqueue-ffm is built on: jextract-generated code per OS
 * and architecture plus a small hand-written layer (OS and architecture choice, errno capture,
 * typed call wrappers). Every restricted FFM operation of kqueue-ffm lives in this module, so
 * {@code --enable-native-access=io.github.kqueueffm.bindings} is the only native-access grant an
 * application on the module path needs.
 *
 * <p>Nothing here is for applications: every package is exported to the library module
 * {@code io.github.kqueueffm} only. The grant above lets this module link downcalls, and an
 * unqualified export would hand them ({@code LinuxBindings.downcall}, the {@code LinuxCalls}
 * wrappers) to every module on the module path, granted or not. On the class path, where module
 * exports do not apply, the tests and benchmarks still reach these packages.
 */
// "module not found: io.github.kqueueffm": the library is compiled after this module, so the
// qualified exports name a module that javac cannot see here.
@SuppressWarnings("module")
module io.github.kqueueffm.bindings {
    exports io.github.kqueueffm.bindings to io.github.kqueueffm;
    exports io.github.kqueueffm.bindings.linux to io.github.kqueueffm;
    exports io.github.kqueueffm.bindings.kqueue to io.github.kqueueffm;
}
