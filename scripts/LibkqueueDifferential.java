import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Writes docs/libkqueue-differential.md: every conformance row with a test, as the emulation and
 * the native passthrough over libkqueue answered it. Reads the row list and each row's test
 * methods and status from docs/conformance.md, the two runs' surefire XML reports, and the verdicts
 * for rows where the runs disagree from scripts/libkqueue-differential.notes (tab-separated: row,
 * verdict, the behaviour seen). A row that disagrees without a verdict makes it exit with 2; a verdict
 * for a row that agreed this time is listed apart (some libkqueue outcomes depend on timing). Run by scripts/libkqueue-differential.sh; Java 22+, no dependencies.
 *
 * <p>Arguments: repository root, emulation reports directory, native reports directory, libkqueue
 * description (for the header).
 */
public final class LibkqueueDifferential {
    private static final Pattern ROW = Pattern.compile(
            "^\\| <a id=\"[^\"]+\"></a>([A-Z]{2}-\\d{2}) \\| (.*) \\| (plain|documented[^|]*|no test yet[^|]*) \\|$");
    private static final Pattern TEST = Pattern.compile("`(\\w+)` in \\[(\\w+)\\]");

    record Method(String className, String method) {
    }

    record Outcome(String kind, String detail) {
        String cell() {
            return detail.isEmpty() ? kind : kind + ": " + detail;
        }
    }

    record Note(String verdict, String text) {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Path emulationReports = Path.of(args[1]);
        Path nativeReports = Path.of(args[2]);
        String library = args.length > 3 ? args[3] : "libkqueue";

        Map<String, List<Method>> rows = new LinkedHashMap<>();
        Map<String, String> status = new LinkedHashMap<>();
        for (String line : Files.readAllLines(root.resolve("docs/conformance.md"))) {
            Matcher m = ROW.matcher(line);
            if (!m.matches()) {
                continue;
            }
            List<Method> methods = new ArrayList<>();
            Matcher t = TEST.matcher(m.group(2));
            while (t.find()) {
                methods.add(new Method(t.group(2), t.group(1)));
            }
            if (!methods.isEmpty()) {
                rows.put(m.group(1), methods);
                status.put(m.group(1), m.group(3).startsWith("documented") ? "documented" : "plain");
            }
        }
        Map<Method, List<Outcome>> emulation = read(emulationReports);
        Map<Method, List<Outcome>> passthrough = read(nativeReports);
        Map<String, Note> notes = notes(root.resolve("scripts/libkqueue-differential.notes"));

        StringBuilder table = new StringBuilder();
        Map<String, Integer> counts = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        StringBuilder sometimes = new StringBuilder();
        for (Map.Entry<String, List<Method>> row : rows.entrySet()) {
            String id = row.getKey();
            Outcome e = combine(row.getValue(), emulation);
            Outcome n = combine(row.getValue(), passthrough);
            boolean agree = e.kind().equals(n.kind());
            String verdict = "";
            if (!agree) {
                Note note = notes.get(id);
                if (note == null) {
                    problems.add(id + ": the runs disagree and there is no note");
                    verdict = "**not yet judged**";
                    count(counts, "disagree, not yet judged");
                } else {
                    verdict = "**" + note.verdict() + "**: " + note.text();
                    count(counts, "disagree: " + note.verdict());
                }
            } else {
                count(counts, "agree: both " + e.kind());
                Note note = notes.get(id);
                if (note != null) { // timing-dependent under libkqueue: judged on a run where it failed
                    sometimes.append("- ").append(id).append(": **").append(note.verdict()).append("**: ")
                            .append(note.text()).append('\n');
                }
            }
            String emulationCell = e.kind() + (status.get(id).equals("documented") ? " (documented)" : "")
                    + (e.detail().isEmpty() ? "" : ": " + e.detail());
            table.append("| ").append(id).append(" | ").append(cell(emulationCell))
                    .append(" | ").append(cell(n.cell())).append(" | ").append(verdict).append(" |\n");
        }

        StringBuilder md = new StringBuilder();
        md.append("# The conformance suite against libkqueue\n\n")
                .append("<!-- Generated by scripts/libkqueue-differential.sh from the surefire reports of\n")
                .append("     `mvn verify -Pnative -Dkqueue.native.library=...` and scripts/libkqueue-differential.notes.\n")
                .append("     Do not edit by hand. -->\n\n")
                .append("Every row of the [conformance index](conformance.md) that has a test, run twice on Linux: through the\n")
                .append("epoll emulation (the usual run) and through the native kqueue passthrough over ").append(library)
                .append(", with `-Pnative`.\nThe passthrough hands each `kevent` to the library, so its column is what libkqueue does,\n")
                .append("seen through kqueue-ffm's API; *documented* marks rows whose emulation behaviour is a difference from\n")
                .append("FreeBSD written in [BEHAVIOUR.md](../BEHAVIOUR.md). Where the two runs disagree the last column says whose\n")
                .append("behaviour it is: **libkqueue** (the library does this; named), **host** (Linux or libkqueue lacks the\n")
                .append("facility the row needs), **kqueue-ffm** (a bug of ours, fixed with a test, or listed in the notes).\n")
                .append("A failure's text is the first line of the test's message.\n\n")
                .append("Regenerate:\n\n")
                .append("    mvn verify -Pnative -Dkqueue.native.library=/absolute/path/to/libkqueue.so\n")
                .append("    scripts/libkqueue-differential.sh\n\n")
                .append("## Summary\n\n")
                .append(rows.size()).append(" rows with a test.\n\n");
        counts.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append("\n## Rows\n\n| row | emulation | libkqueue passthrough | where they disagree |\n|---|---|---|---|\n");
        md.append(table);
        if (!sometimes.isEmpty()) {
            md.append("\n## Rows that passed in this run but not in every run\n\n")
                    .append("Their libkqueue outcome depends on timing (its monitoring thread, the JDK's process reaper);\n")
                    .append("the verdict is from a run where they failed.\n\n").append(sometimes);
        }
        Files.writeString(root.resolve("docs/libkqueue-differential.md"), md.toString());
        problems.forEach(p -> System.err.println("libkqueue-differential: " + p));
        System.out.println("wrote docs/libkqueue-differential.md: " + rows.size() + " rows; " + counts);
        if (!problems.isEmpty()) {
            System.exit(2);
        }
    }

    /** A row's outcome: fail if any invocation of any of its methods failed, else pass, skipped or not run. */
    private static Outcome combine(List<Method> methods, Map<Method, List<Outcome>> run) {
        Outcome firstFailure = null;
        int failures = 0;
        int passes = 0;
        int invocations = 0;
        Outcome skipped = null;
        for (Method m : methods) {
            for (Outcome o : run.getOrDefault(m, List.of())) {
                invocations++;
                switch (o.kind()) {
                    case "fail" -> {
                        failures++;
                        if (firstFailure == null) {
                            firstFailure = o;
                        }
                    }
                    case "pass" -> passes++;
                    default -> skipped = o;
                }
            }
        }
        if (invocations == 0) {
            return new Outcome("not run", "");
        }
        if (firstFailure != null) {
            String of = invocations > 1 ? " (" + failures + " of " + invocations + " invocations)" : "";
            return new Outcome("fail", firstFailure.detail() + of);
        }
        return passes > 0 ? new Outcome("pass", "") : skipped;
    }

    private static Map<Method, List<Outcome>> read(Path reports) throws Exception {
        Map<Method, List<Outcome>> out = new TreeMap<>((a, b) -> (a.className() + "#" + a.method())
                .compareTo(b.className() + "#" + b.method()));
        if (!Files.isDirectory(reports)) {
            System.err.println("libkqueue-differential: no reports in " + reports);
            return out;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(reports)) {
            files = s.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")).sorted().toList();
        }
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        for (Path file : files) {
            Document doc = factory.newDocumentBuilder().parse(file.toFile());
            NodeList cases = doc.getElementsByTagName("testcase");
            for (int i = 0; i < cases.getLength(); i++) {
                Element tc = (Element) cases.item(i);
                String cls = tc.getAttribute("classname");
                String name = tc.getAttribute("name");
                int paren = name.indexOf('(');
                Method m = new Method(cls.substring(cls.lastIndexOf('.') + 1), paren < 0 ? name : name.substring(0, paren));
                out.computeIfAbsent(m, k -> new ArrayList<>()).add(outcome(tc));
            }
        }
        return out;
    }

    private static Outcome outcome(Element tc) {
        for (String kind : new String[] {"failure", "error"}) {
            NodeList l = tc.getElementsByTagName(kind);
            if (l.getLength() > 0) {
                Element e = (Element) l.item(0);
                String message = e.getAttribute("message");
                if (message.isEmpty()) {
                    message = e.getAttribute("type");
                }
                return new Outcome("fail", firstLine(message));
            }
        }
        NodeList skipped = tc.getElementsByTagName("skipped");
        if (skipped.getLength() > 0) {
            return new Outcome("skipped", firstLine(((Element) skipped.item(0)).getAttribute("message")));
        }
        return new Outcome("pass", "");
    }

    private static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 160 ? line.substring(0, 157) + "..." : line;
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static Map<String, Note> notes(Path file) throws IOException {
        Map<String, Note> notes = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return notes;
        }
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", 3);
            if (f.length != 3) {
                throw new IllegalArgumentException(file + ": not row<TAB>verdict<TAB>text: " + line);
            }
            notes.put(f[0], new Note(f[1], f[2]));
        }
        return notes;
    }

    private static void count(Map<String, Integer> counts, String key) {
        counts.merge(key, 1, Integer::sum);
    }
}
