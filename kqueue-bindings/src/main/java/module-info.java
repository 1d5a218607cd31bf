/**
 * Bindings to the operating-system calls kqueue-ffm is built on: jextract-generated code per OS
 * and architecture plus a small hand-written layer (OS and architecture choice, errno capture,
 * typed call wrappers). Every restricted FFM operation of kqueue-ffm lives in this module, so
 * {@code --enable-native-access=io.github.kqueueffm.bindings} is the only native-access grant an
 * application on the module path needs.
 */
module io.github.kqueueffm.bindings {
    exports io.github.kqueueffm.bindings;
    exports io.github.kqueueffm.bindings.linux;
    exports io.github.kqueueffm.bindings.kqueue;
}
