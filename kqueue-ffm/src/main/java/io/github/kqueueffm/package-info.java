/** kqueue-ffm public API. */
package io.github.kqueueffm;
