/**
 * What Quiver sends its team: the {@link dev.quiver.team.TeamChannel} port every outbound envelope goes through (a
 * CloudEvent sink in production), and {@link dev.quiver.team.TeamAddress}, which addresses each envelope to the role
 * that acts on it (the project manager, the data scientist, the data engineer) and writes it with the sender, a
 * fresh message id, the incident's correlation id and the time sent. {@link dev.quiver.team.ModelRequirements} writes
 * a model's service level as the requirement strings of a {@code model_deployment_request}.
 */
package dev.quiver.team;
