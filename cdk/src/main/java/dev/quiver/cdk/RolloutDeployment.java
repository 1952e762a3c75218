package dev.quiver.cdk;

import dev.quiver.rollout.RolloutPolicy;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.codedeploy.ILambdaDeploymentConfig;
import software.amazon.awscdk.services.codedeploy.LambdaDeploymentConfig;
import software.amazon.awscdk.services.codedeploy.LambdaDeploymentConfigProps;
import software.amazon.awscdk.services.codedeploy.TimeBasedCanaryTrafficRouting;
import software.amazon.awscdk.services.codedeploy.TimeBasedCanaryTrafficRoutingProps;
import software.amazon.awscdk.services.codedeploy.TimeBasedLinearTrafficRouting;
import software.amazon.awscdk.services.codedeploy.TimeBasedLinearTrafficRoutingProps;
import software.constructs.Construct;

import java.util.List;

/**
 * A model's rollout policy rendered as a CodeDeploy traffic shift of a Lambda alias. CodeDeploy moves traffic in
 * two shapes only: a canary (one share, then the rest) and a linear shift (equal increments at equal intervals),
 * so a policy renders only when its steps have one of those shapes, and synthesis fails otherwise rather than
 * deploying a rollout the policy does not describe.
 *
 * <ul>
 *   <li>steps {@code [x, 100]}: canary, x% for {@code min_duration}, then all;</li>
 *   <li>steps {@code [k, 2k, ..., 100]}: linear, k% more every {@code min_duration};</li>
 *   <li>steps {@code [100]} (blue-green): all at once.</li>
 * </ul>
 *
 * CodeDeploy counts intervals in whole minutes, so {@code min_duration} is rounded up to the next minute (at
 * least one): a step never lasts less than the policy asks.
 *
 * @param kind     the shape
 * @param percent  the canary's share or the linear increment, in percent (100 for all at once)
 * @param minutes  how long each step lasts before the next, in minutes (0 for all at once)
 */
public record RolloutDeployment(Kind kind, int percent, int minutes) {

    /** CodeDeploy's shapes of a traffic shift. */
    public enum Kind { CANARY, LINEAR, ALL_AT_ONCE }

    /**
     * Renders {@code policy}; IllegalArgumentException naming {@code rollout.steps} (or {@code rollout.strategy}),
     * prefixed by {@code at}, when CodeDeploy cannot shift traffic the way the policy does.
     */
    public static RolloutDeployment of(RolloutPolicy policy, String at) {
        if (policy.strategy() == RolloutPolicy.Strategy.SHADOW || policy.strategy() == RolloutPolicy.Strategy.AB) {
            throw new IllegalArgumentException(at + "rollout.strategy: '" + policy.strategy().yamlName()
                    + "' cannot be rendered as a CodeDeploy deployment: CodeDeploy shifts an alias's traffic towards"
                    + " the new version until it has all of it; it neither copies traffic (shadow) nor holds a fixed"
                    + " split (ab)");
        }
        List<Integer> steps = policy.steps();
        int minutes = (int) Math.max(1, (policy.minDuration().toSeconds() + 59) / 60);
        if (steps.equals(List.of(100))) {
            return new RolloutDeployment(Kind.ALL_AT_ONCE, 100, 0);
        }
        if (steps.size() == 2 && steps.get(1) == 100) {
            return new RolloutDeployment(Kind.CANARY, percentAt(policy, 0), minutes);
        }
        int k = percentAt(policy, 0);
        boolean linear = 100 % k == 0 && steps.size() == 100 / k;
        for (int i = 0; linear && i < steps.size(); i++) {
            linear = percentAt(policy, i) == k * (i + 1);
        }
        if (linear) {
            return new RolloutDeployment(Kind.LINEAR, k, minutes);
        }
        throw new IllegalArgumentException(at + "rollout.steps: " + steps + " cannot be rendered as a CodeDeploy"
                + " deployment: CodeDeploy shifts Lambda traffic either as a canary (two steps, [x, 100]) or linearly"
                + " (equal increments, [k, 2k, ..., 100]), and these steps are neither; change the steps to one of"
                + " those shapes, e.g. [" + k + ", 100] or [25, 50, 75, 100]");
    }

    /** The step's share in percent, through the policy's own weight (basis points) so both read steps alike. */
    private static int percentAt(RolloutPolicy policy, int step) {
        return policy.weightAt(step) / 100;
    }

    /** The CodeDeploy deployment config of this shape, defined under {@code scope}. */
    public ILambdaDeploymentConfig config(Construct scope, String id) {
        return switch (kind) {
            case ALL_AT_ONCE -> LambdaDeploymentConfig.ALL_AT_ONCE;
            case CANARY -> new LambdaDeploymentConfig(scope, id, LambdaDeploymentConfigProps.builder()
                    .trafficRouting(new TimeBasedCanaryTrafficRouting(TimeBasedCanaryTrafficRoutingProps.builder()
                            .percentage(percent).interval(Duration.minutes(minutes)).build()))
                    .build());
            case LINEAR -> new LambdaDeploymentConfig(scope, id, LambdaDeploymentConfigProps.builder()
                    .trafficRouting(new TimeBasedLinearTrafficRouting(TimeBasedLinearTrafficRoutingProps.builder()
                            .percentage(percent).interval(Duration.minutes(minutes)).build()))
                    .build());
        };
    }
}
