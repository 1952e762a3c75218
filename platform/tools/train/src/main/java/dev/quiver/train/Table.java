package dev.quiver.train;

import dev.quiver.model.InputField;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * A labelled table read from CSV: the feature columns typed as numbers or categories, and the label column.
 *
 * <p>A column is a category when any of its values is not a number; its categories are its distinct values,
 * sorted. The table's {@link #fields()} are exactly what the model's descriptor declares as its inputs, so
 * training and serving encode rows the same way.
 */
public final class Table {

    private final List<InputField> fields;
    private final String labelColumn;
    private final List<String[]> rows;
    private final List<String> labels;
    private final String[] header;

    private Table(String[] header, List<InputField> fields, String labelColumn, List<String[]> rows, List<String> labels) {
        this.header = header;
        this.fields = fields;
        this.labelColumn = labelColumn;
        this.rows = rows;
        this.labels = labels;
    }

    /** Reads a CSV file with a header line; values may be double-quoted but hold no commas. */
    public static Table readCsv(Path file, String labelColumn) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String[] header = split(lines.get(0));
        int labelAt = Arrays.asList(header).indexOf(labelColumn);
        if (labelAt < 0) {
            throw new IllegalArgumentException("no column '" + labelColumn + "' in " + file);
        }
        List<String[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                String[] v = split(line);
                if (v.length != header.length) {
                    throw new IllegalArgumentException("line " + (rows.size() + 2) + " has " + v.length
                            + " values, the header " + header.length);
                }
                rows.add(v);
            }
        }
        List<InputField> fields = new ArrayList<>();
        for (int c = 0; c < header.length; c++) {
            if (c == labelAt) {
                continue;
            }
            final int col = c;
            boolean numeric = rows.stream().allMatch(r -> isNumber(r[col]));
            if (numeric) {
                fields.add(InputField.number(header[c]));
            } else {
                TreeSet<String> cats = new TreeSet<>();
                rows.forEach(r -> cats.add(r[col]));
                fields.add(InputField.category(header[c], List.copyOf(cats)));
            }
        }
        TreeSet<String> labels = new TreeSet<>();
        rows.forEach(r -> labels.add(r[labelAt]));
        return new Table(header, List.copyOf(fields), labelColumn, rows, List.copyOf(labels));
    }

    public List<InputField> fields() {
        return fields;
    }

    /** The class labels, sorted; a class's index in this list is its index in the model's outputs. */
    public List<String> labels() {
        return labels;
    }

    public int size() {
        return rows.size();
    }

    /** The raw value of {@code column} in row {@code row}. */
    public String value(int row, String column) {
        return rows.get(row)[Arrays.asList(header).indexOf(column)];
    }

    public String label(int row) {
        return value(row, labelColumn);
    }

    /** Row {@code r} as the JSON a client would send: numbers as numbers, categories as strings. */
    public java.util.Map<String, Object> jsonRow(int r) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (InputField f : fields) {
            String v = value(r, f.name());
            m.put(f.name(), f.type() == InputField.Type.NUMBER ? (Object) Double.parseDouble(v) : v);
        }
        return m;
    }

    /**
     * A stratified split: within each class, rows are shuffled with {@code seed} and the first
     * {@code holdoutShare} of them go to the holdout. Returns {train indices, holdout indices}, each sorted.
     */
    public int[][] stratifiedSplit(double holdoutShare, long seed) {
        Random random = new Random(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> holdout = new ArrayList<>();
        for (String label : labels) {
            List<Integer> idx = new ArrayList<>();
            for (int r = 0; r < rows.size(); r++) {
                if (label(r).equals(label)) {
                    idx.add(r);
                }
            }
            java.util.Collections.shuffle(idx, random);
            int cut = (int) Math.round(idx.size() * holdoutShare);
            holdout.addAll(idx.subList(0, cut));
            train.addAll(idx.subList(cut, idx.size()));
        }
        return new int[][] {train.stream().mapToInt(i -> i).sorted().toArray(),
                holdout.stream().mapToInt(i -> i).sorted().toArray()};
    }

    private static boolean isNumber(String s) {
        try {
            return Double.isFinite(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String[] split(String line) {
        String[] v = line.split(",", -1);
        for (int i = 0; i < v.length; i++) {
            String s = v[i].trim();
            if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
                s = s.substring(1, s.length() - 1);
            }
            v[i] = s;
        }
        return v;
    }
}
