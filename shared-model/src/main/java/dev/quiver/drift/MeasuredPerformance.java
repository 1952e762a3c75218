package dev.quiver.drift;

import dev.quiver.drift.capture.LoggedPrediction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A binary classifier's performance over the predictions of a window whose true labels have arrived: accuracy,
 * precision and recall of the positive class, ROC AUC (ties count one half) and log-loss (probabilities clipped to
 * [1e-15, 1 - 1e-15], as scikit-learn does).
 *
 * @param predictions rows predicted in the window
 * @param labelled    of those, rows whose label arrived (the metrics cover these)
 */
public record MeasuredPerformance(long predictions, long labelled, Double accuracy, Double precision, Double recall,
                                  Double rocAuc, Double logLoss) {

    private static final double EPS = 1e-15;

    /**
     * @param outcomes every label that arrived for the model, by {@code request_id#row}
     * @param positive the positive class (a binary model's last label)
     */
    public static MeasuredPerformance of(List<LoggedPrediction> predictions, Map<String, String> outcomes, String positive) {
        List<double[]> scored = new ArrayList<>();
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        double logLoss = 0;
        for (LoggedPrediction p : predictions) {
            String truth = outcomes.get(p.requestId() + "#" + p.row());
            if (truth == null) {
                continue;
            }
            boolean actual = truth.equals(positive);
            boolean predicted = p.label().equals(positive);
            if (predicted && actual) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (actual) {
                fn++;
            } else {
                tn++;
            }
            double q = Math.min(1 - EPS, Math.max(EPS, p.score()));
            logLoss -= actual ? Math.log(q) : Math.log(1 - q);
            scored.add(new double[] {p.score(), actual ? 1 : 0});
        }
        long n = tp + fp + fn + tn;
        if (n == 0) {
            return new MeasuredPerformance(predictions.size(), 0, null, null, null, null, null);
        }
        scored.sort((a, b) -> Double.compare(a[0], b[0]));
        double negativesBelow = 0;
        double pairs = 0;
        for (int k = 0; k < scored.size(); ) {
            int j = k;
            double pos = 0;
            double neg = 0;
            while (j < scored.size() && scored.get(j)[0] == scored.get(k)[0]) {
                if (scored.get(j)[1] == 1) {
                    pos++;
                } else {
                    neg++;
                }
                j++;
            }
            pairs += pos * negativesBelow + 0.5 * pos * neg;
            negativesBelow += neg;
            k = j;
        }
        long positives = tp + fn;
        long negatives = fp + tn;
        return new MeasuredPerformance(predictions.size(), n, (double) (tp + tn) / n,
                tp + fp == 0 ? null : (double) tp / (tp + fp), positives == 0 ? null : (double) tp / positives,
                positives == 0 || negatives == 0 ? null : pairs / ((double) positives * negatives), logLoss / n);
    }
}
