package dev.quiver.agent.function;

import dev.quiver.agent.directory.AgentDirectory;
import dev.quiver.agent.outbox.Courier;

/** A {@link Courier} for the agents reached by one channel; the function holds one bean per channel. */
public interface ChannelCourier extends Courier {

    AgentDirectory.Channel channel();
}
