package io.github.kqueueffm.emul;

/**
 * A backend's table of watched descriptors as {@link DescriptorFilter} sees it: one record per
 * descriptor with knotes, made on its first knote (when the file's identity is taken) and
 * forgotten after its last. Every method runs under the kqueue's lock. Errors follow the kernel's
 * convention: 0 or a value ≥ 0 on success, −errno on failure.
 *
 * @param <D> the backend's per-descriptor record
 */
public interface DescriptorTable<D> {
    /**
     * {@link #open} result: the record was kept from earlier knotes of the number and is checked
     * only by the attach's registration. An attach that fails on it (the number may name another
     * file by now) {@link #forget}s it and tries once more with a fresh record.
     */
    int REMEMBERED = 1;

    /**
     * Makes sure a descriptor has a record.
     *
     * @param fd the descriptor number
     * @return 0, {@link #REMEMBERED}, or −errno (EBADF: not open)
     */
    int open(int fd);

    /**
     * Forgets a {@link #REMEMBERED} record the attach found wrong; the next {@link #open} of its
     * number makes a fresh one.
     *
     * @param rec the record, without knotes
     */
    void forget(D rec);

    /**
     * @param fd a descriptor number {@link #open} accepted
     * @return its record
     */
    D get(int fd);

    /**
     * Brings the OS's registrations of a record in line with its knotes; a record left without
     * knotes is forgotten.
     *
     * @param rec the record
     * @return 0, or −errno of the first registration that failed
     */
    int update(D rec);

    /**
     * A knote's enabled state or parameters changed: re-reads the descriptor's readiness, then
     * {@link #update}s.
     *
     * @param rec the record
     */
    void changed(D rec);

    /**
     * The check before {@code f_event}: whether the number still names the file the record was
     * made for (else it was closed, and perhaps reused for another file).
     *
     * @param rec the record
     * @return false if the record's knotes must be dropped
     */
    boolean sameFile(D rec);
}
