package dev.quiver.cdk;

import org.junit.jupiter.api.Test;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.services.sqs.QueueProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.SynthesisMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** cdk-nag's AwsSolutions pack, applied by the app through Aspects, finds nothing it was not told why. */
class NagTest {

    static List<String> findings(Stack stack) {
        List<String> out = new ArrayList<>();
        Annotations a = Annotations.fromStack(stack);
        List<SynthesisMessage> messages = new ArrayList<>(a.findError("*", Match.stringLikeRegexp("AwsSolutions-.*")));
        messages.addAll(a.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")));
        // any other error or warning too: a synthesis that warns is not clean
        messages.addAll(a.findError("*", Match.anyValue()));
        messages.addAll(a.findWarning("*", Match.anyValue()));
        messages.forEach(m -> out.add(m.getId() + ": " + m.getEntry().getData()));
        return out.stream().distinct().toList();
    }

    @Test
    void noUnsuppressedFindingsInTheDataStack() {
        assertThat(findings(Synthesized.STACKS.data())).isEmpty();
    }

    @Test
    void noUnsuppressedFindingsInTheFunctionsStack() {
        assertThat(findings(Synthesized.STACKS.functions())).isEmpty();
    }

    /** The check is live: the same collection finds what the pack reports on a queue without encryption or TLS. */
    @Test
    void theFindingsCollectionSeesWhatThePackReports() {
        App app = new App();
        Stack stack = new Stack(app, "Bare");
        new Queue(stack, "Plain", QueueProps.builder().encryption(QueueEncryption.UNENCRYPTED).build());
        Aspects.of(app).add(AwsSolutionsChecks.Builder.create().build());
        assertThat(findings(stack)).anyMatch(f -> f.contains("AwsSolutions-SQS4"))
                .anyMatch(f -> f.contains("AwsSolutions-SQS3"));
    }

    @Test
    void everySuppressionNamesOneRuleAndSaysWhy() {
        int count = 0;
        for (Template t : List.of(Synthesized.DATA, Synthesized.FUNCTIONS)) {
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> resources = (Map<String, Map<String, Object>>) t.toJSON().get("Resources");
            for (var e : resources.entrySet()) {
                for (Object s : Cfn.list(e.getValue(), "Metadata", "cdk_nag", "rules_to_suppress")) {
                    count++;
                    assertThat((String) Cfn.at(s, "id")).as(e.getKey()).matches("AwsSolutions-[A-Z0-9]+");
                    assertThat((String) Cfn.at(s, "reason")).as(e.getKey()).hasSizeGreaterThan(40);
                }
            }
        }
        assertThat(count).isPositive();
    }
}
