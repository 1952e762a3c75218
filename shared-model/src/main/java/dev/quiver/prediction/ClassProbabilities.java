package dev.quiver.prediction;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * One row's class probabilities as an unmodifiable map from class label to probability, in the model's class order:
 * a view over the row's stretch of the model run's output, which it shares with the other rows of the run. A
 * {@code LinkedHashMap} per row cost about as much as the rest of turning a 100-row run into an answer (two
 * boxed doubles and three nodes a row); this is one small object, and boxes a probability only when it is read.
 */
final class ClassProbabilities extends AbstractMap<String, Double> {

    private final List<String> labels;
    private final double[] run;
    private final int offset;

    /**
     * @param labels the model's classes, in output order
     * @param run    the run's probabilities, row-major, {@code labels.size()} a row; not changed afterwards
     * @param row    the row this map shows
     */
    ClassProbabilities(List<String> labels, double[] run, int row) {
        this.labels = labels;
        this.run = run;
        this.offset = row * labels.size();
    }

    @Override
    public int size() {
        return labels.size();
    }

    @Override
    public boolean containsKey(Object key) {
        return labels.indexOf(key) >= 0;
    }

    @Override
    public Double get(Object key) {
        int c = labels.indexOf(key);
        return c < 0 ? null : run[offset + c];
    }

    @Override
    public Set<Entry<String, Double>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return labels.size();
            }

            @Override
            public Iterator<Entry<String, Double>> iterator() {
                return new Iterator<>() {
                    private int c;

                    @Override
                    public boolean hasNext() {
                        return c < labels.size();
                    }

                    @Override
                    public Entry<String, Double> next() {
                        if (c >= labels.size()) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, Double> e = Map.entry(labels.get(c), run[offset + c]);
                        c++;
                        return e;
                    }
                };
            }
        };
    }
}
