import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Checks a Central Portal bundle (the zip central-publishing-maven-plugin builds) against what
 * Maven Central requires, for scripts/check-bundle.sh:
 * <ul>
 *   <li>exactly the expected artifacts, at the release version, in the repository layout;</li>
 *   <li>for each: the pom, and for jar packaging the jar, sources jar and javadoc jar, each with a
 *       signature ({@code .asc}) and md5 and sha1 checksums that match; no other files;</li>
 *   <li>each pom with name and description of its own, and url, licenses, developers and scm of its
 *       own or from its parent in the bundle (then without Maven appending the artifactId);</li>
 *   <li>the javadoc jar documents exactly the packages the sources' module-info exports to
 *       everyone, or, for a module that exports to the library alone (the bindings), exactly the
 *       packages it exports to it.</li>
 * </ul>
 * Usage: {@code java BundleCheck.java BUNDLE_ZIP EXTRACT_DIR GROUP_ID VERSION ARTIFACT_ID...}; it
 * extracts the bundle to EXTRACT_DIR (check-bundle.sh verifies the signatures there), prints one
 * line per check and exits 1 if any failed. Runs on any JDK 17+ as a single source file.
 */
public final class BundleCheck {
    private static final Pattern EXPORTS =
            Pattern.compile("\\bexports\\s+([\\w.]+)\\s*(\\bto\\b[^;]*)?;");

    private final List<String> failures = new ArrayList<>();
    private final Path root;
    private final String groupId;
    private final String version;

    private BundleCheck(Path root, String groupId, String version) {
        this.root = root;
        this.groupId = groupId;
        this.version = version;
    }

    /**
     * Runs the check.
     *
     * @param args bundle zip, extraction directory, groupId, version, expected artifactIds
     * @throws Exception if the bundle cannot be read
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: java BundleCheck.java BUNDLE_ZIP EXTRACT_DIR GROUP_ID VERSION ARTIFACT_ID...");
            System.exit(2);
        }
        Path root = Path.of(args[1]);
        extract(Path.of(args[0]), root);
        BundleCheck check = new BundleCheck(root, args[2], args[3]);
        check.run(new TreeSet<>(List.of(args).subList(4, args.length)));
        if (!check.failures.isEmpty()) {
            System.out.println("bundle check: FAILED (" + check.failures.size() + ")");
            check.failures.forEach(f -> System.out.println("  " + f));
            System.exit(1);
        }
        System.out.println("bundle check: OK");
    }

    private void run(Set<String> expected) throws Exception {
        Path groupDir = root.resolve(groupId.replace('.', '/'));
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Path rel = groupDir.relativize(file);
                if (!file.startsWith(groupDir) || rel.getNameCount() != 3 || !rel.getName(1).toString().equals(version)) {
                    fail("outside " + groupId.replace('.', '/') + "/<artifactId>/" + version + "/: " + root.relativize(file));
                } else {
                    found.add(rel.getName(0).toString());
                }
            }
        }
        report(found.equals(expected), "artifacts " + found + (found.equals(expected) ? "" : ", expected " + expected));
        Map<String, Document> poms = new TreeMap<>();
        for (String artifactId : found) {
            Path pom = groupDir.resolve(artifactId).resolve(version).resolve(artifactId + "-" + version + ".pom");
            if (Files.isRegularFile(pom)) {
                poms.put(artifactId, parse(pom));
            }
        }
        for (String artifactId : found) {
            checkFiles(artifactId, groupDir.resolve(artifactId).resolve(version), poms.get(artifactId));
            if (poms.containsKey(artifactId)) {
                checkPom(artifactId, poms.get(artifactId), poms);
            }
        }
    }

    /** The pom, jar, sources and javadoc jars, each signed and with matching md5 and sha1. */
    private void checkFiles(String artifactId, Path dir, Document pom) throws IOException {
        String base = artifactId + "-" + version;
        List<String> main = new ArrayList<>(List.of(base + ".pom"));
        if (pom != null && "jar".equals(text(pom.getDocumentElement(), "packaging", "jar"))) {
            main.addAll(List.of(base + ".jar", base + "-sources.jar", base + "-javadoc.jar"));
        }
        Set<String> allowed = new TreeSet<>();
        for (String name : main) {
            for (String file : List.of(name, name + ".asc")) {
                allowed.add(file);
                for (String digest : List.of("md5", "sha1", "sha256", "sha512")) {
                    allowed.add(file + "." + digest);
                }
            }
            Path file = dir.resolve(name);
            if (!Files.isRegularFile(file)) {
                fail(artifactId + ": no " + name);
                continue;
            }
            boolean signed = Files.isRegularFile(dir.resolve(name + ".asc"));
            boolean md5 = digestMatches(file, "md5", "MD5");
            boolean sha1 = digestMatches(file, "sha1", "SHA-1");
            report(signed && md5 && sha1, artifactId + ": " + name + (signed ? " .asc" : " NO .asc")
                    + (md5 ? " .md5" : " NO/BAD .md5") + (sha1 ? " .sha1" : " NO/BAD .sha1"));
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.map(f -> f.getFileName().toString()).filter(f -> !allowed.contains(f))
                    .forEach(f -> fail(artifactId + ": unexpected file " + f));
        }
        if (main.size() > 1) {
            checkJars(artifactId, dir.resolve(main.get(1)), dir.resolve(main.get(2)), dir.resolve(main.get(3)));
        }
    }

    /** Classes in the jar, sources in the sources jar, and javadoc of exactly the exported packages. */
    private void checkJars(String artifactId, Path jar, Path sources, Path javadoc) throws IOException {
        if (!Files.isRegularFile(jar) || !Files.isRegularFile(sources) || !Files.isRegularFile(javadoc)) {
            return;
        }
        try (ZipFile j = new ZipFile(jar.toFile()); ZipFile s = new ZipFile(sources.toFile());
                ZipFile d = new ZipFile(javadoc.toFile())) {
            boolean classes = j.stream().anyMatch(e -> e.getName().endsWith(".class"));
            boolean module = j.getEntry("module-info.class") != null;
            report(classes && module, artifactId + ": jar has classes" + (module ? " and module-info.class" : " but NO module-info.class"));
            report(s.stream().anyMatch(e -> e.getName().endsWith(".java")), artifactId + ": sources jar has .java files");
            ZipEntry elements = d.getEntry("element-list");
            if (d.getEntry("index.html") == null || elements == null) {
                fail(artifactId + ": javadoc jar has no index.html or element-list");
                return;
            }
            Set<String> documented = new TreeSet<>();
            for (String line : read(d, elements).split("\n")) {
                if (!line.isBlank() && !line.startsWith("module:")) {
                    documented.add(line.strip());
                }
            }
            ZipEntry descriptor = s.getEntry("module-info.java");
            if (descriptor == null) {
                fail(artifactId + ": sources jar has no module-info.java");
                return;
            }
            String code = read(s, descriptor).replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", " ");
            Set<String> exported = new TreeSet<>();
            Set<String> qualified = new TreeSet<>();
            Matcher m = EXPORTS.matcher(code);
            while (m.find()) {
                (m.group(2) == null ? exported : qualified).add(m.group(1));
            }
            Set<String> expected = exported.isEmpty() ? qualified : exported;
            String whom = exported.isEmpty() ? "to the library only" : "to everyone";
            report(documented.equals(expected), artifactId + ": javadoc documents " + documented
                    + (documented.equals(expected) ? ", the packages module-info exports " + whom
                            : " but module-info exports " + expected + " " + whom + " (kqueue.javadoc.excludes in its pom)"));
        }
    }

    /** Central's required metadata, own or inherited from the parent in the bundle. */
    private void checkPom(String artifactId, Document pom, Map<String, Document> poms) throws IOException {
        Element project = pom.getDocumentElement();
        Element parentRef = child(project, "parent");
        Document parentPom = parentRef == null ? null : poms.get(text(parentRef, "artifactId", ""));
        if (parentRef != null && parentPom == null) {
            fail(artifactId + ": parent " + text(parentRef, "artifactId", "?") + " is not in the bundle");
        }
        Element parent = parentPom == null ? null : parentPom.getDocumentElement();
        String group = text(project, "groupId", parentRef == null ? "" : text(parentRef, "groupId", ""));
        String ver = text(project, "version", parentRef == null ? "" : text(parentRef, "version", ""));
        report(group.equals(groupId) && ver.equals(version) && text(project, "artifactId", "").equals(artifactId),
                artifactId + ": coordinates " + group + ":" + text(project, "artifactId", "") + ":" + ver);
        report(!textOf(pom).contains("SNAPSHOT"), artifactId + ": pom names no SNAPSHOT");
        for (String field : List.of("name", "description")) {
            report(!text(project, field, "").isBlank(), artifactId + ": " + field + " \"" + text(project, field, "") + "\"");
        }
        String url = text(project, "url", "");
        if (url.isBlank() && parent != null) {
            url = text(parent, "url", "");
            report("false".equals(parent.getAttribute("child.project.url.inherit.append.path")),
                    artifactId + ": url inherited as is (parent sets child.project.url.inherit.append.path=\"false\")");
        }
        report(!url.isBlank(), artifactId + ": url " + url);
        Element licenses = own(project, parent, "licenses");
        Element license = licenses == null ? null : child(licenses, "license");
        report(license != null && !text(license, "name", "").isBlank() && !text(license, "url", "").isBlank(),
                artifactId + ": license " + (license == null ? "NONE" : text(license, "name", "") + " " + text(license, "url", "")));
        Element developers = own(project, parent, "developers");
        Element developer = developers == null ? null : child(developers, "developer");
        report(developer != null && !text(developer, "name", "").isBlank(),
                artifactId + ": developer " + (developer == null ? "NONE" : text(developer, "name", "")));
        Element scm = child(project, "scm");
        if (scm == null && parent != null) {
            Element inherited = child(parent, "scm");
            scm = inherited;
            if (inherited != null) {
                boolean asIs = Stream.of("url", "connection", "developerConnection")
                        .allMatch(a -> "false".equals(inherited.getAttribute("child.scm." + a + ".inherit.append.path")));
                report(asIs, artifactId + ": scm inherited as is (parent's scm sets child.scm.*.inherit.append.path=\"false\")");
            }
        }
        report(scm != null && !text(scm, "url", "").isBlank() && !text(scm, "connection", "").isBlank(),
                artifactId + ": scm " + (scm == null ? "NONE" : text(scm, "url", "") + " " + text(scm, "connection", "")));
    }

    private boolean digestMatches(Path file, String extension, String algorithm) throws IOException {
        Path sum = file.resolveSibling(file.getFileName() + "." + extension);
        if (!Files.isRegularFile(sum)) {
            return false;
        }
        try {
            String expected = HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(Files.readAllBytes(file)));
            return Files.readString(sum).strip().split("\\s+")[0].equalsIgnoreCase(expected);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void report(boolean ok, String what) {
        System.out.println((ok ? "ok    " : "FAIL  ") + what);
        if (!ok) {
            failures.add(what);
        }
    }

    private void fail(String what) {
        report(false, what);
    }

    private static Element own(Element project, Element parent, String name) {
        Element e = child(project, name);
        return e != null || parent == null ? e : child(parent, name);
    }

    private static Element child(Element e, String name) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private static String text(Element e, String name, String otherwise) {
        Element c = child(e, name);
        return c == null ? otherwise : c.getTextContent().strip();
    }

    private static Document parse(Path pom) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(pom.toFile());
    }

    private static String textOf(Document pom) {
        return pom.getDocumentElement().getTextContent();
    }

    private static String read(ZipFile zip, ZipEntry entry) throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Extracts the bundle, refusing entries that would land outside the directory. */
    private static void extract(Path zip, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : Collections.list(z.entries())) {
                Path target = dir.resolve(e.getName()).normalize();
                if (!target.startsWith(dir.normalize())) {
                    throw new IOException("bundle entry outside the bundle: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = z.getInputStream(e)) {
                        Files.copy(in, target);
                    }
                }
            }
        }
    }
}
