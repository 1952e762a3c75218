/** The agent function's event door on AWS Lambda: team envelopes in SQS messages and EventBridge events, through Funqy. */
package dev.quiver.agent.lambda;
