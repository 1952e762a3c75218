package dev.quiver.function.security;

import org.junit.jupiter.api.Test;

import static dev.quiver.function.security.AccessRules.Body.JSON;
import static dev.quiver.function.security.AccessRules.Body.MULTIPART;
import static dev.quiver.function.security.AccessRules.Body.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessRulesTest {

    private static final AccessRules RULES = AccessRules.builder()
            .route("POST", "/predict", Role.INVOKE, JSON)
            .route("POST", "/registry/models/{model}/versions", Role.DEPLOY, MULTIPART)
            .route("GET", "/registry/models/**", Role.INVOKE, NONE)
            .route("POST", "/rollouts/{model}/feedback", Role.WRITE, JSON)
            .route("POST", "/rollouts/{model}/{action}", Role.DEPLOY, JSON)
            .cloudEvents("/")
            .event("push", Role.WRITE, true)
            .build();

    @Test
    void exactPathsAndPatternsFindTheirRule() {
        assertThat(RULES.match("POST", "/predict").role()).isEqualTo(Role.INVOKE);
        assertThat(RULES.match("POST", "/registry/models/churn/versions").body()).isEqualTo(MULTIPART);
        assertThat(RULES.match("GET", "/registry/models").role()).as("** matches no segment too").isEqualTo(Role.INVOKE);
        assertThat(RULES.match("GET", "/registry/models/churn/versions/1").role()).isEqualTo(Role.INVOKE);
        assertThat(RULES.match("HEAD", "/registry/models").role()).as("HEAD reads as GET does").isEqualTo(Role.INVOKE);
    }

    @Test
    void theFirstMatchingRuleWins() {
        assertThat(RULES.match("POST", "/rollouts/churn/feedback").role()).isEqualTo(Role.WRITE);
        assertThat(RULES.match("POST", "/rollouts/churn/rollback").role()).isEqualTo(Role.DEPLOY);
    }

    @Test
    void spellingsOfAPathMatchTheSameRule() {
        assertThat(RULES.match("POST", "/predict/").role()).isEqualTo(Role.INVOKE);
        assertThat(RULES.match("POST", "//registry//models/churn/versions/").role()).isEqualTo(Role.DEPLOY);
    }

    @Test
    void anUnlistedRouteNeedsObserveToReadAndDeployToWrite() {
        assertThat(RULES.match("GET", "/somewhere").role()).isEqualTo(Role.OBSERVE);
        assertThat(RULES.match("OPTIONS", "/predict").role()).isEqualTo(Role.OBSERVE);
        assertThat(RULES.match("DELETE", "/predict").role()).isEqualTo(Role.DEPLOY);
        assertThat(RULES.match("PUT", "/registry/models/churn/versions").role()).isEqualTo(Role.DEPLOY);
        assertThat(RULES.match("POST", "/registry/models/churn/versions/extra").role()).isEqualTo(Role.DEPLOY);
    }

    @Test
    void everyTableSharesHealthMetricsAlertsAndAudit() {
        assertThat(RULES.match("GET", "/q/health/ready").role()).as("probes are open").isNull();
        assertThat(RULES.match("GET", "/q/health").role()).isNull();
        assertThat(RULES.match("GET", "/q/metrics").role()).isEqualTo(Role.OBSERVE);
        assertThat(RULES.match("GET", "/audit").role()).isEqualTo(Role.OBSERVE);
        assertThat(RULES.match("POST", "/q/health").role()).as("only reading a probe is open").isEqualTo(Role.DEPLOY);
    }

    @Test
    void cloudEventsTakeTheRoleOfTheirType() {
        assertThat(RULES.match("POST", "/").body()).isEqualTo(AccessRules.Body.CLOUDEVENT);
        assertThat(RULES.event("push").role()).isEqualTo(Role.WRITE);
        assertThat(RULES.event("push").needsData()).isTrue();
        assertThat(RULES.event("something.else").role()).isEqualTo(Role.DEPLOY);
        assertThat(RULES.event(null).role()).isEqualTo(Role.DEPLOY);
    }

    @Test
    void aRouteNeedsARole() {
        assertThatThrownBy(() -> AccessRules.builder().route("GET", "/x", null, NONE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rolesAreParsedInAnyCaseAndAnUnknownOneIsNamed() {
        assertThat(Role.parseAll(java.util.List.of("Deploy", " write", ""), "roles"))
                .containsExactlyInAnyOrder(Role.DEPLOY, Role.WRITE);
        assertThatThrownBy(() -> Role.parse("admin", "quiver.security.api-keys.x.roles"))
                .hasMessageContaining("quiver.security.api-keys.x.roles").hasMessageContaining("'admin'");
    }
}
