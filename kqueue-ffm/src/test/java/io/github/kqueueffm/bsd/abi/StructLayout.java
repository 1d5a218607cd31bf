package io.github.kqueueffm.bsd.abi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The offsets a C compiler gives a struct on an LP64 system: each field at the next multiple of
 * its alignment (its size, or the {@code #pragma pack} value if smaller), the whole padded to its
 * largest alignment. Enough for {@code struct kevent}, which has only scalars, pointers and one
 * array.
 */
final class StructLayout {
    /** One declared field: C type, name and array length (1 for a scalar). */
    record Field(String type, String name, int count) {
    }

    private static final Map<String, Integer> SIZES = Map.ofEntries(
            Map.entry("uintptr_t", 8), Map.entry("__uintptr_t", 8), Map.entry("intptr_t", 8),
            Map.entry("__intptr_t", 8), Map.entry("int64_t", 8), Map.entry("__int64_t", 8),
            Map.entry("uint64_t", 8), Map.entry("__uint64_t", 8), Map.entry("void*", 8),
            Map.entry("int32_t", 4), Map.entry("uint32_t", 4), Map.entry("unsigned int", 4),
            Map.entry("u_int", 4), Map.entry("int16_t", 2), Map.entry("uint16_t", 2),
            Map.entry("short", 2), Map.entry("unsigned short", 2), Map.entry("u_short", 2));

    private StructLayout() {
    }

    /**
     * @param type a C type as declared
     * @return its size in bytes on LP64
     */
    static int size(String type) {
        Integer size = SIZES.get(type);
        if (size == null) {
            throw new IllegalArgumentException("no LP64 size known for " + type);
        }
        return size;
    }

    /**
     * @param fields the declaration
     * @param pack   the {@code #pragma pack} in effect, 0 for none
     * @return field name → offset, and {@code "size"} → sizeof
     */
    static Map<String, Long> offsets(List<Field> fields, int pack) {
        Map<String, Long> offsets = new LinkedHashMap<>();
        long offset = 0;
        long maxAlign = 1;
        for (Field f : fields) {
            int size = size(f.type());
            long align = pack > 0 ? Math.min(size, pack) : size;
            offset = (offset + align - 1) / align * align;
            offsets.put(f.name(), offset);
            offset += (long) size * f.count();
            maxAlign = Math.max(maxAlign, align);
        }
        offsets.put("size", (offset + maxAlign - 1) / maxAlign * maxAlign);
        return offsets;
    }
}
