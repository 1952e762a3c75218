package dev.quiver.agent.function;

import dev.quiver.function.security.AccessRules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import static dev.quiver.function.security.AccessRules.Body.JSON;
import static dev.quiver.function.security.AccessRules.Body.NONE;
import static dev.quiver.function.security.Role.DEPLOY;
import static dev.quiver.function.security.Role.INVOKE;
import static dev.quiver.function.security.Role.OBSERVE;
import static dev.quiver.function.security.Role.WRITE;

/**
 * The agent function's route table (the README's, row for row). A message that can change what is served (a model
 * delivered or asked for, an alert that may roll a rollout back) needs the deploy role; a feature request reads
 * features; answers and acknowledgements are records.
 */
@ApplicationScoped
public class AgentAccess {

    @Produces
    @Singleton
    AccessRules rules() {
        return AccessRules.builder()
                .route("POST", "/model_deployment_request", DEPLOY, JSON)
                .route("POST", "/model_delivery", DEPLOY, JSON)
                .route("POST", "/model_issue_alert", DEPLOY, JSON)
                .route("POST", "/feature_store_request", INVOKE, JSON)
                .route("POST", "/feature_availability", WRITE, JSON)
                .route("POST", "/acknowledgement", WRITE, JSON)
                // a schedule's tick: the outbox and the rollout watch, work the function does on its own anyway
                .route("POST", "/agent_tick", WRITE, JSON)
                .route("GET", "/agent/audit", OBSERVE, NONE)
                .route("GET", "/agent/tasks", OBSERVE, NONE)
                .route("GET", "/agent/tasks/{id}", OBSERVE, NONE)
                .route("POST", "/agent/tasks/{id}/cancel", DEPLOY, NONE)
                .route("GET", "/agent/feature-requests", OBSERVE, NONE)
                .route("GET", "/agent/outbox", OBSERVE, NONE)
                .route("GET", "/agent/dead-letters", OBSERVE, NONE)
                // the A2A door carries every action in one route, so it needs the deploy role; its card is for anyone
                .route("POST", "/a2a", DEPLOY, JSON)
                .open("GET", "/.well-known/agent-card.json")
                .cloudEvents("/")
                .event("model_deployment_request", DEPLOY, true)
                .event("model_delivery", DEPLOY, true)
                .event("model_issue_alert", DEPLOY, true)
                .event("feature_store_request", INVOKE, true)
                .event("feature_availability", WRITE, true)
                .event("acknowledgement", WRITE, true)
                .event(AgentFunctions.PING, WRITE, false)
                .build();
    }
}
